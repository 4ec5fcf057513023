"""What a project page and a notice page show besides their own fields: the timeline of the live notices
(with what each correction changed, from → to), the tender documents of the live notices with their
published versions, the award result per lot, and the reason of a termination. A fixed number of queries
per page, whatever the number of notices and files.
"""

from dataclasses import dataclass, field

from cms.procurement.choices import NoticeType
from cms.procurement.models import NoticeDocument, NoticePage, ProcurementFileVersion

# What a correction may change, in the order a supplier reads it: (field on the tender, label).
CHANGEABLE = (
    ("bid_deadline", "投标截止时间"),
    ("opening_at", "开标时间"),
    ("opening_place", "开标地点"),
    ("documents_until", "获取采购文件截止时间"),
)


@dataclass
class Change:
    label: str
    old: object
    new: object

    @property
    def is_time(self):
        return hasattr(self.new, "tzinfo")


@dataclass
class TimelineEntry:
    notice: NoticePage
    changes: list = field(default_factory=list)

    @property
    def moved_deadline(self):
        return any(change.label == "投标截止时间" for change in self.changes)


@dataclass
class Document:
    """A tender document: the version suppliers get now, and the earlier published ones (still verifiable)."""

    file: object
    current: ProcurementFileVersion
    earlier: list


@dataclass
class ProjectDetails:
    timeline: list
    documents: list
    award: object = None
    awarded_lots: list = field(default_factory=list)
    termination: object = None
    contracts: list = field(default_factory=list)

    @property
    def notices(self):
        return [entry.notice for entry in self.timeline]

    @property
    def corrections_moving_deadline(self):
        return sum(1 for entry in self.timeline if entry.moved_deadline)


def live_notices(project):
    """The live, public notices of ``project``, oldest first (the timeline's order)."""
    if not project.path:  # a new project in the editor's preview: no notices yet
        return []
    return list(
        NoticePage.objects.child_of(project).live().public().specific().order_by("first_published_at", "path")
    )


def timeline(notices):
    """One entry per notice; a correction's entry lists what it changed, from the value in force before it."""
    current = {}
    entries = []
    for notice in notices:
        entry = TimelineEntry(notice)
        if notice.notice_type == NoticeType.TENDER and not current:
            current = {name: getattr(notice, name) for name, _label in CHANGEABLE}
        elif notice.notice_type == NoticeType.CORRECTION:
            for name, label in CHANGEABLE:
                new = getattr(notice, f"new_{name}")
                if new and new != current.get(name):
                    entry.changes.append(Change(label, current.get(name), new))
                    current[name] = new
        entries.append(entry)
    return entries


def documents_of(notices):
    """The files attached to ``notices`` (first attachment order), each with its published versions."""
    attachments = (
        NoticeDocument.objects.filter(notice__in=[notice.pk for notice in notices])
        .select_related("file")
        .order_by("notice__first_published_at", "notice__path", "sort_order", "pk")
    )
    files = {}
    for attachment in attachments:
        files.setdefault(attachment.file_id, attachment.file)
    versions = {}
    for version in ProcurementFileVersion.objects.filter(
        procurement_file__in=list(files), published_at__isnull=False, withdrawn_at__isnull=True
    ).order_by("procurement_file_id", "-number"):
        versions.setdefault(version.procurement_file_id, []).append(version)
    return [
        Document(pfile, versions[pk][0], versions[pk][1:]) for pk, pfile in files.items() if pk in versions
    ]


def project_details(project):
    notices = live_notices(project)
    details = ProjectDetails(timeline=timeline(notices), documents=documents_of(notices))
    for notice in notices:
        if notice.notice_type == NoticeType.AWARD and details.award is None:
            details.award = notice
        elif notice.notice_type == NoticeType.TERMINATION and details.termination is None:
            details.termination = notice
        elif notice.notice_type == NoticeType.CONTRACT:
            details.contracts.append(notice)
    if details.award is not None:
        details.awarded_lots = awarded_lots(details.award, project)
    return details


def awarded_lots(award, project):
    """The award's rows with the lot's name (from the project's lots) where the numbers match."""
    names = {lot.number: lot.name for lot in project.lots.all()}
    rows = list(award.awarded_lots.all().order_by("lot_number", "sort_order"))
    for row in rows:
        row.lot_name = names.get(row.lot_number, "")
    return rows
