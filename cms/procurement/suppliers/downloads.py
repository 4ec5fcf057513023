"""Downloading tender documents: ``/zfcg/supplier/download/<version id>/`` (``procurement:download``).

Who: a logged-in supplier with a verified email (anonymous → login with ``next``; unverified → a page
saying to verify first; staff → refused politely).

What: a version with ``published_at`` whose file is attached (``NoticeDocument``) to a live, public
notice of a live, public project. Anything else — a guessed id, a draft version, a file of an
unpublished notice — is the same Chinese 404, which tells nothing about what exists.

When: from the project's documents period start (获取采购文件开始时间). After its end only suppliers who
already obtained the documents may download again (that is how they get a correction's new version);
the others are told the period is over (obtaining the documents is what the register records).

Old versions: a link to a replaced version shows "已被第N版替换" with the newest one offered first; the
old one stays downloadable from there (``?old=1``) for comparison, and that download is recorded with
its own version number.

Every download is recorded (``DownloadRecord``, committed before the first byte) and streamed from
storage with ``FileResponse`` in blocks: memory stays flat however large the file and however many
download at once.
"""

import base64
import mimetypes
import os
import unicodedata
from urllib.parse import quote

from django.db import transaction
from django.http import FileResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_safe

from cms.procurement.models import (
    DownloadRecord,
    NoticeDocument,
    NoticePage,
    ProcurementFileVersion,
    ProcurementProject,
)
from cms.procurement.suppliers.access import MAX_ID, crumbs, supplier_required
from cms.procurement.suppliers.views import message

BLOCK = 64 * 1024  # bytes per read while streaming
MAX_NAME = 150
FORBIDDEN_IN_NAME = frozenset("\"'\\/;:*?<>|`")


# --- which version may be downloaded ----------------------------------------------------------


def downloadable(version_id):
    """``(version, project)`` if the version is offered by a live public notice, else None."""
    if version_id > MAX_ID:
        return None
    version = (
        ProcurementFileVersion.objects.offered()
        .filter(pk=version_id)
        .select_related("procurement_file")
        .first()
    )
    if version is None:
        return None
    pfile = version.procurement_file
    project = ProcurementProject.objects.live().public().filter(pk=pfile.project_id).first()
    if project is None:
        return None
    notices = NoticePage.objects.live().public().child_of(project)
    if not NoticeDocument.objects.filter(file_id=pfile.pk, notice__in=notices).exists():
        return None
    return version, project


def period_refusal(supplier, project, now):
    """None if the supplier may obtain the documents now, else the reason (title, text)."""
    if project.documents_from and now < project.documents_from:
        start = timezone.localtime(project.documents_from)
        return "尚未到获取采购文件的时间", f"本项目自{start:%Y年%m月%d日 %H:%M}起提供采购文件，请届时再下载。"
    late = project.documents_until and now > project.documents_until
    if late and not DownloadRecord.objects.filter(supplier=supplier, project=project).exists():
        end = timezone.localtime(project.documents_until)
        return (
            "获取采购文件的期限已过",
            f"本项目获取采购文件的截止时间为{end:%Y年%m月%d日 %H:%M}，"
            "截止后不再向新的供应商提供采购文件。已在期限内获取的供应商仍可下载更新后的文件。",
        )
    return None


# --- the response -----------------------------------------------------------------------------


def _name_char(c):
    if c in FORBIDDEN_IN_NAME:
        return ""
    kind = unicodedata.category(c)[0]
    if kind == "Z":  # any space or line/paragraph separator
        return " "
    return "" if kind == "C" else c  # control and format characters (CR, LF, bidi overrides...)


def safe_filename(name, fallback="采购文件", content_type="application/pdf"):
    """The original name as a download name: no path, no control characters, no quotes or
    separators a header or a file system would misread, a sensible length, an extension."""
    name = unicodedata.normalize("NFC", name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = " ".join("".join(_name_char(c) for c in name).split()).strip(". ")
    stem, ext = os.path.splitext(name)
    if not stem or not ext or len(ext) > 10 or " " in ext:
        stem, ext = name, (mimetypes.guess_extension(content_type or "") or "")
    if not stem:
        stem = " ".join("".join(_name_char(c) for c in fallback or "").split()).strip(". ") or "采购文件"
    return stem[: MAX_NAME - len(ext)] + ext


def content_disposition(name, ascii_fallback):
    """RFC 6266 with RFC 5987: a plain ASCII name for old clients, the UTF-8 name for the others."""
    return f"attachment; filename=\"{ascii_fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def ascii_name(version, project, name):
    if name.isascii():
        return name
    ext = os.path.splitext(name)[1]
    ext = ext if ext.isascii() else ""
    return f"{project.project_number}-{version.procurement_file_id}-v{version.number}{ext}"


def file_response(version, project):
    pfile = version.procurement_file
    name = safe_filename(version.original_name, pfile.title, version.content_type)
    response = FileResponse(version.blob.open("rb"), content_type=version.content_type)
    response.block_size = BLOCK
    response["Content-Length"] = str(version.size)
    response["Content-Disposition"] = content_disposition(name, ascii_name(version, project, name))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-transform"
    # RFC 9530: the client can check what it received against the published digest.
    digest = base64.b64encode(bytes.fromhex(version.sha256)).decode()
    response["Repr-Digest"] = f"sha-256=:{digest}:"
    return response


def not_found(request):
    return message(
        request,
        "未找到该采购文件",
        "该文件不存在、尚未发布，或所属公告已撤回。请从采购项目页面下载最新发布的采购文件。",
        status=404,
        actions=[("/zfcg/", "浏览采购项目")],
        breadcrumbs=crumbs(("下载采购文件", request.path)),
    )


@require_safe
@supplier_required
def download(request, version_id):
    supplier = request.supplier
    if not supplier.is_verified:
        context = {"supplier": supplier, "breadcrumbs": crumbs(("下载采购文件", request.path))}
        return TemplateResponse(request, "procurement/suppliers/verify_first.html", context, status=403)
    found = downloadable(version_id)
    if found is None:
        return not_found(request)
    version, project = found
    newest = version.procurement_file.published_version()
    if newest is not None and newest.number > version.number and request.GET.get("old") != "1":
        context = {
            "version": version,
            "newest": newest,
            "project": project,
            "breadcrumbs": crumbs((project.title, project.url), ("下载采购文件", request.path)),
        }
        return TemplateResponse(
            request, "procurement/suppliers/download_superseded.html", context, status=200
        )
    refusal = period_refusal(supplier, project, timezone.now())
    if refusal is not None:
        title, text = refusal
        return message(
            request,
            title,
            text,
            status=403,
            actions=[(project.url, "返回采购项目")],
            breadcrumbs=crumbs((project.title, project.url), ("下载采购文件", request.path)),
        )
    if request.method == "GET":
        with transaction.atomic():  # committed before the first byte: the register never misses one
            DownloadRecord.objects.create(supplier=supplier, project=project, version=version)
    return file_response(version, project)
