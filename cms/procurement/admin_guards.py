"""Page actions the admin offers that procurement pages must refuse or prepare for.

* Copying: a project number is unique and tender documents are the project's own, so a copy would be a
  second project with the same number or a second tender sharing signed files.
* Deleting: published documents, downloads and notices are part of the public record (unpublish instead);
  a project that never went out is deleted with its draft files.
"""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect

from cms.procurement.models import NoticeDocument, NoticePage, ProcurementFile, ProcurementProject


def is_procurement_page(page):
    return isinstance(page.specific, ProcurementProject | NoticePage)


def refuse_copy(request, page):
    if not is_procurement_page(page):
        return None
    messages.error(
        request, "采购项目和采购公告不能复制：项目编号唯一，采购文件属于各自的项目。请新建项目或公告。"
    )
    return redirect("wagtailadmin_explore", page.get_parent().pk)


def _public_record(project):
    from cms.procurement.models import DownloadRecord

    published = project.files.filter(versions__published_at__isnull=False).exists()
    return published or DownloadRecord.objects.filter(project=project).exists() or project.first_published_at


def guard_delete(request, page):
    specific = page.specific
    projects = []
    if isinstance(specific, ProcurementProject):
        projects = [specific]
    elif not page.is_leaf():
        projects = list(ProcurementProject.objects.descendant_of(page))
    for project in projects:
        if _public_record(project):
            messages.error(
                request,
                f"采购项目“{project.title}”已经发布过（或已有发布的采购文件、下载记录），属于公开记录，不能删除；"
                "如需撤下，请取消发布。",
            )
            return redirect("wagtailadmin_explore", page.get_parent().pk)
    if request.method == "POST":
        with transaction.atomic():
            for project in projects:  # draft files of projects that never went out
                NoticeDocument.objects.filter(notice__in=NoticePage.objects.child_of(project)).delete()
                ProcurementFile.objects.filter(project=project).delete()
    return None
