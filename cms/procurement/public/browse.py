"""The project list at /zfcg/ and /zfcg/<dept>/ (a department's folder: its buyer fixed).

Every filter is in the query string (``filters.py``), so a view can be bookmarked, shared, subscribed to
(Atom, iCalendar, 订阅此筛选) and used without JavaScript. Bad values answer 400 with the form, each
message linked to its field; a page past the end is 404.

Queries per request, whatever the number of projects: the page's rows (buyer and agency joined), their
count, and one GROUP BY per facet (method, status, buyer, category, budget band).
"""

from dataclasses import replace

from django.core.paginator import EmptyPage, Paginator
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from cms.procurement.models import ProcurementProject

from . import filters as project_filters
from .filters import FilterError, ProjectFilters

TEMPLATE = "procurement/index.html"


def read_filters(page, query):
    filters = ProjectFilters.from_query(query)
    fixed = page.fixed_filters()
    return replace(filters, **fixed) if fixed else filters


def link_filters(page, filters):
    """The filters the page's own links carry: a folder's fixed buyer is its address, not a parameter."""
    fixed = page.fixed_filters()
    return replace(filters, **dict.fromkeys(fixed, "")) if fixed else filters


def subscription_address():
    """The suppliers' part builds the subscription form; its address is fixed by the issue either way."""
    try:
        return reverse("procurement:subscription_new")
    except NoReverseMatch:
        return "/zfcg/supplier/subscriptions/new/"


def query_links(filters):
    """The feed, calendar and subscription addresses for the same filters (without the sort order)."""
    query = filters.to_query(sort=project_filters.SortOrder.LATEST)
    suffix = f"?{query}" if query else ""
    return {
        "feed_url": reverse("procurement:feed") + suffix,
        "calendar_url": reverse("procurement:deadlines") + suffix,
        "ocds_url": reverse("portal_api:ocds_bulk_releases") + suffix,
        "subscribe_url": subscription_address() + suffix,
    }


def page_of_projects(base, filters, now, number, total):
    """One page of the list. The ordering runs over narrow rows (ids and sort keys); only the page's 20
    projects are then read in full, with their status, buyer and agency: far cheaper than sorting 10,000
    wide rows. ``total`` comes from the facet counts, so no COUNT query either."""
    ids = project_filters.ordered(project_filters.apply(base, filters, now), filters, now).values_list(
        "pk", flat=True
    )
    paginator = Paginator(ids, project_filters.PER_PAGE)
    paginator.count = total  # a cached_property: set, it is never computed
    projects = paginator.page(number)
    wanted = list(projects.object_list)
    rows = ProcurementProject.objects.with_status(now).select_related("buyer", "agency").in_bulk(wanted)
    projects.object_list = [rows[pk] for pk in wanted if pk in rows]
    return projects


def serve_listing(page, request, *args, **kwargs):
    now = timezone.now()
    base = page.project_scope()
    context = page.get_context(request, *args, **kwargs)
    context.update(
        now=now,
        fixed=page.fixed_filters(),
        procurement_index=page.procurement_index(),
        sort_options=project_filters.SortOrder.CHOICES,
        field_labels=project_filters.FIELD_LABELS,
    )
    try:
        filters = read_filters(page, request.GET)
        page_number = project_filters.read_page_number(request.GET)
    except FilterError as error:
        return _refused(request, page, base, context, error, now)
    facets = project_filters.facet_counts(base, filters, now)
    try:
        projects = page_of_projects(base, filters, now, page_number, facets["total"])
    except EmptyPage as exc:
        raise Http404("页码超出范围") from exc
    context.update(
        filters=link_filters(page, filters),
        projects=projects,
        facets=facets,
        values=filters.form_values(),
        chips=project_filters.chips(filters, page.fixed_filters()),
        **query_links(filters),
    )
    return TemplateResponse(request, TEMPLATE, context)


def _refused(request, page, base, context, error, now):
    """The form again with the values as typed and each message linked to its field, and no results."""
    filters = ProjectFilters(**page.fixed_filters())
    context.update(
        filters=link_filters(page, filters),
        projects=None,
        facets=project_filters.facet_counts(base, filters, now),
        errors=[
            {"name": name, "message": message, "href": f"#filter-{name}" if name else ""}
            for name, message in error.errors
        ],
        field_errors={name: message for name, message in error.errors if name},
        values={name: request.GET.get(name, "") for name in project_filters.PARAMETERS},
        **query_links(filters),
    )
    return TemplateResponse(request, TEMPLATE, context, status=400)
