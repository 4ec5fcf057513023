"""SHA-256 of an uploaded file computed while the request body streams in, keeping nothing.

The verify page must not store what suppliers upload (it may be their own bid, not our document), so
``install(request, max_bytes)`` replaces the request's upload handlers by two: ``RequestSizeLimit``
(stops past ``max_bytes``, see ``cms.casework.uploads``) and ``DigestUploadHandler``, which hashes each
chunk and drops it. ``request.FILES["file"]`` is then a ``DigestedFile`` (name, size, sha256): no bytes
in memory, none on disk.
"""

import hashlib

from django.core.files.uploadhandler import FileUploadHandler

from cms.casework.uploads import RequestSizeLimit, display_name


class DigestedFile:
    """What is left of an uploaded file: its name (as display text), size and SHA-256."""

    def __init__(self, name, size, sha256):
        self.name = name
        self.size = size
        self.sha256 = sha256

    def __repr__(self):
        return f"<DigestedFile {self.name!r} {self.size} {self.sha256[:12]}>"


class DigestUploadHandler(FileUploadHandler):
    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.digest = hashlib.sha256()
        self.size = 0

    def receive_data_chunk(self, raw_data, start):
        self.digest.update(raw_data)
        self.size += len(raw_data)
        return None  # consumed: no later handler keeps the bytes

    def file_complete(self, file_size):
        return DigestedFile(display_name(self.file_name), self.size, self.digest.hexdigest())


def install(request, max_bytes):
    """Before anything reads ``request.POST``/``FILES`` (so: csrf_exempt outside, csrf_protect inside)."""
    request.upload_handlers = [RequestSizeLimit(request, max_bytes), DigestUploadHandler(request)]


def too_large(request):
    """The limit (bytes) if ``RequestSizeLimit`` stopped this request's upload, else None."""
    request.POST  # noqa: B018 - parse now, so the handlers have had their say
    return getattr(request, "upload_too_large", None)
