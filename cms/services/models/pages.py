from django.db import models
from wagtail.admin.panels import FieldPanel

from cms.core.models import BasePage


class ServiceIndexPage(BasePage):
    """/zwfw/: the service guide, browsed by department, audience and topic."""

    intro = models.TextField("栏目介绍", blank=True)

    parent_page_types = ["home.HomePage"]
    subpage_types = ["services.ServiceDepartmentPage"]
    max_count = 1
    content_panels = BasePage.content_panels + [FieldPanel("intro")]

    class Meta:
        verbose_name = "办事服务"
        verbose_name_plural = "办事服务"


class ServiceDepartmentPage(BasePage):
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

    class Meta:
        verbose_name = "部门办事栏目"
        verbose_name_plural = "部门办事栏目"
