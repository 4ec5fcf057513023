"""年度报告 → 从办件数据生成: an editor of an annual report previews table 三 computed from the requests of
the report's year and department, and writes it into a new draft of the report. The published report keeps
the figures it was approved with (a report is a document of record); the draft goes through the usual
review before it replaces them. Numbers remain editable in the draft, for the rare request received on
paper and never entered here."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.blocks import StreamValue

from cms.core.models import Department
from cms.disclosure.annual_report import REQUEST_CAPTION, with_request_table
from cms.disclosure.models import AnnualReportPage, DisclosureDepartmentPage

from .figures import COLUMN_GROUPS, request_figures

ALL = "all"


def editable_report(request, page_id):
    page = get_object_or_404(AnnualReportPage, pk=page_id)
    if not page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    return page


def report_department(page):
    """The report's department: its own field, else that of the department folder it sits in (a report
    under /xxgk/czj/ is 市财政局's); None for the city's report."""
    if page.department_id:
        return page.department
    folder = DisclosureDepartmentPage.objects.ancestor_of(page).select_related("department").first()
    return folder.department if folder else None


def may_choose_scope(user, department):
    """A department's report counts that department's requests; only the city's report and site
    administrators may count another scope."""
    return department is None or user.is_superuser


def chosen_department(request, page):
    """The report's department, unless the editor may and did pick another scope (``scope=<slug>|all``)."""
    department = report_department(page)
    scope = request.POST.get("scope") or request.GET.get("scope")
    if not scope or not may_choose_scope(request.user, department):
        return department
    if scope == ALL:
        return None
    return Department.objects.filter(slug=scope[:40]).first() or department


class AnnualFiguresView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "disclosure_requests/admin/annual_figures.html"
    page_title = "从办件数据生成：收到和处理政府信息公开申请情况"
    header_icon = "table"

    def dispatch(self, request, page_id):
        self.page = editable_report(request, page_id)
        self.department = chosen_department(request, self.page)
        return super().dispatch(request, page_id)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("wagtailadmin_pages:edit", args=[self.page.pk]), "label": self.page.title},
            {"label": "从办件数据生成"},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            report=self.page,
            figures=request_figures(self.page.year, self.department),
            column_groups=COLUMN_GROUPS,
            caption=REQUEST_CAPTION,
            scope=self.department.slug if self.department else ALL,
            departments=Department.objects.order_by("sort_order", "name"),
            may_choose_scope=may_choose_scope(self.request.user, report_department(self.page)),
        )
        return context

    def post(self, request, page_id):
        figures = request_figures(self.page.year, self.department)
        draft = self.page.get_latest_revision_as_object()
        raw = with_request_table(list(draft.body.raw_data), figures.table_rows())
        draft.body = StreamValue(draft.body.stream_block, raw, is_lazy=True)
        draft.save_revision(user=request.user, log_action=True)
        scope = self.department.name if self.department else "全部部门"
        messages.success(
            request,
            f"已按{scope}{self.page.year}年的办件数据更新“{REQUEST_CAPTION}”表，保存为草稿；请核对后提交审核发布。",
        )
        return redirect("wagtailadmin_pages:edit", self.page.pk)
