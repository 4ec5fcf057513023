"""The admin's views of one tender document's versions: download one (what the editor uploaded, to check
it), delete an unpublished one (a wrong upload). Both answer 404 for another department's file."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.log_actions import log
from wagtail.permissions import policy_registry

from cms.procurement.trust import versions as version_rules


def find_version(request, pk, version_id, action):
    from cms.procurement.models import ProcurementFile, ProcurementFileVersion

    pfile = get_object_or_404(ProcurementFile.objects.select_related("project"), pk=pk)
    policy = policy_registry.get_by_type(ProcurementFile)
    if not policy.user_has_permission_for_instance(request.user, action, pfile):
        raise Http404("没有找到该采购文件")
    return get_object_or_404(ProcurementFileVersion, pk=version_id, procurement_file=pfile)


def download_version(request, pk, version_id):
    version = find_version(request, pk, version_id, "view")
    response = FileResponse(
        version.blob.open("rb"),
        as_attachment=True,
        filename=version.original_name,
        content_type=version.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response


class DeleteVersionView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "procurement/trust/admin/confirm_delete_version.html"
    page_title = "删除未发布的版本"
    header_icon = "bin"
    viewset_name = "procurement_files"

    def dispatch(self, request, pk, version_id):
        self.version = find_version(request, pk, version_id, "change")
        self.edit_url = reverse(f"{self.viewset_name}:edit", args=[pk])
        if self.version.published_at is not None:
            messages.error(request, f"第{self.version.number}版已经发布，不能删除：它是公开记录的一部分。")
            return redirect(self.edit_url)
        return super().dispatch(request, pk, version_id)

    def get_page_subtitle(self):
        return str(self.version)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(version=self.version, edit_url=self.edit_url)
        return context

    def post(self, request, pk, version_id):
        version = self.version
        try:
            version_rules.delete_version(version)
        except version_rules.VersionPublished as refused:
            messages.error(request, str(refused))
            return redirect(self.edit_url)
        log(
            instance=version.procurement_file,
            action="procurement.delete_version",
            user=request.user,
            data={"number": version.number, "sha256": version.sha256},
        )
        messages.success(request, f"已删除“{version.procurement_file.title}”第{version.number}版。")
        return redirect(self.edit_url)
