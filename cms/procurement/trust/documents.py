"""What a tender document (采购文件) may be, checked by content before it is stored and signed.

* PDF and OFD (版式文档) for the tender documents themselves; DOCX and XLSX for the response formats
  and bills of quantities (工程量清单) suppliers fill in; ZIP for drawings (图纸), which are usually
  many files. No RAR/7z: we cannot look inside them, and suppliers' tools unpack ZIP everywhere.
* ``cms.casework.uploads.check`` detects the type from the bytes and refuses zip bombs in docx, xlsx
  and ofd; a plain ZIP is checked here the same way, and also refused when an entry would unpack
  outside its folder (``../``, absolute paths) or is a program: we hand these files to every supplier.
* The size limit is ``PROCUREMENT_FILE_MAX_BYTES`` (default 100 MB).
"""

import posixpath
import zipfile

from django.conf import settings

from cms.casework import uploads
from cms.casework.uploads import UploadRejected, format_size

ALLOWED_TYPES = ("pdf", "ofd", "docx", "xlsx", "zip")
ALLOWED_LABEL = "PDF、OFD、DOCX、XLSX、ZIP"
ACCEPT = ".pdf,.ofd,.docx,.xlsx,.zip"
DEFAULT_MAX_BYTES = 100 * 1024 * 1024
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "ofd": "application/ofd",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "zip": "application/zip",
}
# Inside a drawings ZIP: what a supplier's computer would run when double-clicked.
PROGRAM_EXTENSIONS = frozenset(
    {"exe", "com", "bat", "cmd", "scr", "pif", "msi", "msp", "vbs", "vbe", "js", "jse", "wsf", "wsh"}
    | {"ps1", "psm1", "hta", "cpl", "jar", "lnk", "reg", "dll", "sh", "app"}
)
ARCHIVES_TO_CONVERT = {"rar", "7z", "gz"}


def max_bytes():
    return int(getattr(settings, "PROCUREMENT_FILE_MAX_BYTES", DEFAULT_MAX_BYTES))


def limit_label():
    return format_size(max_bytes())


def check(upload):
    """Check an uploaded tender document; returns ``cms.casework.uploads.CheckedUpload`` or raises
    ``UploadRejected`` with one Chinese sentence naming the file and the reason."""
    name = uploads.display_name(upload.name)
    kind = None
    if upload.size:
        try:
            kind = uploads.detect_type(upload.open("rb") if hasattr(upload, "open") else upload, upload.size)
        except uploads._Bomb:
            kind = None  # check() below refuses it with the zip-bomb message
    if kind in ARCHIVES_TO_CONVERT:
        raise UploadRejected(
            f"文件“{name}”是{uploads.type_label(kind)}，采购文件只接受 {ALLOWED_LABEL} 格式；"
            "图纸等多个文件请打包为 ZIP 格式后上传",
            code="type",
        )
    try:
        checked = uploads.check(upload, ALLOWED_TYPES, max_bytes())
    except UploadRejected as error:
        if error.code in ("type", "unknown"):
            detected = uploads.type_label(kind) if kind else "无法识别的格式"
            raise UploadRejected(
                f"文件“{name}”是{detected}，采购文件只接受 {ALLOWED_LABEL} 格式", code=error.code
            ) from None
        raise
    if checked.file_type == "zip":
        _check_archive(upload.open("rb") if hasattr(upload, "open") else upload, checked.size, name)
    return checked


def stored_name(checked):
    """The name suppliers will see when they download: the uploader's, stripped of any path, with the
    extension of its real type if it had none."""
    name = checked.original_name
    if uploads.claimed_type(name) != checked.file_type:
        name = f"{name}.{checked.file_type}"
    return name


def content_type(checked):
    return CONTENT_TYPES.get(checked.file_type, "application/octet-stream")


def _check_archive(fileobj, size, name):
    try:
        uploads._check_zip(fileobj, size, name)  # the same bomb limits as docx/xlsx/ofd
    except uploads._Bomb:
        raise uploads._bomb_error(name) from None
    try:
        with zipfile.ZipFile(fileobj) as archive:
            entries = archive.namelist()
    finally:
        fileobj.seek(0)
    for entry in entries:
        path = entry.replace("\\", "/")
        if path.startswith("/") or (len(path) > 1 and path[1] == ":") or ".." in path.split("/"):
            raise UploadRejected(
                f"压缩包“{name}”中的“{entry}”会解压到压缩包目录之外，已拒绝接收，请重新打包后上传",
                code="zip_path",
            )
        extension = posixpath.splitext(path)[1].lower().lstrip(".")
        if extension in PROGRAM_EXTENSIONS:
            raise UploadRejected(
                f"压缩包“{name}”中含有可执行程序“{posixpath.basename(path)}”，出于安全原因不予接收",
                code="zip_program",
            )
