"""Tender documents' versions: add one (digest + signature at once), publish them, verify a file.

A version's bytes never change. Replacing a document adds a version; the versions a live notice has
published are what suppliers download (the newest) and what the verify page recognises (all of them).
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


def publish_versions(notice, at=None):
    """Mark the newest version of each file attached to ``notice`` as published (when it goes live)."""
    from cms.procurement.models import ProcurementFileVersion

    at = at or timezone.now()
    published = []
    for document in notice.documents.select_related("file"):
        latest = document.file.latest_version()
        if latest is not None and latest.published_at is None:
            ProcurementFileVersion.objects.filter(pk=latest.pk).update(published_at=at)
            latest.published_at = at
            published.append(latest)
    return published


def verify_version(version):
    return signing.verify(version_statement(version), version.signature, version.key_id)


def find_published(sha256):
    """The published versions whose digest is ``sha256`` (a file may be published in several projects)."""
    from cms.procurement.models import ProcurementFileVersion

    return (
        ProcurementFileVersion.objects.filter(sha256=sha256.lower(), published_at__isnull=False)
        .select_related("procurement_file__project")
        .order_by("published_at")
    )
