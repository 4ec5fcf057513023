"""A case's clock in working days: started, stopped while waiting on the applicant or a third party,
extended, and closed. ``due_on`` is kept in the database so dashboards can filter on it."""

from django.utils import timezone

from cms.casework.workdays import add_workdays, workdays_between


def recompute_due(case):
    if case.received_on is None:
        case.due_on = None
        return
    case.due_on = add_workdays(
        case.received_on, case.allowed_days + case.extension_days + case.paused_workdays
    )


def start(case, on, days):
    case.received_on = on
    case.allowed_days = days
    case.paused_workdays = 0
    case.clock_stopped_on = None
    recompute_due(case)


def stop(case, on):
    if case.clock_stopped_on is None:
        case.clock_stopped_on = on


def resume(case, on):
    """The working days spent waiting do not count: the deadline moves by that many."""
    if case.clock_stopped_on is not None:
        case.paused_workdays += workdays_between(case.clock_stopped_on, on)
        case.clock_stopped_on = None
    recompute_due(case)


def extend(case, days, reason):
    case.extension_days += days
    case.extension_reason = reason
    recompute_due(case)


def close(case, at=None):
    at = at or timezone.now()
    on = timezone.localdate(at)
    resume(case, on) if case.clock_stopped_on else None
    case.closed_at = at
    if case.received_on is not None:
        case.workdays_used = max(workdays_between(case.received_on, on) - case.paused_workdays, 0)
        case.on_time = case.due_on is None or on <= case.due_on
