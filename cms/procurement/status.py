"""A project's status follows from its live notices and the clock; nobody edits it.

``refresh(project)`` copies the schedule from the live notices onto the project's columns (the latest
live correction that moves the bid deadline wins); it runs whenever a notice is published, unpublished
or deleted. ``status_of`` (Python) and ``status_expression`` (SQL, for filters) read those columns and
must agree; ``next_change`` says when the status of a project will change by the clock alone, so the
search index can be refreshed then.
"""

import datetime

from django.db.models import Case, CharField, Q, Value, When

from cms.procurement.choices import CLOSING_SOON_HOURS, Status

CLOSING_SOON = datetime.timedelta(hours=CLOSING_SOON_HOURS)
SCHEDULE_FIELDS = (
    "tender_published_at",
    "documents_from",
    "documents_until",
    "bid_deadline",
    "opening_at",
    "opening_place",
    "awarded_at",
    "awarded_amount",
    "terminated_at",
    "latest_notice_at",
)


def status_of(project, now):
    if project.terminated_at is not None:
        return Status.TERMINATED
    if project.awarded_at is not None:
        return Status.AWARDED
    if project.bid_deadline is None or (project.documents_from is not None and project.documents_from > now):
        return Status.UPCOMING
    if project.bid_deadline <= now:
        return Status.CLOSED
    if project.bid_deadline - now <= CLOSING_SOON:
        return Status.CLOSING
    return Status.OPEN


def status_expression(now):
    return Case(
        When(terminated_at__isnull=False, then=Value(Status.TERMINATED.value)),
        When(awarded_at__isnull=False, then=Value(Status.AWARDED.value)),
        When(Q(bid_deadline__isnull=True) | Q(documents_from__gt=now), then=Value(Status.UPCOMING.value)),
        When(bid_deadline__lte=now, then=Value(Status.CLOSED.value)),
        When(bid_deadline__lte=now + CLOSING_SOON, then=Value(Status.CLOSING.value)),
        default=Value(Status.OPEN.value),
        output_field=CharField(),
    )


def status_filter(status, now):
    """A Q for one status value, without the annotation (usable in ``.filter`` and counts)."""
    done = Q(terminated_at__isnull=True, awarded_at__isnull=True)
    if status == Status.TERMINATED:
        return Q(terminated_at__isnull=False)
    if status == Status.AWARDED:
        return Q(terminated_at__isnull=True, awarded_at__isnull=False)
    if status == Status.UPCOMING:
        return done & (Q(bid_deadline__isnull=True) | Q(documents_from__gt=now))
    started = (
        done & Q(bid_deadline__isnull=False) & (Q(documents_from__isnull=True) | Q(documents_from__lte=now))
    )
    if status == Status.CLOSED:
        return started & Q(bid_deadline__lte=now)
    if status == Status.CLOSING:
        return started & Q(bid_deadline__gt=now, bid_deadline__lte=now + CLOSING_SOON)
    if status == Status.OPEN:
        return started & Q(bid_deadline__gt=now + CLOSING_SOON)
    raise ValueError(status)


def next_change(project, now):
    """When the clock alone next changes this project's status (None: only a notice can)."""
    if project.terminated_at is not None or project.awarded_at is not None or project.bid_deadline is None:
        return None
    moments = [project.documents_from, project.bid_deadline - CLOSING_SOON, project.bid_deadline]
    future = [m for m in moments if m is not None and m > now]
    return min(future) if future else None


def schedule(project):
    """The schedule columns as the live notices set them."""
    from cms.procurement.models import (
        AwardNotice,
        CorrectionNotice,
        NoticePage,
        TenderNotice,
        TerminationNotice,
    )

    values = dict.fromkeys(SCHEDULE_FIELDS)
    values["opening_place"] = ""
    tender = TenderNotice.objects.child_of(project).live().order_by("first_published_at").first()
    if tender is not None:
        values.update(
            tender_published_at=tender.first_published_at,
            documents_from=tender.documents_from,
            documents_until=tender.documents_until,
            bid_deadline=tender.bid_deadline,
            opening_at=tender.opening_at,
            opening_place=tender.opening_place,
        )
        corrections = CorrectionNotice.objects.child_of(project).live().order_by("first_published_at", "path")
        for correction in corrections:
            for field in ("documents_until", "bid_deadline", "opening_at", "opening_place"):
                new = getattr(correction, f"new_{field}")
                if new:
                    values[field] = new
    award = AwardNotice.objects.child_of(project).live().order_by("first_published_at").first()
    if award is not None:
        values["awarded_at"] = award.first_published_at
        values["awarded_amount"] = award.total_amount()
    termination = TerminationNotice.objects.child_of(project).live().order_by("first_published_at").first()
    if termination is not None:
        values["terminated_at"] = termination.first_published_at
    latest = NoticePage.objects.child_of(project).live().order_by("-first_published_at").first()
    values["latest_notice_at"] = latest.first_published_at if latest else None
    return values


def refresh(project):
    """Copy the schedule onto the project's row (without a new revision); returns the values."""
    from cms.procurement.models import ProcurementProject

    values = schedule(project)
    ProcurementProject.objects.filter(pk=project.pk).update(**values)
    for name, value in values.items():
        setattr(project, name, value)
    return values
