"""Pydantic (django-ninja) schemas of the domain endpoints: they are the OpenAPI documentation.

Every field carries a Chinese description; the OpenAPI document at /api/openapi.json is built from them.
"""

import datetime
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import WithJsonSchema

from cms.disclosure.catalogue import MAX_QUERY_LENGTH
from cms.disclosure.choices import DisclosureMethod, Genre, SortOrder, Validity

MAX_PAGE_SIZE = 100
MAX_PAGE = 10_000


def _choices(choices) -> str:
    return "；".join(f"{value}={label}" for value, label in choices)


def _no_default(schema: dict) -> None:
    # Filters are optional; an absent filter is not a value of the documented type.
    schema.pop("default", None)


def _documented(json_schema: dict, description: str, **kwargs):
    """A query parameter read as text (validated by the catalogue itself, with its Chinese
    messages) but documented with its real type, pattern or vocabulary."""
    return Annotated[
        str | None,
        WithJsonSchema(json_schema),
        Field(None, description=description, json_schema_extra=_no_default, **kwargs),
    ]


# --- query parameters -------------------------------------------------------------------


class CatalogueQuery(Schema):
    """The filters of the HTML catalogue /xxgk/, with the same names, values and messages."""

    department: _documented(
        {"type": "string", "pattern": "^[a-z0-9_-]{1,40}$"},
        "发布机构代号（见 /api/departments 的 slug），例如 czj",
    )
    topic: _documented(
        {"type": "string", "pattern": "^[0-9]{2,8}$"},
        "主题分类代码（见 /api/topics）；一级分类包含其下的二级分类，例如 03",
    )
    genre: _documented({"type": "string", "enum": list(Genre.values)}, f"体裁分类：{_choices(Genre.choices)}")
    year: _documented({"type": "integer", "minimum": 1949, "maximum": 2100}, "发布年份，四位数字，例如 2025")
    validity: _documented(
        {"type": "string", "enum": list(Validity.values)},
        f"有效性（按今日显示的有效性，过了失效日期的“有效”文件算作“失效”）：{_choices(Validity.choices)}",
    )
    q: _documented(
        {"type": "string", "maxLength": MAX_QUERY_LENGTH},
        "关键词：在标题、发文字号、索引号和主题词中查找",
    )
    sort: _documented(
        {"type": "string", "enum": list(SortOrder.values)},
        f"排序（默认 {SortOrder.NEWEST.value}）：{_choices(SortOrder.choices)}",
    )


class PageQuery(Schema):
    page: int = Field(1, ge=1, le=MAX_PAGE, description="页码，从 1 开始")
    page_size: int = Field(20, ge=1, le=MAX_PAGE_SIZE, description=f"每页条数，最多 {MAX_PAGE_SIZE}")


# --- errors -----------------------------------------------------------------------------


class Message(Schema):
    message: str = Field(..., description="错误说明（中文），可直接展示给用户")


# --- reference data ---------------------------------------------------------------------


class DepartmentRef(Schema):
    slug: str = Field(..., description="部门代号，用于筛选参数 department 和网址")
    name: str = Field(..., description="部门全称")
    short_name: str = Field(..., description="部门简称，没有简称时为空字符串")
    org_code: str = Field(..., description="机构代码（9位或18位），索引号的前缀")


class Department(DepartmentRef):
    parent: str | None = Field(None, description="上级部门代号，没有上级时为 null")
    phone: str = Field("", description="联系电话")
    address: str = Field("", description="办公地址")
    email: str = Field("", description="电子邮箱")
    catalogue_url: str | None = Field(None, description="该部门信息公开栏目的网址，没有栏目时为 null")


class TopicRef(Schema):
    code: str = Field(..., description="主题分类代码")
    name: str = Field(..., description="分类名称")
    top_code: str = Field(..., description="所属一级分类的代码（本身是一级分类时与 code 相同）")
    top_name: str = Field(..., description="所属一级分类的名称")


class SubTopic(Schema):
    code: str = Field(..., description="二级分类代码")
    name: str = Field(..., description="二级分类名称")


class TopicNode(Schema):
    code: str = Field(..., description="一级分类代码，可用于筛选参数 topic（包含其下二级分类）")
    name: str = Field(..., description="一级分类名称")
    children: list[SubTopic] = Field(..., description="其下的二级分类，按代码排序")


# --- the catalogue ----------------------------------------------------------------------


class FacetOption(Schema):
    value: int | str = Field(..., description="筛选参数的取值（年份为整数，其余为字符串）")
    label: str = Field(..., description="显示名称")
    count: int = Field(..., description="在其余筛选条件下，选择此项后的文件数")
    selected: bool = Field(..., description="当前是否已按此项筛选")


class Facets(Schema):
    department: list[FacetOption] = Field(..., description="按发布机构统计")
    topic: list[FacetOption] = Field(..., description="按一级主题分类统计")
    genre: list[FacetOption] = Field(..., description="按体裁分类统计")
    year: list[FacetOption] = Field(..., description="按发布年份统计，新的在前")
    validity: list[FacetOption] = Field(..., description="按有效性统计")


class DocumentItem(Schema):
    id: int = Field(..., description="文件编号（与 /api/v2/pages/{id}/ 的页面编号相同）")
    title: str = Field(..., description="标题")
    url: str = Field(..., description="文件页面的完整网址")
    index_number: str | None = Field(None, description="索引号，例如 005423101/2025-00001")
    department: DepartmentRef | None = Field(None, description="发布机构")
    topic: TopicRef = Field(..., description="主题分类")
    genre: str = Field(..., description=f"体裁分类代码：{_choices(Genre.choices)}")
    genre_display: str = Field(..., description="体裁分类名称")
    document_number: str = Field(..., description="发文字号，没有时为空字符串")
    written_on: datetime.date = Field(..., description="成文日期")
    published_on: datetime.date | None = Field(None, description="发布日期")
    keywords: list[str] = Field(..., description="主题词")
    validity: str = Field(..., description=f"今日显示的有效性：{_choices(Validity.choices)}")
    validity_display: str = Field(..., description="有效性名称")
    summary: str = Field(..., description="内容概述")


class DocumentList(Schema):
    total: int = Field(..., description="符合筛选条件的文件总数")
    page: int = Field(..., description="当前页码")
    page_size: int = Field(..., description="每页条数")
    num_pages: int = Field(..., description="总页数")
    items: list[DocumentItem] = Field(..., description="本页的文件")
    facets: Facets = Field(..., description="分面统计，与网站“政府信息公开”目录页左侧的筛选计数一致")


class Attachment(Schema):
    id: int = Field(..., description="文档编号（与 /api/v2/documents/{id}/ 相同）")
    title: str = Field(..., description="附件显示名称")
    url: str = Field(..., description="下载地址")
    file_extension: str = Field(..., description="文件扩展名，例如 pdf")
    file_size: int = Field(..., description="文件大小（字节）")
    file_size_display: str = Field(..., description="文件大小（便于阅读），例如 1.2 MB")


class DocumentRef(Schema):
    id: int = Field(..., description="文件编号")
    title: str = Field(..., description="标题")
    url: str = Field(..., description="文件页面的完整网址")
    index_number: str | None = Field(None, description="索引号")


class Relations(Schema):
    repeals: DocumentRef | None = Field(None, description="本文件废止的文件")
    amends: DocumentRef | None = Field(None, description="本文件修改的文件")
    repealed_by: list[DocumentRef] = Field(..., description="废止本文件的文件")
    amended_by: list[DocumentRef] = Field(..., description="修改本文件的文件")
    interpretations: list[DocumentRef] = Field(..., description="对本文件的政策解读")
    interprets: DocumentRef | None = Field(None, description="本文件是政策解读时，所解读的文件")


class Block(Schema):
    type: str = Field(
        ...,
        description="块类型：heading 小标题、paragraph 正文（HTML）、table 表格、image 图片、"
        "attachment 附件、notice 提示框",
    )
    value: Any = Field(..., description="块内容，结构取决于块类型")
    id: str | None = Field(None, description="块编号")


class DocumentDetail(DocumentItem):
    validity_recorded: str = Field(..., description="编辑录入的有效性（不考虑失效日期）")
    effective_on: datetime.date | None = Field(None, description="生效日期")
    expires_on: datetime.date | None = Field(None, description="失效日期")
    disclosure_method: str = Field(..., description=f"公开方式：{_choices(DisclosureMethod.choices)}")
    disclosure_method_display: str = Field(..., description="公开方式名称")
    last_published_at: datetime.datetime | None = Field(None, description="最近一次发布（更新）的时间")
    body: list[Block] = Field(..., description="正文，StreamField 的 API 表示（富文本为 HTML）")
    attachments: list[Attachment] = Field(..., description="附件")
    relations: Relations = Field(..., description="与其他文件的关系：废止、修改、解读")
    interpretation_form: str | None = Field(
        None, description="政策解读的形式（text 文字、graphic 图文、video 视频、qa 问答）；不是解读时为 null"
    )


# --- site search ------------------------------------------------------------------------


class SearchHit(Schema):
    key: str = Field(
        ..., description="结果编号：page:<页面编号>（与 /api/v2/pages/{id}/ 相同）或 resource:<资源编号>"
    )
    kind: str = Field(
        ...,
        description="类型：document 政府文件、interpretation 政策解读、resource 信息资源、"
        "news 新闻动态、service 办事指南、procurement 政府采购、page 网页",
    )
    kind_label: str = Field(..., description="类型名称")
    title: str = Field(..., description="标题")
    title_html: str = Field(..., description="标题 HTML，命中的词用 <mark> 标出（已转义）")
    url: str = Field(..., description="网址（本站为站内相对地址）")
    date: datetime.date | None = Field(None, description="发布日期")
    department: str = Field(..., description="发布机构或资源提供方名称，没有时为空字符串")
    identifiers: list[str] = Field(..., description="发文字号、索引号、资源代码、事项编码或采购项目编号")
    snippet_html: str = Field(..., description="正文摘要 HTML，命中的词用 <mark> 标出（已转义）")
    validity: str = Field(..., description="政府文件的有效性（valid/expired/repealed/amended），其他为空")
    openness: str = Field(..., description="信息资源的开放属性（open/conditional/closed），其他为空")
    online_level: str = Field(
        "", description="办事指南的网上办理程度（offline/booking/online/full），其他为空"
    )
    notice_type: str = Field(
        "",
        description="政府采购公告的类型（tender/correction/award/termination/contract）；采购项目本身和其他为空",
    )
    status: str = Field(
        "",
        description="政府采购项目的状态（upcoming/open/closing/closed/awarded/terminated），公告取其项目的状态；"
        "其他为空",
    )
    method: str = Field("", description="政府采购的采购方式（open/selective/…），其他为空")


class FacetOption(Schema):
    value: str = Field(..., description="筛选值，作为同名参数传回即可筛选")
    label: str = Field(..., description="显示名称")
    count: int = Field(..., description="在其他筛选条件下的结果数（不受本分面自身筛选影响）")
    selected: bool = Field(..., description="是否已选中")


class Facet(Schema):
    name: str = Field(
        ...,
        description="参数名：kind、department、topic、year、genre、validity、catalogue、sharing、openness、"
        "audience、online_level、item_type、notice_type、status、method、budget_band",
    )
    label: str = Field(..., description="分面名称")
    options: list[FacetOption] = Field(..., description="可选项及其数量")


class BestBet(Schema):
    title: str = Field(..., description="标题")
    url: str = Field(..., description="网址")
    description: str = Field(..., description="编辑填写的说明")


class SearchResults(Schema):
    query: str = Field(..., description="整理后的搜索词")
    words: list[str] = Field(..., description="搜索词分词结果（各词须同时出现）")
    total: int = Field(..., description="结果总数")
    page: int = Field(..., description="当前页码（超出范围时为最后一页）")
    num_pages: int = Field(..., description="总页数")
    per_page: int = Field(..., description="每页条数")
    has_previous: bool = Field(..., description="是否有上一页")
    has_next: bool = Field(..., description="是否有下一页")
    sort: str = Field(..., description="排序：relevance 相关度，date 日期")
    backend: str = Field(
        ..., description="提供结果的搜索引擎：elasticsearch 或 database（数据库检索，Elasticsearch 不可用时）"
    )
    notices: list[str] = Field(..., description="给用户的提示，例如已忽略的筛选条件、正在使用数据库检索")
    best_bets: list[BestBet] = Field(..., description="编辑为该搜索词置顶的推荐结果（仅第 1 页、无筛选时）")
    facets: list[Facet] = Field(..., description="分面及数量")
    results: list[SearchHit] = Field(..., description="本页结果，按所选排序")


class Suggestion(Schema):
    title: str = Field(..., description="标题")
    url: str = Field(..., description="网址")
    kind: str = Field(..., description="类型")
