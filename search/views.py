"""The public search page, /search/?q=…&kind=…&page=N (a plain GET form: works without JavaScript)."""

from urllib.parse import urlencode

from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET

from search.params import MAX_QUERY_LENGTH, BadSearch, SearchParams, clean_text
from search.service import site_search

TEMPLATE = "search/search.html"


def link(params, **changes):
    """A query string for ``params`` with ``changes`` (page 1 unless ``page`` is given)."""
    items = params.query_items(**changes)
    return "?" + urlencode(items) if items else "?"


def decorate(page, params):
    """Give every facet option, sort and page the link that selects it."""
    for facet in page.facets:
        current = params.filters.get(facet.name, [])
        for option in facet.options:
            values = (
                [v for v in current if v != option.value] if option.selected else [*current, option.value]
            )
            option.url = link(params, **{facet.name: values})
        facet.clear_url = link(params, **{facet.name: []}) if facet.selected else ""
    page.base_query = urlencode(params.query_items())
    page.sort_urls = {
        sort: link(params, sort="" if sort == "relevance" else sort) for sort in ("relevance", "date")
    }
    page.clear_url = link(params, **{name: [] for name in params.filters}, **{"from": "", "to": ""})
    page.has_filters = bool(params.filters or params.date_from or params.date_to)
    return page


@require_GET
def search(request):
    context = {"max_length": MAX_QUERY_LENGTH}
    try:
        params = SearchParams.from_query(request.GET)
    except BadSearch as error:
        context.update(query=clean_text(request.GET.get("q", ""))[:MAX_QUERY_LENGTH], error=str(error))
        return TemplateResponse(request, TEMPLATE, context, status=400)
    page = decorate(site_search(params, request), params)
    context.update(query=params.q, search=page, params=params)
    return TemplateResponse(request, TEMPLATE, context)
