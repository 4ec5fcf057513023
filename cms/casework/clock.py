"""A case's clock in working days: started, stopped while waiting on the applicant or a third party,
extended, and closed. ``due_on`` is kept in the database so dashboards can filter on it; it is computed
from a fresh read of the calendar corrections, and recomputed for open cases when a correction changes."""

from django.db import transaction
from django.utils import timezone

from cms.casework import workdays


def recompute_due(case, table=None):
    if case.received_on is None:
        case.due_on = None
        return
    table = workdays.overrides(fresh=True) if table is None else table
    case.due_on = workdays.add_workdays(
        case.received_on, case.allowed_days + case.extension_days + case.paused_workdays, table
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
    """The working days spent waiting do not count: the deadline moves by that many. The day the clock
    stopped counts (work was done on it); the day it resumes does not (like a day of receipt)."""
    if case.clock_stopped_on is not None:
        case.paused_workdays += workdays.workdays_between(
            case.clock_stopped_on, on, workdays.overrides(fresh=True)
        )
        case.clock_stopped_on = None
    recompute_due(case)


def extend(case, days, reason):
    case.extension_days += days
    case.extension_reason = reason
    recompute_due(case)


def close(case, at=None):
    """Stop the clock for good: ``workdays_used`` leaves out the days waited; ``on_time`` compares the
    closing day with the deadline (closing on the deadline is on time)."""
    at = at or timezone.now()
    on = timezone.localdate(at)
    if case.clock_stopped_on is not None:
        resume(case, on)
    case.closed_at = at
    if case.received_on is not None:
        used = workdays.workdays_between(case.received_on, on, workdays.overrides(fresh=True))
        case.workdays_used = max(used - case.paused_workdays, 0)
        case.on_time = case.due_on is None or on <= case.due_on


def case_models():
    """The concrete models built on ``Case`` (applications, disclosure requests)."""
    from django.apps import apps

    from cms.casework.models import Case

    return [model for model in apps.get_models() if issubclass(model, Case)]


def reschedule(day):
    """After a calendar correction on ``day``: recompute the deadline of every open case whose counting
    crosses that day. Returns how many deadlines changed. Each case is locked while it is recomputed, so a
    concurrent transition is not overwritten."""
    workdays.forget()
    table = workdays.overrides(fresh=True)
    changed = 0
    for model in case_models():
        candidates = model.objects.filter(
            closed_at__isnull=True, received_on__lte=day, due_on__gte=day
        ).values_list("pk", flat=True)
        for pk in list(candidates):
            with transaction.atomic():
                case = model.objects.select_for_update().filter(pk=pk, closed_at__isnull=True).first()
                if case is None:
                    continue
                before = case.due_on
                recompute_due(case, table)
                if case.due_on != before:
                    model.objects.filter(pk=pk).update(due_on=case.due_on)
                    changed += 1
    return changed
