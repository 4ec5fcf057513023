"""Figures of the casework dashboards (办件统计): what is due soon, overdue or waiting now, and per department
and per service for a period: received, open, closed, on-time rate and average working days used.

A period selects the cases *received* (submitted) in it, so each figure follows one cohort of cases.
The on-time rate counts closed cases with a decision; withdrawn cases (the applicant's choice) are left out
of it and of the average. The "now" figures (due soon, overdue, clock stopped) ignore the period: they are
today's workload.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Avg, Count, Max, Q
from django.utils import timezone

from cms.casework.workdays import add_workdays

WITHDRAWN = "withdrawn"
DUE_SOON_WORKDAYS = 3
MAX_PERIOD_DAYS = 3660


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date  # inclusive

    @classmethod
    def this_year(cls, today=None):
        today = today or timezone.localdate()
        return cls(datetime.date(today.year, 1, 1), today)

    @classmethod
    def parse(cls, start, end, today=None):
        """From the dashboard's ``start``/``end`` (YYYY-MM-DD); returns ``(period, error)``: an unusable
        value gives this year and a message in Chinese."""
        default = cls.this_year(today)
        try:
            first = datetime.date.fromisoformat(start) if start else default.start
            last = datetime.date.fromisoformat(end) if end else default.end
        except ValueError:
            return default, "日期格式应为 年-月-日，例如 2026-01-01；已改为显示今年的数据"
        if first > last:
            return default, "开始日期不能晚于结束日期；已改为显示今年的数据"
        if (last - first).days > MAX_PERIOD_DAYS:
            return default, "统计区间最长十年；已改为显示今年的数据"
        return cls(first, last), ""

    def bounds(self):
        zone = timezone.get_current_timezone()
        start = datetime.datetime.combine(self.start, datetime.time.min, tzinfo=zone)
        end = datetime.datetime.combine(self.end + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone)
        return start, end

    def __str__(self):
        return f"{self.start:%Y-%m-%d} 至 {self.end:%Y-%m-%d}"


def _final(queryset):
    return list(queryset.model.flow.final_states)


def submitted_in(queryset, period):
    start, end = period.bounds()
    return queryset.filter(submitted_at__gte=start, submitted_at__lt=end)


def running(queryset):
    """Open cases whose clock runs: the ones that can become overdue."""
    return queryset.exclude(state__in=_final(queryset)).filter(
        clock_stopped_on__isnull=True, due_on__isnull=False
    )


def due_soon(queryset, today=None, within=DUE_SOON_WORKDAYS):
    """Due today or within ``within`` working days."""
    today = today or timezone.localdate()
    return running(queryset).filter(due_on__gte=today, due_on__lte=add_workdays(today, within))


def overdue(queryset, today=None):
    today = today or timezone.localdate()
    return running(queryset).filter(due_on__lt=today)


def clock_stopped(queryset):
    """Waiting for the applicant (补正) or a third party: the clock does not run."""
    return queryset.exclude(state__in=_final(queryset)).filter(clock_stopped_on__isnull=False)


@dataclass
class Figures:
    label: str
    received: int = 0
    open: int = 0
    closed: int = 0
    on_time: int = 0
    decided: int = 0  # closed cases the on-time rate counts
    average_days: float | None = None
    overdue: int = 0
    key: str = ""

    @property
    def on_time_rate(self):
        """Percent, one decimal; ``None`` when no case was closed."""
        return round(100 * self.on_time / self.decided, 1) if self.decided else None


FIELDS = ("received", "open", "closed", "on_time", "decided", "average_days", "overdue")


def _aggregates(queryset, today):
    # Prefixed names: an annotation called "on_time" would shadow the field in the filters that follow.
    final = _final(queryset)
    closed = Q(state__in=final)
    decided = closed & ~Q(state=WITHDRAWN) & Q(on_time__isnull=False)
    late_now = ~closed & Q(clock_stopped_on__isnull=True, due_on__lt=today)
    return {
        "fig_received": Count("pk"),
        "fig_open": Count("pk", filter=~closed),
        "fig_closed": Count("pk", filter=closed),
        "fig_on_time": Count("pk", filter=decided & Q(on_time=True)),
        "fig_decided": Count("pk", filter=decided),
        "fig_average_days": Avg("workdays_used", filter=decided & Q(workdays_used__isnull=False)),
        "fig_overdue": Count("pk", filter=late_now),
    }


def _figures(label, row, key=""):
    values = {name: row[f"fig_{name}"] for name in FIELDS}
    average = values.pop("average_days")
    return Figures(
        label=label,
        key=str(key),
        average_days=round(float(average), 1) if average is not None else None,
        **values,
    )


def totals(queryset, today=None):
    today = today or timezone.localdate()
    return _figures("合计", queryset.aggregate(**_aggregates(queryset, today)))


def by_department(queryset, today=None):
    today = today or timezone.localdate()
    rows = (
        queryset.order_by()
        .values("department_id")
        .annotate(
            fig_name=Max("department__name"),
            fig_order=Max("department__sort_order"),
            **_aggregates(queryset, today),
        )
        .order_by("fig_order", "fig_name")
    )
    return [_figures(row["fig_name"], row, row["department_id"]) for row in rows]


def by_service(queryset, today=None):
    """Applications per service item (事项编码); the latest title names it."""
    today = today or timezone.localdate()
    rows = (
        queryset.order_by()
        .values("service_code")
        .annotate(
            fig_title=Max("service_title"),
            fig_department=Max("department__name"),
            **_aggregates(queryset, today),
        )
        .order_by("-fig_received", "service_code")
    )
    return [
        _figures(f"{row['fig_title']}（{row['fig_department']}）", row, row["service_code"]) for row in rows
    ]


def by_reply_kind(queryset):
    """Disclosure requests answered, per reply kind (the annual report's rows)."""
    from cms.disclosure_requests.choices import ReplyKind

    counts = dict(
        queryset.exclude(reply_kind="").order_by().values_list("reply_kind").annotate(n=Count("pk"))
    )
    return [(kind.label, counts.get(kind.value, 0)) for kind in ReplyKind]
