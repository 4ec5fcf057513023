"""The download register in the admin (文件下载登记): per project, who obtained which file and version
when, and which later notices each of them was emailed (with the email's ``sent_at``); CSV exports.

Who sees a project's register (anyone else gets 404, which says nothing about the project):

* the buyer department's editors and reviewers: ``departments_of(user)`` holds ``project.buyer`` and
  they have ``procurement.view_downloadrecord`` (the department groups do);
* the agency's staff: members of ``project.agency.group``;
* site administrators (and superusers).

The names and number of the suppliers who obtained the documents are confidential until the opening
(《中华人民共和国招标投标法》第二十二条); the pages say so, and nothing of it is public.
"""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Max, Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from cms.casework.export import csv_response
from cms.editors.groups import VIEW_DOWNLOADS, departments_of, is_site_admin
from cms.procurement.models import DownloadRecord, NoticePage, ProcurementProject, SupplierNotification
from cms.procurement.suppliers.access import MAX_ID

PER_PAGE = 50


# --- who sees what ----------------------------------------------------------------------------


def visible_projects(user):
    if not user.is_authenticated or not user.is_active:
        return ProcurementProject.objects.none()
    if is_site_admin(user):
        return ProcurementProject.objects.all()
    scope = Q(agency__group__in=user.groups.values("pk"))
    if user.has_perm(VIEW_DOWNLOADS):
        scope |= Q(buyer__in=departments_of(user).values("pk"))
    return ProcurementProject.objects.filter(scope)


def sees_register(user):
    """Whether the menu item shows: some project's register may be open to the user."""
    if not user.is_authenticated or not user.is_active:
        return False
    if is_site_admin(user):
        return True
    if user.groups.filter(agency__isnull=False).exists():
        return True
    return user.has_perm(VIEW_DOWNLOADS) and departments_of(user).exists()


def email_status(notification):
    """The email of a ``SupplierNotification`` as the register shows it."""
    if notification is None:
        return "未生成邮件"
    if notification.sent_at:
        return "已发送"
    if notification.attempts:
        return f"发送失败，将自动重试（已尝试{notification.attempts}次）"
    return "待发送"


# --- views ------------------------------------------------------------------------------------


class RegisterMixin(WagtailAdminTemplateMixin):
    header_icon = "download"
    page_title = "文件下载登记"

    def dispatch(self, request, *args, **kwargs):
        if not sees_register(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def index_crumb(self):
        return {"url": reverse("procurement_downloads:index"), "label": "文件下载登记"}


class RegisterIndexView(RegisterMixin, TemplateView):
    template_name = "procurement/suppliers/admin/register_index.html"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.page_title}]

    def projects(self):
        query = " ".join(self.request.GET.get("q", "").split())[:100]
        projects = visible_projects(self.request.user)
        if query:
            projects = projects.filter(Q(project_number__icontains=query) | Q(title__icontains=query))
        projects = projects.annotate(
            download_count=Count("downloads", distinct=True),
            supplier_count=Count("downloads__supplier", distinct=True),
            last_download=Max("downloads__downloaded_at"),
        ).select_related("buyer", "agency")
        if self.request.GET.get("all") != "1":
            projects = projects.filter(download_count__gt=0)
        return query, projects.order_by("-last_download", "-latest_notice_at", "-pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query, projects = self.projects()
        page = Paginator(projects, PER_PAGE).get_page(self.request.GET.get("p"))
        context.update({"page_obj": page, "query": query, "show_all": self.request.GET.get("all") == "1"})
        return context


class RegisterProjectView(RegisterMixin, TemplateView):
    template_name = "procurement/suppliers/admin/register_project.html"

    @cached_property
    def project(self):
        pk = self.kwargs["pk"]
        visible = visible_projects(self.request.user).select_related("buyer", "agency")
        project = visible.filter(pk=pk).first() if pk <= MAX_ID else None
        if project is None:
            raise Http404("没有找到该采购项目的下载登记")
        return project

    def get_page_title(self):
        return f"文件下载登记：{self.project.project_number}"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            self.index_crumb(),
            {"url": "", "label": self.project.project_number},
        ]

    def downloads(self):
        return (
            DownloadRecord.objects.filter(project=self.project)
            .select_related("supplier", "version__procurement_file")
            .order_by("-downloaded_at", "-pk")
        )

    def notifications(self):
        notices = NoticePage.objects.child_of(self.project)
        return (
            SupplierNotification.objects.filter(notice__in=notices)
            .select_related("supplier", "notice", "notification")
            .order_by("-created_at", "-pk")
        )

    def suppliers(self, downloads, notifications):
        """One row per supplier: first and last download, how many, and the notices emailed."""
        rows = {}
        for record in sorted(downloads, key=lambda r: r.downloaded_at):
            row = rows.setdefault(
                record.supplier_id,
                {"supplier": record.supplier, "first": record.downloaded_at, "count": 0, "notices": []},
            )
            row["last"] = record.downloaded_at
            row["count"] += 1
        for item in notifications:
            if item.supplier_id in rows:
                rows[item.supplier_id]["notices"].append(item)
        return sorted(rows.values(), key=lambda row: row["first"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        downloads = list(self.downloads())
        notifications = list(self.notifications())
        for item in notifications:
            item.status = email_status(item.notification)
        export = reverse("procurement_downloads:export", args=[self.project.pk])
        context.update(
            {
                "project": self.project,
                "downloads": downloads,
                "notifications": notifications,
                "suppliers": self.suppliers(downloads, notifications),
                "export_downloads": f"{export}?kind=downloads",
                "export_notifications": f"{export}?kind=notifications",
                "opened": self.project.opening_at is not None and self.project.opening_at <= timezone.now(),
            }
        )
        return context


class RegisterExportView(RegisterProjectView):
    """CSV (UTF-8 with BOM for Excel): ``?kind=downloads`` (default) or ``?kind=notifications``."""

    def get(self, request, *args, **kwargs):
        project = self.project
        stamp = timezone.localtime().strftime("%Y%m%d")
        if request.GET.get("kind") == "notifications":
            header = [
                "项目编号",
                "公告类型",
                "公告标题",
                "供应商",
                "统一社会信用代码",
                "电子邮箱",
                "通知生成时间",
            ]
            header += ["邮件发送时间", "邮件状态"]
            rows = (
                [
                    project.project_number,
                    item.notice.specific_class._meta.verbose_name if item.notice.specific_class else "",
                    item.notice.title,
                    item.supplier.company_name,
                    item.supplier.uscc,
                    item.supplier.email,
                    item.created_at,
                    item.notification.sent_at if item.notification_id else None,
                    email_status(item.notification),
                ]
                for item in self.notifications()
            )
            return csv_response(f"通知记录-{project.project_number}-{stamp}.csv", header, rows)
        header = ["项目编号", "项目名称", "供应商", "统一社会信用代码", "联系人", "联系电话", "电子邮箱"]
        header += ["文件", "版本", "SHA-256", "下载时间"]
        rows = (
            [
                project.project_number,
                project.title,
                record.supplier.company_name,
                record.supplier.uscc,
                record.supplier.contact_name,
                record.supplier.phone,
                record.supplier.email,
                record.version.procurement_file.title,
                f"第{record.version.number}版",
                record.version.sha256,
                record.downloaded_at,
            ]
            for record in self.downloads().iterator(chunk_size=500)
        )
        return csv_response(f"下载登记-{project.project_number}-{stamp}.csv", header, rows)
