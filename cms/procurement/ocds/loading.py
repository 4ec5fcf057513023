"""Live public projects with their live notices, read in batches so that memory stays flat.

Projects are read in path order by keyset (``path > last``); a batch's notices come from five queries, one
per notice type, over the path range the batch spans (a notice's path is its project's path plus one step).
A batch of 200 projects costs about a dozen queries, whatever the number of notices.
"""

from dataclasses import dataclass, field

from django.db.models import Prefetch
from wagtail.models import Page

from cms.procurement.models import (
    AwardNotice,
    ContractNotice,
    CorrectionNotice,
    NoticeDocument,
    ProcurementFileVersion,
    TenderNotice,
    TerminationNotice,
)

BATCH = 200
STEP = Page.steplen
LAST_STEP = "Z" * STEP  # treebeard's alphabet is 0-9A-Z: the highest child path below a node


@dataclass
class ProjectData:
    project: object
    notices: list = field(default_factory=list)  # specific, oldest first (the timeline)


def _documents():
    versions = ProcurementFileVersion.objects.offered().order_by("number")
    return Prefetch(
        "documents",
        queryset=NoticeDocument.objects.select_related("file").prefetch_related(
            Prefetch("file__versions", queryset=versions, to_attr="published_versions")
        ),
    )


def _notice_querysets():
    return (
        TenderNotice.objects.prefetch_related(_documents()),
        CorrectionNotice.objects.prefetch_related(_documents()),
        AwardNotice.objects.prefetch_related("awarded_lots"),
        TerminationNotice.objects.all(),
        ContractNotice.objects.all(),
    )


def _with_notices(batch):
    by_path = {project.path: ProjectData(project) for project in batch}
    low, high = batch[0].path, batch[-1].path + LAST_STEP
    depths = {project.depth + 1 for project in batch}
    for queryset in _notice_querysets():
        notices = queryset.live().public().filter(path__gt=low, path__lte=high, depth__in=depths)
        for notice in notices:
            data = by_path.get(notice.path[:-STEP])
            if data is not None:
                data.notices.append(notice)
    for data in by_path.values():
        data.notices.sort(key=lambda n: (n.first_published_at, n.path))
    return list(by_path.values())


def load(projects, batch=None):
    """Yield a ``ProjectData`` for each project of the queryset ``projects`` (path order)."""
    batch = batch or BATCH
    projects = projects.select_related("buyer", "agency").prefetch_related("lots").order_by("path")
    last = ""
    while True:
        chunk = list(projects.filter(path__gt=last)[:batch])
        if not chunk:
            return
        loaded = _with_notices(chunk)
        yield from loaded
        _forget(loaded)
        last = chunk[-1].path


def _forget(loaded):
    """Break the reference cycles prefetching makes (a lot caches its project, a document its notice, a
    version its file), so that a batch is freed at once by reference counting rather than by the next full
    garbage collection: the memory of a long export stays that of one batch."""
    for data in loaded:
        data.project._prefetched_objects_cache = {}
        for notice in data.notices:
            for document in getattr(notice, "_prefetched_objects_cache", {}).get("documents", ()):
                document.file.__dict__.pop("published_versions", None)
            notice._prefetched_objects_cache = {}
