"""The projects the feed and the calendar cover: the site's /zfcg/ index narrowed by the list's filters."""

from django.db.models.functions import Length, Substr
from django.http import Http404
from wagtail.models import Page, Site

from cms.procurement.models import ProcurementIndexPage

from . import filters as project_filters


def procurement_index(request):
    site = Site.find_for_request(request)
    indexes = ProcurementIndexPage.objects.live().public()
    if site is not None:
        indexes = indexes.descendant_of(site.root_page, inclusive=True)
    index = indexes.first()
    if index is None:
        raise Http404("政府采购栏目尚未发布")
    return index


def matching_projects(request, now):
    """(index, filters, projects): FilterError for filters that cannot be understood."""
    index = procurement_index(request)
    filters = project_filters.ProjectFilters.from_query(request.GET)
    projects = project_filters.apply(index.project_scope(), filters, now)
    return index, filters, projects


def with_parent_path(queryset):
    """Pages annotated with their parent's path (a notice's project), to match many projects in one query."""
    return queryset.annotate(parent_path=Substr("path", 1, Length("path") - Page.steplen))
