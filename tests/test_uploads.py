"""Uploads are checked by content (cms.casework.uploads): the real type, the material's allowed types and
size limit, damaged files, zip bombs and macros, and a whole request's size while it streams in."""

import io
import tracemalloc
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from PIL import Image

from cms.casework import uploads

MB = 1024 * 1024


# --- sample files (also used by tests/test_applications*.py) ----------------------------------


def pdf_bytes(pages=1):
    body = b"".join(b"%d 0 obj<</Type/Page>>endobj\n" % (i + 1) for i in range(pages))
    return b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n" + body + b"trailer<</Root 1 0 R>>\n%%EOF\n"


def image_bytes(kind="PNG", size=(40, 30)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, kind)
    return buffer.getvalue()


def docx_bytes(extra=None):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", "<w:document>申请书</w:document>")
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def zip_bomb_docx(inflated=60 * MB):
    """A real docx whose one extra entry inflates from a few KB to ``inflated`` bytes of zeros."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", "<w:document/>")
        with archive.open("word/media/image1.bin", "w") as entry:
            chunk = bytes(MB)
            for _ in range(inflated // MB):
                entry.write(chunk)
    return buffer.getvalue()


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def check(name, content, allowed=("pdf", "jpg", "png"), max_bytes=5 * MB):
    return uploads.check(upload(name, content), list(allowed), max_bytes)


def rejected(name, content, **kwargs):
    with pytest.raises(uploads.UploadRejected) as caught:
        check(name, content, **kwargs)
    return caught.value.messages[0]


# --- accepted files ---------------------------------------------------------------------------


def test_real_files_pass_with_type_size_and_digest():
    pdf = check("申请书.pdf", pdf_bytes())
    assert (pdf.file_type, pdf.size, pdf.original_name) == ("pdf", len(pdf_bytes()), "申请书.pdf")
    assert len(pdf.sha256) == 64
    assert check("照片.JPEG", image_bytes("JPEG")).file_type == "jpg"
    assert check("scan.png", image_bytes("PNG")).file_type == "png"
    assert check("申请表.docx", docx_bytes(), allowed=["docx"]).file_type == "docx"
    # A name without an extension is judged by its content alone.
    assert check("扫描件", pdf_bytes()).file_type == "pdf"


def test_storage_name_is_ours_and_the_client_path_is_dropped():
    checked = check("C:\\Users\\王\\..\\..\\etc\\passwd.pdf", pdf_bytes())
    assert checked.original_name == "passwd.pdf"
    assert checked.storage_name.endswith(".pdf") and "passwd" not in checked.storage_name


# --- refused files, each with a message naming the file and the reason -----------------------


def test_a_name_that_lies_about_the_content():
    message = rejected("营业执照.pdf", image_bytes("PNG"))
    assert message.startswith("文件“营业执照.pdf”的实际内容是PNG 图片，不是PDF 文档")
    assert "改正扩展名" in message  # PNG is allowed here: renaming would do
    message = rejected("申请书.pdf", docx_bytes())
    assert "实际内容是Word 文档（docx），不是PDF 文档" in message
    message = rejected("photo.jpg", b"MZ\x90\x00" + bytes(300))
    assert "Windows 可执行程序" in message and "请上传正确的文件" in message


def test_a_type_the_material_does_not_accept():
    message = rejected("申请表.docx", docx_bytes(), allowed=["pdf"])
    assert message == "文件“申请表.docx”是Word 文档（docx），本材料只接受 PDF 格式"
    # An old Word file named .doc is what it says; it is just not accepted, and the message says what to do.
    old_word = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1024)
    message = rejected("申请表.doc", old_word, allowed=["pdf", "docx"])
    assert message.startswith("文件“申请表.doc”是旧版 Office 文档（doc/xls），本材料只接受 PDF、DOCX 格式；")
    assert "另存为 PDF" in message


def test_unknown_empty_and_oversized_files():
    assert (
        rejected("说明.txt", "这是一段文字".encode())
        == "无法识别文件“说明.txt”的格式，本材料只接受 PDF、JPG、PNG 格式"
    )
    assert rejected("空.pdf", b"") == "文件“空.pdf”是空文件，请重新选择"
    message = rejected("大.pdf", pdf_bytes() + bytes(2 * MB), max_bytes=MB)
    assert message.startswith("文件“大.pdf”大小为 2.0 MB，超过了 1.0 MB 的上限")


def test_damaged_files():
    assert "不是完整的 PDF 文档" in rejected("断.pdf", pdf_bytes()[:-8])
    truncated = image_bytes("JPEG", (400, 300))[:600]
    assert "不是有效的JPEG 图片" in rejected("断.jpg", truncated)
    broken_png = bytearray(image_bytes("PNG"))
    broken_png[40] ^= 0xFF  # a checksum no longer matches
    assert "不是有效的PNG 图片" in rejected("坏.png", bytes(broken_png))


def test_a_zip_bomb_is_refused_without_extracting():
    bomb = zip_bomb_docx()
    assert len(bomb) < MB
    tracemalloc.start()
    message = rejected("申请表.docx", bomb, allowed=["docx"])
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert "疑似“压缩炸弹”" in message and "申请表.docx" in message
    assert peak < 5 * MB  # nothing was inflated


def test_too_many_entries_and_macros_and_fake_containers():
    many = docx_bytes({f"word/part{i}.xml": "" for i in range(uploads.ZIP_MAX_ENTRIES + 1)})
    assert "压缩炸弹" in rejected("多.docx", many, allowed=["docx"])
    macro = docx_bytes({"word/vbaProject.bin": b"\x00" * 10})
    assert "文件“宏.docx”包含宏（可执行代码），出于安全原因不予接收" in rejected(
        "宏.docx", macro, allowed=["docx"]
    )
    plain_zip = io.BytesIO()
    with zipfile.ZipFile(plain_zip, "w") as archive:
        archive.writestr("readme.txt", "x")
    assert "实际内容是ZIP 压缩包，不是Word 文档" in rejected(
        "假.docx", plain_zip.getvalue(), allowed=["docx"]
    )


def test_an_image_too_large_in_pixels():
    # A 12000 x 10000 PNG of one colour is small on disk but would need 360 MB to open.
    buffer = io.BytesIO()
    Image.new("1", (12000, 10000)).save(buffer, "PNG")
    assert "图片尺寸过大" in rejected("大图.png", buffer.getvalue())


def test_long_and_odd_names_are_shortened_for_messages():
    name = "申" * 300 + ".pdf"
    message = rejected(name, image_bytes("PNG"))
    assert len(message) < 220 and ".pdf”" in message
    assert uploads.display_name("a\x00b\u202e.pdf") == "ab.pdf"


# --- the whole request -------------------------------------------------------------------------


class _Zeros(io.RawIOBase):
    """A request body of ``size`` bytes produced as it is read: never in memory at once."""

    def __init__(self, head, size, tail):
        self.parts = [head]
        self.remaining = size
        self.tail = tail

    def readable(self):
        return True

    def readinto(self, buffer):
        if self.parts:
            data = self.parts.pop(0)
        elif self.remaining:
            data = bytes(min(len(buffer), self.remaining, 64 * 1024))
            self.remaining -= len(data)
        elif self.tail:
            data, self.tail = self.tail, b""
        else:
            return 0
        data = data[: len(buffer)]
        buffer[: len(data)] = data
        return len(data)


def streaming_request(path, size, fields=None):
    """A multipart POST with one file of ``size`` bytes, streamed."""
    boundary = "BoUnDaRy"
    head = b""
    for name, value in (fields or {}).items():
        head += f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
    head += (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    ).encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    length = len(head) + size + len(tail)
    stream = io.BufferedReader(_Zeros(head, size, tail), buffer_size=64 * 1024)
    return RequestFactory().generic(
        "POST",
        path,
        CONTENT_TYPE=f"multipart/form-data; boundary={boundary}",
        CONTENT_LENGTH=str(length),
        **{"wsgi.input": stream},
    )


def test_a_100_mb_request_is_stopped_while_it_streams():
    request = streaming_request("/upload/", 100 * MB, fields={"note": "说明"})
    uploads.limit_request_size(request, 30 * MB)
    tracemalloc.start()
    message = uploads.request_too_large(request)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert message == "上传的文件总大小超过 30.0 MB，本次提交未被接收。请压缩或拆分文件后重新选择上传。"
    assert request.POST["note"] == "说明"  # fields before the file survive (the CSRF token among them)
    assert "file" not in request.FILES
    assert peak < 10 * MB


def test_a_request_without_a_declared_length_is_stopped_by_counting():
    request = streaming_request("/upload/", 12 * MB)
    request.META["CONTENT_LENGTH"] = str(5 * MB)  # a lie: the handler counts what arrives
    uploads.limit_request_size(request, 2 * MB)
    assert uploads.request_too_large(request)
    assert "file" not in request.FILES


def test_a_request_under_the_limit_passes():
    request = streaming_request("/upload/", MB)
    uploads.limit_request_size(request, 30 * MB)
    assert uploads.request_too_large(request) is None
    assert request.FILES["file"].size == MB


def test_stored_files_are_removed_when_the_block_fails(tmp_path):
    from django.core.files.storage import FileSystemStorage

    storage = FileSystemStorage(location=tmp_path)
    with pytest.raises(RuntimeError), uploads.StoredFiles() as stored:
        stored.add(storage, storage.save("a.pdf", upload("a.pdf", pdf_bytes())))
        raise RuntimeError
    assert list(tmp_path.iterdir()) == []
