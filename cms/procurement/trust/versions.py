"""Tender documents' versions: add one (digest + signature at once), publish them, verify a file.

A version's bytes never change. Replacing a document adds a version; the versions a live notice has
published are what suppliers download (the newest) and what the verify page recognises (all of them).

When a version reaches suppliers: only with the *first* publication of a notice that carries its file.
A tender goes out with the newest version of each of its documents. A replacement uploaded afterwards
waits, unpublished and not downloadable, until a correction notice (更正公告) carrying the file is
published: 87号令第二十七条 requires any change to issued tender documents to be announced that way,
and the correction's publication is what emails every supplier who downloaded the documents. Publishing
a notice again (a typo fixed, or a tender withdrawn and re-published) therefore sends out no new version.
"""

import hashlib

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from cms.casework.uploads import display_name
from cms.procurement.trust import signing

CHUNK = 1024 * 1024


def file_sha256(fileobj):
    digest = hashlib.sha256()
    fileobj.seek(0)
    size = 0
    for chunk in iter(lambda: fileobj.read(CHUNK), b""):
        digest.update(chunk)
        size += len(chunk)
    fileobj.seek(0)
    return digest.hexdigest(), size


def version_statement(version):
    pfile = version.procurement_file
    return signing.statement(pfile.project.project_number, pfile.title, version.number, version.sha256)


@transaction.atomic
def add_version(procurement_file, fileobj, original_name, user=None, content_type="application/pdf"):
    """Store ``fileobj`` (already checked by content) as the next version of ``procurement_file``, with its
    digest and the platform's signature. Not downloadable until a live notice publishes it."""
    from cms.procurement.models import ProcurementFile, ProcurementFileVersion

    ProcurementFile.objects.select_for_update().filter(pk=procurement_file.pk).first()  # numbers in order
    number = (procurement_file.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    sha256, size = file_sha256(fileobj)
    version = ProcurementFileVersion(
        procurement_file=procurement_file,
        number=number,
        original_name=display_name(original_name)[:200],
        content_type=content_type,
        size=size,
        sha256=sha256,
        uploaded_by=user if user is not None and user.is_authenticated else None,
    )
    version.signature, version.key_id = signing.sign(version_statement(version))
    fileobj.seek(0)
    version.blob.save("v.bin", fileobj, save=False)
    version.save()
    return version


def is_republication(notice):
    """Whether this publication of ``notice`` is not its first (Wagtail sets both times at once the first
    time; afterwards only ``last_published_at`` moves)."""
    first, last = notice.first_published_at, notice.last_published_at
    return first is not None and last is not None and last > first


def publish_versions(notice, at=None):
    """Mark the newest version of each file attached to ``notice`` as published, when the notice goes
    live for the first time (see the module's docstring). Returns the versions published."""
    from cms.procurement.models import ProcurementFileVersion

    if not notice.live:
        return []  # only scheduled (Wagtail signals that too): the versions go out when it goes live
    # A notice withdrawn and published again offers again what it had published.
    ProcurementFileVersion.objects.filter(published_with=notice.pk).update(withdrawn_at=None)
    if is_republication(notice):
        return []
    at = at or timezone.now()
    published = []
    for document in notice.documents.select_related("file"):
        latest = document.file.latest_version()
        if latest is not None and latest.published_at is None:
            ProcurementFileVersion.objects.filter(pk=latest.pk).update(
                published_at=at, published_with=notice.pk
            )
            latest.published_at = at
            published.append(latest)
    return published


def withdraw_versions(notice, at=None):
    """The notice that published these versions was unpublished or deleted: suppliers no longer get them
    (they stay verifiable as once published). Returns how many were withdrawn."""
    from cms.procurement.models import ProcurementFileVersion

    return ProcurementFileVersion.objects.filter(published_with=notice.pk, withdrawn_at__isnull=True).update(
        withdrawn_at=at or timezone.now()
    )


def waiting_versions(notice):
    """The files attached to ``notice`` whose newest version suppliers do not get yet: [(file, version)]."""
    waiting = []
    for document in notice.documents.select_related("file"):
        latest = document.file.latest_version()
        if latest is not None and latest.published_at is None:
            waiting.append((document.file, latest))
    return waiting


class VersionPublished(Exception):
    """A published version is part of the public record and is never deleted."""


@transaction.atomic
def delete_version(version):
    """Delete an unpublished version (a wrong upload) and its stored bytes."""
    from cms.procurement.models import ProcurementFileVersion

    locked = ProcurementFileVersion.objects.select_for_update().get(pk=version.pk)
    if locked.published_at is not None:
        raise VersionPublished(f"第{locked.number}版已经发布，不能删除。")
    blob = locked.blob
    storage, name = blob.storage, blob.name
    locked.delete()
    transaction.on_commit(lambda: storage.delete(name) if name else None)


def describe_versions(procurement_file):
    """Every version, newest first, with what it is to suppliers: [(version, state)]."""
    versions = list(procurement_file.versions.select_related("uploaded_by").order_by("-number"))
    published = [v.number for v in versions if v.published_at is not None]
    newest_published = max(published, default=None)
    latest = versions[0].number if versions else None
    described = []
    for version in versions:
        if version.published_at is not None:
            if version.number == newest_published:
                state = "已发布：供应商当前下载的版本"
            else:
                state = f"已发布，已被第{newest_published}版替换（仍可校验）"
        elif version.number == latest:
            state = "未发布：待随更正公告发布" if newest_published is not None else "未发布：待随采购公告发布"
        else:
            state = f"未发布，已被第{latest}版取代"
        described.append((version, state))
    return described


def verify_version(version):
    return signing.verify(version_statement(version), version.signature, version.key_id)


def public_versions():
    """Published versions of live projects the public may see (no view restriction): what the verify
    page, the signatures and the statements answer about. Others are "not found"."""
    from cms.procurement.models import ProcurementFileVersion, ProcurementProject

    return ProcurementFileVersion.objects.filter(
        published_at__isnull=False,
        procurement_file__project__in=ProcurementProject.objects.live().public().values("pk"),
    )


def find_published(sha256):
    """The published versions whose digest is ``sha256`` (a file may be published in several projects)."""
    return (
        public_versions()
        .filter(sha256=sha256.lower())
        .select_related("procurement_file__project")
        .order_by("published_at")
    )
