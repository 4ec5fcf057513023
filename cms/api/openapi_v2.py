"""A hand-maintained OpenAPI description of Wagtail's API v2 endpoints (/api/v2/...).

Wagtail's views are Django REST framework viewsets that django-ninja cannot introspect, so
their paths, query parameters and response shapes are written out here and merged into the
ninja-generated document by ``PortalAPI.get_openapi_schema`` (cms/api/main.py): one
/api/openapi.json describes the whole API. Keep this file in step with cms/api/v2.py and
with the ``api_fields`` of the page models. Every component name here starts with ``V2``
so it cannot collide with a ninja schema.
"""

from django.conf import settings
from django.urls import reverse

from .schemas import CatalogueQuery

TAG_PAGES = "内容接口 v2：页面"
TAG_IMAGES = "内容接口 v2：图片"
TAG_DOCUMENTS = "内容接口 v2：文档"
TAGS = [
    {
        "name": TAG_PAGES,
        "description": "Wagtail API v2 页面接口：所有公开页面；type=disclosure.DisclosureDocument "
        "时还可使用公开目录的筛选参数",
    },
    {"name": TAG_IMAGES, "description": "Wagtail API v2 图片接口"},
    {"name": TAG_DOCUMENTS, "description": "Wagtail API v2 文档（附件文件）接口"},
]


def _ref(kind, name):
    return {"$ref": f"#/components/{kind}/{name}"}


def _query(name, description, schema, **extra):
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema,
        **extra,
    }


def _parameters():
    limit_max = getattr(settings, "WAGTAILAPI_LIMIT_MAX", 20) or 20
    parameters = {
        "V2Id": {
            "name": "id",
            "in": "path",
            "required": True,
            "description": "对象编号",
            "schema": {"type": "integer", "minimum": 1},
        },
        "V2Fields": _query(
            "fields",
            "返回的字段，逗号分隔：加字段名增加，-字段名去掉，* 表示全部字段，_ 表示不要默认字段；"
            "关联对象可用括号指定子字段，例如 department,topic 或 *,-body。未知字段返回 400。",
            {"type": "string"},
            example="title,index_number,published_on",
        ),
        "V2Limit": _query(
            "limit",
            f"每页条数，默认 {min(20, limit_max)}，最多 {limit_max}",
            {"type": "integer", "minimum": 0, "maximum": limit_max},
        ),
        "V2Offset": _query("offset", "跳过的条数，默认 0", {"type": "integer", "minimum": 0}),
        "V2Order": _query(
            "order",
            "按字段排序，逗号分隔，字段前加 - 表示倒序；random 为随机（不能与 offset 同用）。"
            "对公开文件不能与 sort 同时使用。",
            {"type": "string"},
            example="-first_published_at",
        ),
        "V2Search": _query("search", "全文搜索（站内搜索引擎）", {"type": "string"}),
        "V2SearchOperator": _query(
            "search_operator", "多个搜索词的关系", {"type": "string", "enum": ["and", "or"]}
        ),
        "V2RichTextFormat": _query(
            "rich_text_format",
            "富文本字段的输出格式（本站正文块已输出 HTML）",
            {"type": "string", "enum": ["db_html", "html", "db_markdown", "markdown"]},
        ),
        "V2Type": _query(
            "type",
            "页面类型 app_label.ModelName，可逗号分隔多个；只指定一个类型时可按该类型的字段筛选。"
            "常用：disclosure.DisclosureDocument（公开文件）、disclosure.Interpretation（政策解读）、"
            "news.NewsPage（新闻）、core.ContentPage（内容页）",
            {"type": "string"},
            example="disclosure.DisclosureDocument",
        ),
        "V2ChildOf": _query(
            "child_of", "只列出此页面的直接下级页面（页面编号，或 root 表示站点首页）", {"type": "string"}
        ),
        "V2DescendantOf": _query(
            "descendant_of", "只列出此页面下的所有页面（页面编号，或 root）", {"type": "string"}
        ),
        "V2AncestorOf": _query(
            "ancestor_of", "只列出此页面的上级页面（页面编号）", {"type": "integer", "minimum": 0}
        ),
        "V2Site": _query("site", "站点主机名，默认按请求的主机名确定站点", {"type": "string"}),
        "V2Locale": _query("locale", "语言代码，例如 zh-hans", {"type": "string"}),
        "V2TranslationOf": _query(
            "translation_of", "列出此页面的各语言版本（页面编号）", {"type": "integer"}
        ),
        "V2HtmlPath": _query("html_path", "页面的网址路径，例如 /xxgk/czj/", {"type": "string"}),
    }
    # The catalogue's own parameters, documented once in schemas.CatalogueQuery.
    properties = CatalogueQuery.model_json_schema()["properties"]
    for name, schema in properties.items():
        schema = dict(schema)
        description = schema.pop("description", "")
        schema.pop("title", None)
        parameters[f"V2Catalogue{name.title()}"] = _query(
            name,
            f"{description}（仅用于 type=disclosure.DisclosureDocument，取值与 /xxgk/ 相同）",
            schema,
        )
    return parameters


def _schemas():
    meta_common = {
        "type": {"type": "string", "description": "对象类型，例如 disclosure.DisclosureDocument"},
        "detail_url": {"type": "string", "format": "uri", "description": "本对象的 API 地址"},
    }
    return {
        "V2Error": {
            "type": "object",
            "required": ["message"],
            "properties": {"message": {"type": "string", "description": "错误说明"}},
        },
        "V2ListingMeta": {
            "type": "object",
            "properties": {"total_count": {"type": "integer", "description": "符合条件的总数"}},
        },
        "V2PageMeta": {
            "type": "object",
            "properties": {
                **meta_common,
                "html_url": {"type": ["string", "null"], "description": "页面在网站上的完整网址"},
                "slug": {"type": "string", "description": "网址中的页面代号"},
                "show_in_menus": {"type": "boolean", "description": "是否显示在菜单中"},
                "seo_title": {"type": "string", "description": "SEO 标题"},
                "search_description": {"type": "string", "description": "搜索摘要"},
                "first_published_at": {
                    "type": ["string", "null"],
                    "format": "date-time",
                    "description": "首次发布时间",
                },
                "alias_of": {"type": ["object", "null"], "description": "别名页面所指向的原页面"},
                "parent": {"type": ["object", "null"], "description": "上级页面（仅详情）"},
                "locale": {"type": "string", "description": "语言代码（启用多语言时）"},
            },
        },
        "V2Page": {
            "type": "object",
            "description": (
                "页面。默认字段之外的字段取决于页面类型（各页面模型的 api_fields），可用 fields 参数选择。"
            ),
            "required": ["id", "meta"],
            "properties": {
                "id": {"type": "integer", "description": "页面编号"},
                "meta": _ref("schemas", "V2PageMeta"),
                "title": {"type": "string", "description": "标题"},
            },
            "additionalProperties": True,
        },
        "V2DisclosureDocument": {
            "description": "公开文件（type=disclosure.DisclosureDocument）的字段；列表默认只返回部分字段。",
            "allOf": [
                _ref("schemas", "V2Page"),
                {
                    "type": "object",
                    "properties": {
                        "index_number": {"type": ["string", "null"], "description": "索引号"},
                        "department": {
                            "type": ["object", "null"],
                            "description": "发布机构",
                            "properties": {
                                "name": {"type": "string"},
                                "slug": {"type": "string"},
                                "org_code": {"type": "string"},
                            },
                        },
                        "topic": {
                            "type": "object",
                            "description": "主题分类",
                            "properties": {
                                "code": {"type": "string"},
                                "name": {"type": "string"},
                                "top_code": {"type": "string"},
                                "top_name": {"type": "string"},
                            },
                        },
                        "genre": {"type": "string", "description": "体裁分类代码"},
                        "genre_display": {"type": "string", "description": "体裁分类名称"},
                        "document_number": {"type": "string", "description": "发文字号"},
                        "written_on": {"type": "string", "format": "date", "description": "成文日期"},
                        "published_on": {
                            "type": ["string", "null"],
                            "format": "date",
                            "description": "发布日期",
                        },
                        "keyword_list": {
                            "type": "array",
                            "items": {"type": "string"},
                            "description": "主题词",
                        },
                        "validity": {"type": "string", "description": "编辑录入的有效性"},
                        "current_validity": {"type": "string", "description": "今日显示的有效性"},
                        "effective_on": {
                            "type": ["string", "null"],
                            "format": "date",
                            "description": "生效日期",
                        },
                        "expires_on": {
                            "type": ["string", "null"],
                            "format": "date",
                            "description": "失效日期",
                        },
                        "disclosure_method": {"type": "string", "description": "公开方式"},
                        "summary": {"type": "string", "description": "内容概述"},
                        "body": {
                            "type": "array",
                            "items": {"type": "object"},
                            "description": "正文（StreamField）",
                        },
                        "attachment_list": {
                            "type": "array",
                            "items": {"type": "object"},
                            "description": "附件",
                        },
                        "relations": {"type": "object", "description": "废止、修改、解读关系"},
                        "search_description": {"type": "string", "description": "搜索摘要"},
                        "last_published_at": {
                            "type": ["string", "null"],
                            "format": "date-time",
                            "description": "最近发布时间",
                        },
                    },
                },
            ],
        },
        "V2PageListing": {
            "type": "object",
            "required": ["meta", "items"],
            "properties": {
                "meta": _ref("schemas", "V2ListingMeta"),
                "items": {"type": "array", "items": _ref("schemas", "V2Page")},
            },
        },
        "V2FileMeta": {
            "type": "object",
            "properties": {
                **meta_common,
                "tags": {"type": "array", "items": {"type": "string"}, "description": "标签"},
                "download_url": {"type": "string", "description": "文件地址"},
            },
        },
        "V2Image": {
            "type": "object",
            "required": ["id", "meta"],
            "properties": {
                "id": {"type": "integer", "description": "图片编号"},
                "meta": _ref("schemas", "V2FileMeta"),
                "title": {"type": "string", "description": "标题"},
                "width": {"type": "integer", "description": "宽度（像素）"},
                "height": {"type": "integer", "description": "高度（像素）"},
            },
            "additionalProperties": True,
        },
        "V2ImageListing": {
            "type": "object",
            "required": ["meta", "items"],
            "properties": {
                "meta": _ref("schemas", "V2ListingMeta"),
                "items": {"type": "array", "items": _ref("schemas", "V2Image")},
            },
        },
        "V2Document": {
            "type": "object",
            "required": ["id", "meta"],
            "properties": {
                "id": {"type": "integer", "description": "文档编号"},
                "meta": _ref("schemas", "V2FileMeta"),
                "title": {"type": "string", "description": "标题"},
            },
            "additionalProperties": True,
        },
        "V2DocumentListing": {
            "type": "object",
            "required": ["meta", "items"],
            "properties": {
                "meta": _ref("schemas", "V2ListingMeta"),
                "items": {"type": "array", "items": _ref("schemas", "V2Document")},
            },
        },
    }


def _json(schema_name, description):
    return {
        "description": description,
        "content": {"application/json": {"schema": _ref("schemas", schema_name)}},
    }


ERRORS = {
    "400": _json("V2Error", "参数不正确（未知参数、未知字段、非数字的 limit/offset、筛选值不正确等）"),
    "404": _json("V2Error", "不存在或未公开"),
}


def _endpoint(
    tag, what, listing_url, listing_schema, detail_schema, listing_params, detail_params, operation
):
    listing = {
        "get": {
            "operationId": f"wagtail_v2_{operation}_listing",
            "tags": [tag],
            "summary": f"{what}列表",
            "parameters": [_ref("parameters", p) for p in listing_params],
            "responses": {"200": _json(listing_schema, f"{what}列表"), **ERRORS},
        }
    }
    detail = {
        "get": {
            "operationId": f"wagtail_v2_{operation}_detail",
            "tags": [tag],
            "summary": f"{what}详情",
            "parameters": [_ref("parameters", p) for p in ["V2Id", *detail_params]],
            "responses": {"200": detail_schema, **ERRORS},
        }
    }
    return {listing_url: listing, f"{listing_url}{{id}}/": detail}


def describe():
    """The v2 paths, at the addresses they are actually mounted at, and their components."""
    common = ["V2Fields", "V2Limit", "V2Offset", "V2Order", "V2Search", "V2SearchOperator"]
    parameters = _parameters()
    catalogue = [name for name in parameters if name.startswith("V2Catalogue")]
    pages_url = reverse("wagtailapi:pages:listing")
    page_detail = {
        "description": "页面详情（全部 api_fields）",
        "content": {
            "application/json": {
                "schema": {"anyOf": [_ref("schemas", "V2DisclosureDocument"), _ref("schemas", "V2Page")]}
            }
        },
    }
    paths = {}
    paths.update(
        _endpoint(
            TAG_PAGES,
            "页面",
            pages_url,
            "V2PageListing",
            page_detail,
            [
                "V2Type",
                *common,
                "V2RichTextFormat",
                "V2ChildOf",
                "V2DescendantOf",
                "V2AncestorOf",
                "V2Site",
                "V2Locale",
                "V2TranslationOf",
                *catalogue,
            ],
            ["V2Fields", "V2RichTextFormat", "V2Site"],
            "pages",
        )
    )
    paths[f"{pages_url}find/"] = {
        "get": {
            "operationId": "wagtail_v2_pages_find",
            "tags": [TAG_PAGES],
            "summary": "按网址路径或编号查找页面",
            "description": "找到时以 302 跳转到该页面的详情接口地址（保留其余查询参数）。",
            "parameters": [
                _ref("parameters", "V2HtmlPath"),
                _query("id", "页面编号", {"type": "integer"}),
                _ref("parameters", "V2Fields"),
            ],
            "responses": {"302": {"description": "跳转到页面详情"}, "404": ERRORS["404"]},
        }
    }
    paths.update(
        _endpoint(
            TAG_IMAGES,
            "图片",
            reverse("wagtailapi:images:listing"),
            "V2ImageListing",
            _json("V2Image", "图片详情"),
            common,
            ["V2Fields"],
            "images",
        )
    )
    paths.update(
        _endpoint(
            TAG_DOCUMENTS,
            "文档",
            reverse("wagtailapi:documents:listing"),
            "V2DocumentListing",
            _json("V2Document", "文档详情"),
            common,
            ["V2Fields"],
            "documents",
        )
    )
    return {"paths": paths, "components": {"parameters": parameters, "schemas": _schemas()}, "tags": TAGS}


def merge_into(document):
    """Add the v2 description to an OpenAPI document (a dict) in place."""
    v2 = describe()
    paths = document.setdefault("paths", {})
    components = document.setdefault("components", {})
    clashes = set(v2["paths"]) & set(paths)
    for kind, entries in v2["components"].items():
        clashes |= set(entries) & set(components.get(kind, {}))
    if clashes:
        raise ValueError(f"API v2 description clashes with ninja's: {sorted(clashes)}")
    paths.update(v2["paths"])
    for kind, entries in v2["components"].items():
        components.setdefault(kind, {}).update(entries)
    document.setdefault("tags", [])
    known = {tag["name"] for tag in document["tags"]}
    document["tags"] += [tag for tag in v2["tags"] if tag["name"] not in known]
    return document
