"""站内搜索 as JSON: the search page's own service (search.service), same parameters, results and order."""

import datetime

from ninja import Field, Query, Router, Schema, Status

from search.params import BadSearch, SearchParams
from search.service import site_search, suggest

from . import schemas

router = Router(tags=["站内搜索"])


class SearchQuery(Schema):
    q: str = Field(
        "",
        description="搜索词，最多 100 个字；多个词用空格分开，须同时出现。"
        "也可以是发文字号、索引号、资源代码、采购项目编号或部门名称的拼音首字母（如 czj）",
    )
    kind: list[str] = Field(
        [], description="类型，可重复：document、interpretation、resource、news、service、procurement、page"
    )
    department: list[str] = Field([], description="发布机构代号，可重复，例如 czj")
    topic: list[str] = Field([], description="主题分类代码，可重复")
    year: list[str] = Field([], description="年份，可重复")
    genre: list[str] = Field([], description="体裁分类，可重复")
    validity: list[str] = Field([], description="有效性：valid、expired、repealed、amended")
    catalogue: list[str] = Field([], description="目录类别：1 基础、2 主题、3 部门")
    sharing: list[str] = Field([], description="共享属性：unconditional、conditional、none")
    openness: list[str] = Field([], description="开放属性：open、conditional、closed")
    audience: list[str] = Field([], description="服务对象（办事指南）：person、organisation")
    online_level: list[str] = Field([], description="网上办理（办事指南）：offline、booking、online、full")
    item_type: list[str] = Field(
        [],
        description="事项类型（办事指南）：licensing、payment、confirmation、adjudication、reward、other_power、"
        "public_service",
    )
    notice_type: list[str] = Field(
        [], description="公告类型（政府采购）：tender、correction、award、termination、contract"
    )
    status: list[str] = Field(
        [], description="项目状态（政府采购）：upcoming、open、closing、closed、awarded、terminated"
    )
    method: list[str] = Field(
        [],
        description="采购方式（政府采购）：open、selective、negotiation、consultation、inquiry、single_source、"
        "framework",
    )
    budget_band: list[str] = Field(
        [], description="预算金额（政府采购）：lt50w、50w-200w、200w-1000w、gte1000w"
    )
    date_from: datetime.date | None = Field(None, alias="from", description="起始日期（含），例如 2025-01-01")
    date_to: datetime.date | None = Field(None, alias="to", description="截止日期（含）")
    sort: str = Field("relevance", description="排序：relevance（相关度）或 date（日期，新→旧）")
    page: int = Field(1, ge=1, le=500, description="页码，从 1 开始")
    per_page: int = Field(10, ge=1, le=50, description="每页条数，最多 50")


def _as_dict(page):
    return {
        "query": page.query,
        "words": page.words,
        "total": page.total,
        "page": page.page,
        "num_pages": page.num_pages,
        "per_page": page.per_page,
        "has_previous": page.has_previous,
        "has_next": page.has_next,
        "sort": page.sort,
        "backend": page.backend,
        "notices": [str(n) for n in page.notices],
        "best_bets": page.best_bets,
        "facets": [
            {"name": f.name, "label": str(f.label), "options": [vars(o) for o in f.options]}
            for f in page.facets
        ],
        "results": [
            {**r, "title_html": str(r["title_html"]), "snippet_html": str(r["snippet_html"])}
            for r in page.results
        ],
    }


@router.get(
    "/search",
    response={200: schemas.SearchResults, 400: schemas.Message},
    summary="站内搜索",
    description="与网站搜索页 /search/ 相同的参数、结果和排序；分面数量不受该分面自身的筛选影响。"
    "搜索词为空时返回空结果；Elasticsearch 不可用时由数据库检索回答"
    "（backend 为 database，notices 中有说明）。",
)
def search_api(request, params: Query[SearchQuery]):
    try:
        search_params = SearchParams.from_query(request.GET)
    except BadSearch as error:
        return Status(400, {"message": str(error)})
    return _as_dict(site_search(search_params, request))


@router.get(
    "/search/suggest",
    response=list[schemas.Suggestion],
    summary="搜索提示",
    description="输入时的提示：标题以输入开头或含有输入的词的条目，以及名称拼音或首字母以输入开头的资源和部门。",
)
def suggest_api(request, q: str = Query("", description="已输入的文字，最多 40 个字", max_length=200)):
    return suggest(q)
