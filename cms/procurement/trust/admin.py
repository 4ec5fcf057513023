"""The tender documents in the Wagtail admin: 政府采购 › 采购文件.

* Create: a project of the user's departments, a title and the first version (checked by content).
* Edit: upload a replacement = a new version; every version stays listed (number, size, digest, who
  uploaded it and when, when it was published); an unpublished version can be deleted, a published one
  never. Project and title are fixed (they are part of each version's signed statement).
* A department sees, opens and replaces only its own projects' files (``permissions.py``); another
  department's file is 404.

The menu group 政府采购 collects whatever registers with the ``register_procurement_menu_item`` hook (a
viewset sets ``menu_hook = PROCUREMENT_MENU_HOOK``), so each part of the procurement admin adds its own
item without owning the group.
"""

from functools import wraps

from django.contrib import messages
from django.db.models import Max, Q
from django.shortcuts import redirect
from django.urls import path, reverse
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic import history, usage
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.log_actions import log
from wagtail.permissions import register_permission_policy

from cms.casework import uploads
from cms.procurement.models import CorrectionNotice, ProcurementFile, TenderNotice
from cms.procurement.trust import admin_views, documents
from cms.procurement.trust import versions as version_rules
from cms.procurement.trust.forms import ProcurementFileForm
from cms.procurement.trust.permissions import OwnProjectFileMixin, ProcurementFilePermissionPolicy

PROCUREMENT_MENU_HOOK = "register_procurement_menu_item"

# Before any view asks for the policy: otherwise Wagtail creates the plain model-level one.
register_permission_policy(ProcurementFile, ProcurementFilePermissionPolicy(ProcurementFile))


def limit_upload(view):
    """Cap the request body before anything reads it (the upload handler must come first, so CSRF is
    checked inside, as Django's documentation on upload handlers shows)."""
    protected = csrf_protect(view)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method == "POST":
            uploads.limit_request_size(request, documents.max_bytes() + 1024 * 1024)
        return protected(request, *args, **kwargs)

    return csrf_exempt(wrapper)


class UploadLimitMixin:
    def get_form(self, *args, **kwargs):
        form = super().get_form(*args, **kwargs)
        if self.request.method == "POST" and getattr(self.request, "upload_too_large", None):
            # The body was cut off, so the file field is empty: say why instead of "please choose a file".
            form.fields["upload"].error_messages["required"] = (
                f"文件超过 {documents.limit_label()} 的上限，未被接收。请压缩后重新上传，或分成多个文件上传"
            )
        return form


def with_versions(queryset):
    return queryset.select_related("project").annotate(
        latest_number=Max("versions__number"),
        published_number=Max("versions__number", filter=Q(versions__published_at__isnull=False)),
        last_upload=Max("versions__uploaded_at"),
    )


def versions_label(pfile):
    if pfile.latest_number is None:
        return "无"
    if pfile.published_number is None:
        return f"第{pfile.latest_number}版（未发布）"
    if pfile.published_number != pfile.latest_number:
        return f"已发布第{pfile.published_number}版，第{pfile.latest_number}版待发布"
    return f"第{pfile.latest_number}版（已发布）"


class ProcurementFileIndexView(generic.IndexView):
    default_ordering = "-created_at"

    def get_base_queryset(self):
        policy = self.permission_policy
        return with_versions(
            policy.instances_user_has_any_permission_for(self.request.user, self.any_permission_required)
        )


class ProcurementFileCreateView(UploadLimitMixin, generic.CreateView):
    success_message = "已上传采购文件“%(object)s”（第1版）。"

    def get_initial(self):
        initial = super().get_initial()
        project = self.request.GET.get("project", "")
        if project.isascii() and project.isdigit() and len(project) < 12:
            initial["project"] = int(project)  # "上传采购文件" from a project: preselected
        return initial

    def get_success_url(self):
        return self.get_edit_url()

    def get_success_message(self, instance):
        return (
            f"已上传采购文件“{instance.title}”（第1版）。在该项目采购公告的“采购文件”中选择它，"
            "公告发布时一同发布。"
        )


class ProcurementFileEditView(UploadLimitMixin, OwnProjectFileMixin, generic.EditView):
    template_name = "procurement/trust/admin/edit.html"
    submit_button_label = "上传新版本"
    submit_button_active_label = "正在上传…"

    def save_instance(self):
        instance = self.form.save()
        version = self.form.new_version
        log(
            instance=instance,
            action="procurement.new_version",
            user=self.request.user,
            data={"number": version.number, "sha256": version.sha256},
        )
        return instance

    def get_success_url(self):
        return self.get_edit_url()

    def get_success_message(self):
        version = self.form.new_version
        if self.object.versions.filter(published_at__isnull=False).exists():
            tail = "它在发布载有本文件的更正公告后才替换供应商下载的版本，并通知已下载的供应商。"
        else:
            tail = "它将随采购公告的首次发布一同发布。"
        return f"已上传“{self.object.title}”第{version.number}版。{tail}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["versions"] = version_rules.describe_versions(self.object)
        context["can_change"] = self.permission_policy.user_has_permission_for_instance(
            self.request.user, "change", self.object
        )
        return context


class ProcurementFileDeleteView(OwnProjectFileMixin, generic.DeleteView):
    """Only a file nothing was published from and no notice carries (site administrators only)."""

    def dispatch(self, request, *args, **kwargs):
        if self.object.versions.filter(published_at__isnull=False).exists():
            messages.error(request, "该文件已有版本发布，不能删除：已发布的采购文件是公开记录的一部分。")
            return redirect(self.get_edit_url())
        return super().dispatch(request, *args, **kwargs)

    def get_edit_url(self):
        return reverse(self.edit_url_name, args=[self.object.pk])


class ProcurementFileHistoryView(OwnProjectFileMixin, history.HistoryView):
    pass


class ProcurementFileUsageView(OwnProjectFileMixin, usage.UsageView):
    pass


class ProcurementFileViewSet(ModelViewSet):
    model = ProcurementFile
    name = "procurement_files"
    url_prefix = "procurement/files"
    icon = "doc-full"
    menu_label = "采购文件"
    menu_order = 100
    menu_hook = PROCUREMENT_MENU_HOOK
    add_to_admin_menu = False
    copy_view_enabled = False
    index_view_class = ProcurementFileIndexView
    add_view_class = ProcurementFileCreateView
    edit_view_class = ProcurementFileEditView
    delete_view_class = ProcurementFileDeleteView
    history_view_class = ProcurementFileHistoryView
    usage_view_class = ProcurementFileUsageView
    list_display = [
        "title",
        Column("project_number", label="项目编号", accessor="project.project_number"),
        Column("project_title", label="采购项目", accessor="project.title"),
        Column("versions", label="版本", accessor=versions_label),
        DateColumn("last_upload", label="最近上传", sort_key="last_upload"),
    ]
    search_fields = ["title", "project__project_number", "project__title"]
    search_backend_name = None  # plain "contains": project numbers and Chinese titles without segmentation
    edit_handler = ObjectList(
        [FieldPanel("project"), FieldPanel("title"), FieldPanel("upload")],
        base_form_class=ProcurementFileForm,
    )

    @property
    def add_view(self):
        return limit_upload(super().add_view)

    @property
    def edit_view(self):
        return limit_upload(super().edit_view)

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path(
                "<int:pk>/versions/<int:version_id>/download/",
                admin_views.download_version,
                name="version_download",
            ),
            path(
                "<int:pk>/versions/<int:version_id>/delete/",
                admin_views.DeleteVersionView.as_view(viewset_name=self.name),
                name="version_delete",
            ),
        ]


class ProcurementMenuGroup(ViewSetGroup):
    menu_label = "政府采购"
    menu_icon = "clipboard-list"
    menu_order = 310
    submenu_hook = PROCUREMENT_MENU_HOOK
    items = ()


@hooks.register("register_admin_viewset")
def register_procurement_files():
    return ProcurementFileViewSet()


@hooks.register("register_admin_viewset")
def register_procurement_menu():
    return ProcurementMenuGroup()


@hooks.register("register_log_actions")
def register_version_actions(actions):
    actions.register_action("procurement.new_version", "上传新版本", "上传了采购文件的新版本")
    actions.register_action("procurement.delete_version", "删除未发布的版本", "删除了一个未发布的版本")


@hooks.register("after_publish_page")
def warn_about_waiting_versions(request, page):
    """A notice published again sends out no new document version (``versions.publish_versions``):
    tell the editor which files still wait, and what publishes them."""
    specific = page.specific
    if not isinstance(specific, TenderNotice | CorrectionNotice):
        return
    for pfile, version in version_rules.waiting_versions(specific):
        messages.warning(
            request,
            f"采购文件“{pfile.title}”的第{version.number}版没有随本次发布：已发布过的公告再次发布不会发出"
            "新版本。请发布更正公告并在“更正后的采购文件”中选择该文件（87号令第二十七条）。",
        )
