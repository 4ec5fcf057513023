"""Admin hooks of 依申请公开 that belong to the annual report: the "从办件数据生成" view and its button in
the header menu of an annual report page. (The officers' queues are casework's.)"""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.widgets import Button

from .report_admin import AnnualFiguresView


@hooks.register("register_admin_urls")
def register_figures_url():
    return [
        path(
            "ysqgk/annual-report/<int:page_id>/figures/",
            AnnualFiguresView.as_view(),
            name="disclosure_requests_annual_figures",
        )
    ]


@hooks.register("register_page_header_buttons")
def annual_figures_button(page, user, view_name=None, next_url=None):
    from cms.disclosure.models import AnnualReportPage

    if page.specific_class is AnnualReportPage and page.permissions_for_user(user).can_edit():
        yield Button(
            "从办件数据生成申请情况表",
            reverse("disclosure_requests_annual_figures", args=[page.pk]),
            icon_name="table",
            priority=40,
        )
