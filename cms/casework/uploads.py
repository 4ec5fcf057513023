"""Uploaded files checked by content, not by name: applicants' materials and officers' decision documents.

* ``check(upload, allowed_types, max_bytes)`` detects the real type from the bytes (PDF must start with
  ``%PDF-`` and end with ``%%EOF``; JPEG/PNG are opened and verified with Pillow; docx/xlsx/ofd are zip
  containers whose expected entries must be present, refused when they look like a zip bomb or carry
  macros, all without extracting anything) and returns a ``CheckedUpload`` or raises ``UploadRejected``
  with one Chinese sentence that names the file and says why.
* ``check_material(upload, material)`` does the same against a ``ServiceMaterial``'s types and size limit.
* ``limit_request_size(request, max_bytes)`` installs ``RequestSizeLimit``, an upload handler that stops
  storing a request's files once their total passes ``max_bytes`` while the body streams in (the rest is
  read and discarded, never held in memory); ``request_too_large(request)`` then returns the message.
* ``StoredFiles`` deletes the files a failed transaction had already written to private storage.

Type codes are the ones editors pick in ``cms.services.choices.UPLOAD_TYPE_CHOICES``.
"""

import contextlib
import hashlib
import io
import os
import struct
import unicodedata
import uuid
import warnings
import zipfile
from dataclasses import dataclass

import filetype
from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from PIL import Image, UnidentifiedImageError

# What each detected type is called in messages; the allowed ones first.
TYPE_LABELS = {
    "pdf": "PDF 文档",
    "jpg": "JPEG 图片",
    "png": "PNG 图片",
    "docx": "Word 文档（docx）",
    "xlsx": "Excel 表格（xlsx）",
    "ofd": "OFD 版式文档",
    "pptx": "PowerPoint 演示文稿（pptx）",
    "docm": "含宏的 Office 文档",
    "zip": "ZIP 压缩包",
    "ole": "旧版 Office 文档（doc/xls）",
    "doc": "旧版 Word 文档（doc）",
    "xls": "旧版 Excel 表格（xls）",
    "gif": "GIF 图片",
    "webp": "WebP 图片",
    "bmp": "BMP 图片",
    "tif": "TIFF 图片",
    "heic": "HEIC 图片（苹果手机照片）",
    "rar": "RAR 压缩包",
    "7z": "7z 压缩包",
    "gz": "gzip 压缩包",
    "exe": "Windows 可执行程序",
    "elf": "可执行程序",
    "mp4": "视频",
    "mov": "视频",
    "mp3": "音频",
}
# Short names for the list of accepted formats shown next to an upload slot.
TYPE_SHORT = {"pdf": "PDF", "jpg": "JPG", "png": "PNG", "docx": "DOCX", "xlsx": "XLSX", "ofd": "OFD"}
EXTENSION_ALIASES = {"jpeg": "jpg", "jpe": "jpg", "jfif": "jpg", "tiff": "tif", "heif": "heic"}
# Extensions of the old compound-file formats (Office 97-2003, WPS): one container type, "ole".
OLE_EXTENSIONS = {"doc", "xls", "ppt", "wps", "et", "dps"}
# What to do about a type we refuse, when there is something better to say than "not accepted".
TYPE_HINTS = {
    "heic": "可在手机“设置—相机—格式”中选择“兼容性最佳”后重新拍摄，或转换为 JPG 后上传",
    "ole": "请用办公软件另存为 PDF（或新版 docx、xlsx）后上传",
    "docm": "请另存为不含宏的文档或 PDF 后上传",
    "zip": "请不要上传压缩包，直接上传其中的文件",
    "rar": "请不要上传压缩包，直接上传其中的文件",
    "7z": "请不要上传压缩包，直接上传其中的文件",
}
# The extensions a stored file gets (and what browsers may pick in the file dialog).
ACCEPT_EXTENSIONS = {
    "pdf": ".pdf",
    "jpg": ".jpg,.jpeg",
    "png": ".png",
    "docx": ".docx",
    "xlsx": ".xlsx",
    "ofd": ".ofd",
}

# Zip containers (docx, xlsx, ofd): what a real document needs, far from what a bomb needs.
ZIP_MAX_ENTRIES = 2000
ZIP_MAX_UNCOMPRESSED = 300 * 1024 * 1024
ZIP_MAX_RATIO = 100  # uncompressed / compressed, for the whole container and for any entry over 1 MB
ZIP_MAX_DIRECTORY = 4 * 1024 * 1024  # bytes of central directory we agree to parse
# Images: Pillow refuses decompression bombs itself above 2 x 89 megapixels; we stop earlier.
IMAGE_MAX_PIXELS = 100_000_000

HEAD_BYTES = 8192
TAIL_BYTES = 2048
CHUNK = 64 * 1024


class UploadRejected(ValidationError):
    """A file that cannot be accepted; the message names it and says why (in Chinese)."""


@dataclass
class CheckedUpload:
    """A file that passed the checks, with what is stored about it."""

    upload: object  # the UploadedFile
    original_name: str
    file_type: str
    size: int
    sha256: str

    @property
    def storage_name(self):
        """A name of our own for storage: the applicant's name is kept only as data."""
        return f"{uuid.uuid4().hex}.{self.file_type}"


def display_name(name):
    """The client's file name as safe text: no path, no control characters, at most 120 characters."""
    name = os.path.basename((name or "").replace("\\", "/"))
    name = "".join(c for c in unicodedata.normalize("NFC", name) if c.isprintable()).strip()
    if len(name) > 120:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: 110 - len(ext)] + "…" + dot + ext) if dot and len(ext) <= 8 else name[:119] + "…"
    return name or "未命名文件"


def claimed_type(name):
    """The type a file's extension claims (``"jpeg"`` -> ``"jpg"``), or ``""``."""
    _, dot, ext = (name or "").rpartition(".")
    ext = ext.lower() if dot else ""
    return EXTENSION_ALIASES.get(ext, ext)


def type_label(code):
    return TYPE_LABELS.get(code, f"{code.upper()} 文件" if code else "未知格式")


def allowed_label(allowed_types):
    return "、".join(TYPE_SHORT.get(t, t.upper()) for t in allowed_types)


def accept_attribute(allowed_types):
    """The ``accept`` attribute of a file input: extensions the file dialog offers first."""
    return ",".join(ACCEPT_EXTENSIONS.get(t, f".{t}") for t in allowed_types)


def format_size(size):
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    if size >= 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size} 字节"


# --- detection --------------------------------------------------------------------------------


def _read_head_tail(fileobj, size):
    fileobj.seek(0)
    head = fileobj.read(HEAD_BYTES)
    if size > TAIL_BYTES:
        fileobj.seek(size - TAIL_BYTES)
    else:
        fileobj.seek(0)
    tail = fileobj.read(TAIL_BYTES)
    fileobj.seek(0)
    return head, tail


def detect_type(fileobj, size=None):
    """The type code of a file's content: one of TYPE_LABELS' keys, a filetype extension, or None."""
    if size is None:
        fileobj.seek(0, io.SEEK_END)
        size = fileobj.tell()
    head, _ = _read_head_tail(fileobj, size)
    return _detect(fileobj, head)


def _detect(fileobj, head):
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head[:4] in (b"PK\x03\x04", b"PK\x05\x06"):
        return _zip_kind(fileobj)
    if head[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return "ole"
    kind = filetype.guess(head)
    if kind is None:
        return None
    return EXTENSION_ALIASES.get(kind.extension, kind.extension)


class _Bomb(Exception):
    pass


def _zip_directory_count(fileobj):
    """Entry count and central-directory size from the end-of-central-directory record, read before
    ``zipfile`` builds one object per entry (a container with a million entries is refused cheaply)."""
    fileobj.seek(0, io.SEEK_END)
    size = fileobj.tell()
    fileobj.seek(max(0, size - 65536 - 22))
    tail = fileobj.read()
    fileobj.seek(0)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        return None
    _, _, _, _, total, directory_size, _, _ = struct.unpack("<4s4H2LH", tail[at : at + 22])
    return total, directory_size


def _zip_kind(fileobj):
    """docx / xlsx / pptx / ofd / docm by the entries a real one has; "zip" otherwise. Raises _Bomb."""
    counted = _zip_directory_count(fileobj)
    if counted is None:
        return "zip"  # not a readable container; the checks below say it is damaged
    total, directory_size = counted
    if total == 0xFFFF or total > ZIP_MAX_ENTRIES or directory_size > ZIP_MAX_DIRECTORY:
        raise _Bomb("entries")
    try:
        with zipfile.ZipFile(fileobj) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return "zip"
    finally:
        fileobj.seek(0)
    lowered = {n.lower() for n in names}
    if any(n.endswith("vbaproject.bin") for n in lowered):
        return "docm"
    if "[Content_Types].xml" in names:
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
        if "ppt/presentation.xml" in names:
            return "pptx"
    if "OFD.xml" in names or "ofd.xml" in lowered:
        return "ofd"
    return "zip"


def _check_zip(fileobj, size, name):
    """Refuse zip bombs by what the central directory declares (zipfile never reads past a declared
    size, so declared sizes bound what any reader would inflate); nothing is extracted."""
    try:
        with zipfile.ZipFile(fileobj) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise UploadRejected(f"文件“{name}”已损坏，无法打开，请重新导出后上传", code="damaged") from None
    finally:
        fileobj.seek(0)
    if len(infos) > ZIP_MAX_ENTRIES:
        raise _Bomb("entries")
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise UploadRejected(f"文件“{name}”已加密，请去掉密码后重新上传", code="encrypted")
        if info.file_size > 1024 * 1024 and info.file_size > ZIP_MAX_RATIO * max(info.compress_size, 1):
            raise _Bomb("ratio")
        total += info.file_size
    if total > ZIP_MAX_UNCOMPRESSED or total > ZIP_MAX_RATIO * max(size, 1) and total > 1024 * 1024:
        raise _Bomb("size")


def _check_image(fileobj, code, name):
    expected = {"jpg": "JPEG", "png": "PNG"}[code]
    damaged = UploadRejected(
        f"文件“{name}”不是有效的{type_label(code)}（文件可能已损坏），请重新选择", code="damaged"
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(fileobj) as image:
                if image.format != expected:
                    raise damaged
                width, height = image.size
                if width * height > IMAGE_MAX_PIXELS:
                    raise UploadRejected(
                        f"文件“{name}”的图片尺寸过大（{width}×{height} 像素），请缩小后重新上传",
                        code="pixels",
                    )
                image.verify()  # structure and checksums
            fileobj.seek(0)
            if code == "jpg":
                # verify() does not decode JPEG data; a reduced decode (1/8 scale) finds truncation cheaply.
                with Image.open(fileobj) as image:
                    image.draft("RGB", (max(width // 8, 1), max(height // 8, 1)))
                    image.load()
    except UploadRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise UploadRejected(f"文件“{name}”的图片尺寸过大，请缩小后重新上传", code="pixels") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, struct.error, EOFError):
        raise damaged from None
    finally:
        fileobj.seek(0)


# --- the check --------------------------------------------------------------------------------


def check(upload, allowed_types, max_bytes):
    """Check one uploaded file (a Django ``UploadedFile``) by content; returns ``CheckedUpload`` or raises
    ``UploadRejected``."""
    name = display_name(upload.name)
    size = upload.size or 0
    allowed = [EXTENSION_ALIASES.get(t, t) for t in allowed_types]
    if size == 0:
        raise UploadRejected(f"文件“{name}”是空文件，请重新选择", code="empty")
    if size > max_bytes:
        raise UploadRejected(
            f"文件“{name}”大小为 {format_size(size)}，超过了 {format_size(max_bytes)} 的上限，"
            "请压缩后重新上传",
            code="too_big",
        )
    fileobj = upload.open("rb") if hasattr(upload, "open") else upload
    fileobj.seek(0)
    head, tail = _read_head_tail(fileobj, size)
    try:
        kind = _detect(fileobj, head)
    except _Bomb:
        raise _bomb_error(name) from None
    claimed = claimed_type(upload.name)
    if claimed in OLE_EXTENSIONS:
        claimed = "ole"
    if kind == "docm":
        raise UploadRejected(
            f"文件“{name}”包含宏（可执行代码），出于安全原因不予接收，{TYPE_HINTS['docm']}", code="macro"
        )
    if kind is None:
        raise UploadRejected(
            f"无法识别文件“{name}”的格式，本材料只接受 {allowed_label(allowed)} 格式", code="unknown"
        )
    if claimed and claimed != kind:
        if claimed in TYPE_LABELS:
            message = f"文件“{name}”的实际内容是{type_label(kind)}，不是{type_label(claimed)}"
        else:
            message = f"文件“{name}”的扩展名“.{claimed}”与内容不符，实际内容是{type_label(kind)}"
        hint = "，请上传正确的文件" if kind not in allowed else "，请改正扩展名或重新导出后上传"
        raise UploadRejected(message + hint, code="mismatch")
    if kind not in allowed:
        hint = f"；{TYPE_HINTS[kind]}" if kind in TYPE_HINTS else ""
        raise UploadRejected(
            f"文件“{name}”是{type_label(kind)}，本材料只接受 {allowed_label(allowed)} 格式{hint}", code="type"
        )
    if kind == "pdf" and b"%%EOF" not in tail:
        raise UploadRejected(
            f"文件“{name}”不是完整的 PDF 文档（缺少文件结束标记，可能上传中断或文件已损坏），请重新选择",
            code="damaged",
        )
    if kind in ("jpg", "png"):
        _check_image(fileobj, kind, name)
    if kind in ("docx", "xlsx", "ofd"):
        try:
            _check_zip(fileobj, size, name)
        except _Bomb:
            raise _bomb_error(name) from None
    return CheckedUpload(upload, name, kind, size, _sha256(fileobj))


def check_material(upload, material):
    """``check`` against a ``ServiceMaterial``'s allowed types and size limit (``max_size_mb``)."""
    return check(upload, material.allowed_types, material.max_size_mb * 1024 * 1024)


def _bomb_error(name):
    return UploadRejected(
        f"文件“{name}”解压后的内容异常庞大（疑似“压缩炸弹”），已拒绝接收，请上传正常导出的文档",
        code="zip_bomb",
    )


def _sha256(fileobj):
    digest = hashlib.sha256()
    fileobj.seek(0)
    for chunk in iter(lambda: fileobj.read(CHUNK), b""):
        digest.update(chunk)
    fileobj.seek(0)
    return digest.hexdigest()


# --- storing ----------------------------------------------------------------------------------


def store(checked, field_file):
    """Write a checked upload into a model's FileField (private storage) under a name of our own;
    does not save the model. Returns the stored name."""
    checked.upload.seek(0)
    field_file.save(checked.storage_name, checked.upload, save=False)
    return field_file.name


class StoredFiles:
    """Remembers what a transaction wrote to storage and deletes it if the block fails, so a refused or
    failed submission leaves no orphan file behind::

        with StoredFiles() as stored, transaction.atomic():
            stored.add(instance.file.storage, uploads.store(checked, instance.file))
            ...
    """

    def __init__(self):
        self.written = []

    def add(self, storage, name):
        self.written.append((storage, name))

    def discard(self):
        """Delete what was written (the transaction did not keep it, e.g. a duplicate submission)."""
        for storage, name in self.written:
            with contextlib.suppress(OSError):
                storage.delete(name)
        self.written = []

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None:
            self.discard()
        return False


# --- the size of a whole request --------------------------------------------------------------

REQUEST_TOO_LARGE = "上传的文件总大小超过 {limit}，本次提交未被接收。请压缩或拆分文件后重新选择上传。"


class RequestSizeLimit(FileUploadHandler):
    """First in the chain of upload handlers: passes chunks on while the request's files stay under
    ``max_bytes`` in total; past that it stops the upload and marks the request. The rest of the body is
    read and discarded in small chunks (Django's own draining reads it line by line, and a body without
    line breaks would then sit in memory whole), so the client gets an answer rather than a reset
    connection; beyond ``DRAIN_LIMIT`` we stop reading and let the server close the connection."""

    DRAIN_LIMIT = 512 * 1024 * 1024

    def __init__(self, request, max_bytes):
        super().__init__(request)
        self.max_bytes = max_bytes
        self.received = 0

    def _stop(self):
        self.request.upload_too_large = self.max_bytes
        drained = 0
        while drained < self.DRAIN_LIMIT:
            chunk = self.request.read(CHUNK)
            if not chunk:
                break
            drained += len(chunk)
        raise StopUpload(connection_reset=True)  # "reset" only means: Django drains nothing more

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        # A declared length far beyond the limit: stop at the first file instead of receiving it.
        if content_length and content_length > self.max_bytes + 1024 * 1024:
            self.request.upload_too_large = self.max_bytes

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        if getattr(self.request, "upload_too_large", None):
            self._stop()

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.max_bytes:
            self._stop()
        return raw_data

    def file_complete(self, file_size):
        return None


def limit_request_size(request, max_bytes):
    """Install ``RequestSizeLimit`` before anything reads ``request.POST``/``FILES`` (so the view must be
    csrf_exempt on the outside and csrf_protect inside, as Django's docs on upload handlers show)."""
    request.upload_handlers.insert(0, RequestSizeLimit(request, max_bytes))


def request_too_large(request):
    """The message if ``RequestSizeLimit`` stopped this request's upload, else None. Reads the body."""
    request.POST  # noqa: B018 - parse now, so the handler has had its say
    limit = getattr(request, "upload_too_large", None)
    return REQUEST_TOO_LARGE.format(limit=format_size(limit)) if limit else None
