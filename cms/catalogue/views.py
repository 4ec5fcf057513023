"""The public catalogue: /ziyuan/ (browse) and /ziyuan/<front>/<seq>/ (one resource).

Plain server-rendered GET pages: they work without JavaScript and can be bookmarked.
"""

from django.conf import settings
from django.core.paginator import EmptyPage, Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from . import browse
from .choices import CatalogueKind
from .models import Resource, ResourceClass

PER_PAGE = 20
MAX_PAGE = 10_000
# Where the public asks for a resource that is not open: the disclosure request form (依申请公开).
DISCLOSURE_REQUEST_URL = "/xxgk/ysqgk/"

# What the public may know of a 不予开放 resource: what identifies it, nothing about its content.
IDENTIFYING_FIELDS = frozenset(
    {
        "name",
        "code",
        "classification",
        "catalogue",
        "department",
        "openness",
        "get_openness_display",
        "update_cycle",
        "get_update_cycle_display",
        "released_on",
        "shows_details",
        "get_absolute_url",
        "pk",
    }
)


def disclosure_request_url():
    return getattr(settings, "CATALOGUE_DISCLOSURE_REQUEST_URL", DISCLOSURE_REQUEST_URL)


class Identification:
    """A 不予开放 resource as its template sees it. Resource.shows_details decides; the template gets
    this stand-in instead of the model, so no slip in a template can print a hidden field."""

    def __init__(self, resource):
        self._resource = resource

    def __getattr__(self, name):
        if name not in IDENTIFYING_FIELDS:
            raise AttributeError(name)
        return getattr(self._resource, name)


def crumbs(*items):
    """Breadcrumbs after 首页: (label, url) pairs; the last is the current page."""
    return [{"label": label, "url": url} for label, url in items]


def filter_error(request, message):
    context = {"message": message, "breadcrumbs": crumbs((_("政务信息资源目录"), reverse("catalogue:index")))}
    return TemplateResponse(request, "catalogue/filter_error.html", context, status=400)


@require_safe
def index(request):
    try:
        filters = browse.ResourceFilters.from_query(request.GET)
    except browse.FilterError as error:
        return filter_error(request, str(error))
    page_number = request.GET.get("page", "1")
    if not browse.is_page_number(page_number) or not 1 <= int(page_number) <= MAX_PAGE:
        return filter_error(request, _("页码应为正整数"))

    base = Resource.objects.with_relations()
    results = browse.ordered(browse.apply(base, filters), filters)
    try:
        resources = Paginator(results, PER_PAGE).page(int(page_number))
    except EmptyPage as exc:
        raise Http404("页码超出范围") from exc
    facets = browse.facet_counts(base, filters)
    context = {
        "filters": filters,
        "resources": resources,
        "facets": facets,
        "tree": facets["tree"],
        "catalogue_label": CatalogueKind(filters.catalogue).label if filters.catalogue else "",
        "chosen_class": ResourceClass.objects.filter(code=filters.class_code).first(),
        "sort_options": browse.SortOrder.choices,
        "breadcrumbs": crumbs((_("政务信息资源目录"), reverse("catalogue:index"))),
    }
    return TemplateResponse(request, "catalogue/index.html", context)


@require_safe
def resource(request, front, seq):
    found = get_object_or_404(Resource.objects.with_relations(), code=f"{front}/{seq}")
    context = {
        "class_path": found.classification.ancestors(),
        "request_url": disclosure_request_url(),
        "breadcrumbs": crumbs(
            (_("政务信息资源目录"), reverse("catalogue:index")), (found.name, found.get_absolute_url())
        ),
    }
    if found.shows_details:
        context.update(
            resource=found,
            data_items=list(found.data_items.all()),
            related=related_resources(found.related_codes),
        )
    else:
        context.update(resource=Identification(found), data_items=[], related=[])
    return TemplateResponse(request, "catalogue/resource.html", context)


def related_resources(codes):
    """[(code, Resource or None)] in the editor's order: a code links to its page when it exists."""
    # A JSON field: anything but a list of strings (e.g. written outside the form) shows nothing.
    codes = [code for code in codes if isinstance(code, str)] if isinstance(codes, list) else []
    found = {r.code: r for r in Resource.objects.filter(code__in=codes).only("code", "name")}
    return [(code, found.get(code)) for code in codes]
