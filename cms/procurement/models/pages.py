from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField

from cms.core.models import BasePage
from cms.core.serializers import DepartmentField


class ProjectListingMixin:
    """Serves the filterable list of the live projects below this page (``cms.procurement.browse``)."""

    def project_scope(self):
        from .project import ProcurementProject

        return ProcurementProject.objects.live().public().descendant_of(self)

    def fixed_filters(self):
        return {}

    def procurement_index(self):
        return self

    def serve(self, request, *args, **kwargs):
        from cms.procurement.browse import serve_listing

        return serve_listing(self, request, *args, **kwargs)


class ProcurementIndexPage(ProjectListingMixin, BasePage):
    """/zfcg/: every project, filtered by method, status, buyer, category, budget and date,
    with an Atom feed and an iCalendar file of deadlines for any filter."""

    intro = models.TextField("栏目介绍", blank=True)

    parent_page_types = ["home.HomePage"]
    subpage_types = ["procurement.ProcurementDepartmentPage"]
    max_count = 1
    content_panels = BasePage.content_panels + [FieldPanel("intro")]
    api_fields = BasePage.api_fields + [APIField("intro")]

    class Meta:
        verbose_name = "政府采购"
        verbose_name_plural = "政府采购"


class ProcurementDepartmentPage(ProjectListingMixin, BasePage):
    """A buyer department's folder, /zfcg/<slug>/: its editors create and edit its projects only here."""

    department = models.OneToOneField(
        "core.Department",
        verbose_name="采购人（部门）",
        on_delete=models.PROTECT,
        related_name="procurement_page",
    )

    intro = models.TextField("栏目介绍", blank=True)

    parent_page_types = ["procurement.ProcurementIndexPage"]
    subpage_types = ["procurement.ProcurementProject"]
    content_panels = BasePage.content_panels + [
        FieldPanel("department", permission="core.change_department"),
        FieldPanel("intro"),
    ]
    api_fields = BasePage.api_fields + [
        APIField("department", serializer=DepartmentField()),
        APIField("intro"),
    ]

    class Meta:
        verbose_name = "部门采购栏目"
        verbose_name_plural = "部门采购栏目"

    def fixed_filters(self):
        return {"buyer": self.department.slug}

    def procurement_index(self):
        return self.get_parent().specific
