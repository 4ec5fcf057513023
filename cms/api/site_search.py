"""站内搜索 as JSON: the search page's own ``run_search`` (search/views.py), same results and order."""

from ninja import Field, Query, Router, Schema, Status
from wagtail.models import Site

from search.views import QueryTooLong, run_search

from . import schemas

router = Router(tags=["站内搜索"])


class SearchQuery(Schema):
    q: str = Field("", description="搜索词，最多 100 个字；多个词用空格分开，须同时出现")
    page: int = Field(1, ge=1, le=1000, description="页码，从 1 开始")
    per_page: int = Field(10, ge=1, le=50, description="每页条数，最多 50")


@router.get(
    "/search",
    response={200: schemas.SearchResults, 400: schemas.Message},
    summary="站内搜索",
    description="与网站搜索页 /search/ 相同的结果和排序；搜索词为空时返回空结果。",
)
def site_search(request, params: Query[SearchQuery]):
    try:
        result = run_search(
            params.q, params.page, params.per_page, request=request, site=Site.find_for_request(request)
        )
    except QueryTooLong as error:
        return Status(400, {"message": str(error)})
    return result.as_dict()
