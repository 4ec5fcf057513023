from django.core.paginator import EmptyPage, Paginator
from django.db import models
from django.http import Http404
from django.template.response import TemplateResponse
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.search import index

from cms.core.blocks import CoreStoryBlock
from cms.core.models import BasePage
from cms.core.serializers import DepartmentField

from .. import catalogue
from ..annual_report import template_body
from ..choices import SortOrder
from .documents import DisclosureDocument

MAX_PAGE = 10_000


class CatalogueMixin:
    """Renders the filterable catalogue over the documents below this page."""

    per_page = 20
    catalogue_template = "disclosure/catalogue.html"

    def documents(self):
        return (
            DisclosureDocument.objects.live()
            .public()
            .descendant_of(self)
            .select_related("department", "topic", "topic__parent")
        )

    def fixed_filters(self):
        return {}

    def read_filters(self, request):
        filters = catalogue.CatalogueFilters.from_query(request.GET)
        fixed = self.fixed_filters()
        return catalogue.replace(filters, **fixed) if fixed else filters

    def filtered_documents(self, filters):
        base = catalogue.with_validity(self.documents())
        return base, catalogue.ordered(catalogue.apply(base, filters), filters)

    def serve_catalogue(self, request):
        try:
            filters = self.read_filters(request)
        except catalogue.FilterError as error:
            return TemplateResponse(
                request, "disclosure/filter_error.html", {"page": self, "message": str(error)}, status=400
            )
        base, results = self.filtered_documents(filters)
        page_number = request.GET.get("page", "1")
        if not catalogue.is_page_number(page_number) or not 1 <= int(page_number) <= MAX_PAGE:
            return TemplateResponse(
                request,
                "disclosure/filter_error.html",
                {"page": self, "message": "页码应为正整数"},
                status=400,
            )
        paginator = Paginator(results, self.per_page)
        try:
            documents = paginator.page(int(page_number))
        except EmptyPage as exc:
            raise Http404("页码超出范围") from exc
        context = self.get_context(request)
        context.update(
            filters=filters,
            documents=documents,
            facets=catalogue.facet_counts(base, filters),
            fixed=self.fixed_filters(),
            sort_options=SortOrder.choices,
            feed_url=self.feed_url(filters),
        )
        return TemplateResponse(request, self.catalogue_template, context)

    def catalogue_root(self):
        """The DisclosureIndexPage whose feed serves this catalogue."""
        return self

    def feed_url(self, filters):
        base = self.catalogue_root().url + "feed/"
        query = filters.to_query()
        return f"{base}?{query}" if query else base


def side_pages(root, folder):
    """The guide and annual reports beside a catalogue: the city's, and the folder's own."""

    def pages(model):
        scope = model.objects.child_of(root)
        if folder.pk != root.pk:
            scope = scope | model.objects.descendant_of(folder)
        return scope.live().public()

    return {
        "catalogue_root": root,
        "guides": pages(DisclosureGuidePage),
        "annual_reports": pages(AnnualReportPage).order_by("-year"),
    }


class DisclosureIndexPage(CatalogueMixin, RoutablePageMixin, BasePage):
    """政府信息公开 at /xxgk/: the catalogue of every department's documents."""

    intro = models.TextField("栏目介绍", blank=True)

    subpage_types = [
        "disclosure.DisclosureDepartmentPage",
        "disclosure.DisclosureGuidePage",
        "disclosure.AnnualReportPage",
        "core.ContentPage",
    ]
    content_panels = BasePage.content_panels + [FieldPanel("intro")]
    api_fields = BasePage.api_fields + [APIField("intro")]

    class Meta:
        verbose_name = "信息公开目录"
        verbose_name_plural = "信息公开目录"

    @path("")
    def catalogue_view(self, request):
        return self.serve_catalogue(request)

    @path("feed/")
    def feed_view(self, request):
        from ..feeds import CatalogueFeed

        return CatalogueFeed(self)(request)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(side_pages(self, self))
        return context


class DisclosureDepartmentPage(CatalogueMixin, BasePage):
    """A department's own disclosure folder, e.g. /xxgk/czj/: its editors work only here."""

    department = models.OneToOneField(
        "core.Department", verbose_name="部门", on_delete=models.PROTECT, related_name="disclosure_page"
    )
    intro = models.TextField("栏目介绍", blank=True)

    parent_page_types = ["disclosure.DisclosureIndexPage"]
    subpage_types = [
        "disclosure.DisclosureDocument",
        "disclosure.Interpretation",
        "disclosure.DisclosureGuidePage",
        "disclosure.AnnualReportPage",
    ]
    content_panels = BasePage.content_panels + [
        FieldPanel("department", permission="core.change_department"),
        FieldPanel("intro"),
    ]
    api_fields = BasePage.api_fields + [
        APIField("department", serializer=DepartmentField()),
        APIField("intro"),
    ]

    class Meta:
        verbose_name = "部门信息公开栏目"
        verbose_name_plural = "部门信息公开栏目"

    def fixed_filters(self):
        return {"department": self.department.slug}

    def serve(self, request, *args, **kwargs):
        return self.serve_catalogue(request)

    def catalogue_root(self):
        return self.get_parent().specific

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(side_pages(self.catalogue_root(), self))
        return context


class DisclosureGuidePage(BasePage):
    """政府信息公开指南."""

    department = models.ForeignKey(
        "core.Department",
        verbose_name="部门",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_on = models.DateField("更新日期", null=True, blank=True)
    body = StreamField(CoreStoryBlock(), verbose_name="正文", blank=True)

    parent_page_types = ["disclosure.DisclosureIndexPage", "disclosure.DisclosureDepartmentPage"]
    subpage_types = []
    content_panels = BasePage.content_panels + [
        FieldPanel("department", permission="core.change_department"),
        FieldPanel("updated_on"),
        FieldPanel("body"),
    ]
    search_fields = BasePage.search_fields + [index.SearchField("body")]
    api_fields = BasePage.api_fields + [
        APIField("department", serializer=DepartmentField()),
        APIField("updated_on"),
        APIField("body"),
    ]

    class Meta:
        verbose_name = "信息公开指南"
        verbose_name_plural = "信息公开指南"


class AnnualReportPage(BasePage):
    """政府信息公开工作年度报告, in the 2021 national template's structure."""

    year = models.PositiveSmallIntegerField("报告年度")
    department = models.ForeignKey(
        "core.Department",
        verbose_name="部门",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(CoreStoryBlock(), verbose_name="报告正文", blank=True, default=template_body)

    parent_page_types = ["disclosure.DisclosureIndexPage", "disclosure.DisclosureDepartmentPage"]
    subpage_types = []
    content_panels = BasePage.content_panels + [
        FieldPanel("year"),
        FieldPanel("department", permission="core.change_department"),
        FieldPanel("body"),
    ]
    search_fields = BasePage.search_fields + [index.SearchField("body"), index.FilterField("year")]
    api_fields = BasePage.api_fields + [
        APIField("year"),
        APIField("department", serializer=DepartmentField()),
        APIField("body"),
    ]

    class Meta:
        verbose_name = "年度报告"
        verbose_name_plural = "年度报告"
