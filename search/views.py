"""The public search page, /search/?q=…&page=N (plain GET form, works without JavaScript)."""

from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET
from wagtail.models import Site

from search.results import (
    DEFAULT_PER_PAGE,
    MAX_QUERY_LENGTH,
    QueryTooLong,
    SearchPage,
    clean_query,
    run_search,
    search_results,
)

__all__ = ["QueryTooLong", "SearchPage", "run_search", "search", "search_results"]

TEMPLATE = "search/search.html"


@require_GET
def search(request):
    context = {"max_length": MAX_QUERY_LENGTH}
    try:
        result = run_search(
            request.GET.get("q", ""),
            request.GET.get("page", 1),
            DEFAULT_PER_PAGE,
            request=request,
            site=Site.find_for_request(request),
        )
    except QueryTooLong as error:
        context.update(query=clean_query(request.GET.get("q", ""))[:MAX_QUERY_LENGTH], error=str(error))
        return TemplateResponse(request, TEMPLATE, context, status=400)
    context.update(query=result.query, search=result)
    return TemplateResponse(request, TEMPLATE, context)
