from django.core.paginator import EmptyPage, Paginator
from django.db import models
from django.http import Http404
from django.template.response import TemplateResponse
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField

from cms.core.models import BasePage
from cms.core.serializers import DepartmentField


class GuideListingMixin:
    """Serves the filterable list of the live guides below this page (the index or a department's folder)."""

    listing_template = "services/guide_list.html"

    def guides(self):
        from .guide import ServiceGuidePage

        return (
            ServiceGuidePage.objects.live()
            .public()
            .descendant_of(self)
            .select_related("department")
            .prefetch_related("topics")
        )

    def fixed_filters(self):
        return {}

    def service_index(self):
        return self

    def read_filters(self, request):
        from .. import browse

        filters = browse.GuideFilters.from_query(request.GET)
        fixed = self.fixed_filters()
        return browse.replace(filters, **fixed) if fixed else filters

    def filter_error(self, request, message):
        context = {"page": self, "message": message, "service_index": self.service_index()}
        return TemplateResponse(request, "services/filter_error.html", context, status=400)

    def serve(self, request, *args, **kwargs):
        from .. import browse

        try:
            filters = self.read_filters(request)
            page_number = browse.read_page_number(request.GET)
        except browse.FilterError as error:
            return self.filter_error(request, str(error))
        base = self.guides()
        results = browse.ordered(browse.apply(base, filters), filters)
        try:
            guides = Paginator(results, browse.PER_PAGE).page(page_number)
        except EmptyPage as exc:
            raise Http404("页码超出范围") from exc
        context = self.get_context(request, *args, **kwargs)
        context.update(
            filters=filters,
            guides=guides,
            facets=browse.facet_counts(base, filters),
            fixed=self.fixed_filters(),
            figures=browse.summary(base),
            sort_options=browse.SortOrder.CHOICES,
            service_index=self.service_index(),
        )
        return TemplateResponse(request, self.listing_template, context)


class ServiceIndexPage(GuideListingMixin, BasePage):
    """/zwfw/: the service guide, browsed by department, audience, topic or life event and online level."""

    intro = models.TextField("栏目介绍", blank=True)

    parent_page_types = ["home.HomePage"]
    subpage_types = ["services.ServiceDepartmentPage"]
    max_count = 1
    content_panels = BasePage.content_panels + [FieldPanel("intro")]
    api_fields = BasePage.api_fields + [APIField("intro")]

    class Meta:
        verbose_name = "办事服务"
        verbose_name_plural = "办事服务"


class ServiceDepartmentPage(GuideListingMixin, BasePage):
    """A department's own folder of guides, e.g. /zwfw/gaj/: its editors work only here."""

    department = models.OneToOneField(
        "core.Department", verbose_name="部门", on_delete=models.PROTECT, related_name="service_page"
    )
    intro = models.TextField("栏目介绍", blank=True)

    parent_page_types = ["services.ServiceIndexPage"]
    subpage_types = ["services.ServiceGuidePage"]
    content_panels = BasePage.content_panels + [
        FieldPanel("department", permission="core.change_department"),
        FieldPanel("intro"),
    ]
    api_fields = BasePage.api_fields + [
        APIField("department", serializer=DepartmentField()),
        APIField("intro"),
    ]

    class Meta:
        verbose_name = "部门办事栏目"
        verbose_name_plural = "部门办事栏目"

    def fixed_filters(self):
        return {"department": self.department.slug}

    def service_index(self):
        return self.get_parent().specific
