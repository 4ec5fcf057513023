"""Table 三 of the annual report (收到和处理政府信息公开申请情况, 国办公开办函〔2021〕30号), counted from the
requests themselves, for one department or all, and one calendar year (Beijing time).

* 本年新收: requests submitted during the year;
* 上年结转: requests submitted before the year and still open when it began;
* 本年度办理结果: requests closed during the year (new or carried over), by reply kind and sub-reason;
  a request withdrawn by the applicant counts under （六）其他处理 3.其他, one closed for want of a
  supplement under （六）1;
* 总计: all results; 结转下年度继续办理: submitted by the end of the year and still open at its end.

So that 新收 + 上年结转 = 总计 + 结转下年度, in every column.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from cms.disclosure.annual_report import REQUEST_ROWS

from .choices import REPLY_REASONS, ApplicantKind, ReplyKind
from .models import DisclosureRequest, State
from .models.flow import FINAL

# The template's columns: 自然人, then 法人或其他组织 in five kinds, then 总计.
KINDS = [
    ApplicantKind.PERSON,
    ApplicantKind.COMPANY,
    ApplicantKind.RESEARCH,
    ApplicantKind.CHARITY,
    ApplicantKind.LEGAL,
    ApplicantKind.OTHER,
]
COLUMN = {kind.value: i for i, kind in enumerate(KINDS)}
COLUMN_GROUPS = [
    ("自然人", ["自然人"]),
    ("法人或其他组织", ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]),
]

OTHER_RESULT = (ReplyKind.OTHER, "other")  # （六）3.其他: withdrawn, or anything unclassified


def _result_rows():
    """(reply kind, reason) of each result row, in the template's order."""
    rows = [(ReplyKind.DISCLOSED, ""), (ReplyKind.PARTLY, "")]
    for kind in (ReplyKind.WITHHELD, ReplyKind.UNAVAILABLE, ReplyKind.NOT_PROCESSED, ReplyKind.OTHER):
        rows += [(kind, code) for code, _ in REPLY_REASONS[kind]]
    return rows


RESULT_ROWS = _result_rows()
ROW_KEYS = ["new", "carried_in", *RESULT_ROWS, "total", "carried_out"]
assert len(ROW_KEYS) == len(REQUEST_ROWS), "the rows of table 三 and of annual_report.REQUEST_ROWS differ"


@dataclass
class Row:
    key: object
    label: str
    values: list  # one count per applicant kind (KINDS order)

    @property
    def total(self):
        return sum(self.values)

    @property
    def cells(self):
        return [*self.values, self.total]


@dataclass
class RequestFigures:
    year: int
    department: object  # a Department, or None for all
    rows: list

    def row(self, key):
        return next(r for r in self.rows if r.key == key)

    def table_rows(self):
        """Rows for ``annual_report.table_value``: the label, then the seven figures as text."""
        return [[row.label, *(str(n) for n in row.cells)] for row in self.rows]


def year_bounds(year):
    zone = timezone.get_current_timezone()
    start = datetime.datetime(year, 1, 1, tzinfo=zone)
    return start, datetime.datetime(year + 1, 1, 1, tzinfo=zone)


def result_of(state, reply_kind, reply_reason):
    """The result row of a closed request."""
    if state == State.WITHDRAWN:
        return OTHER_RESULT
    key = (reply_kind, "" if reply_kind in (ReplyKind.DISCLOSED, ReplyKind.PARTLY) else reply_reason)
    return key if key in RESULT_ROWS else OTHER_RESULT


def request_figures(year, department=None):
    start, end = year_bounds(year)
    requests = DisclosureRequest.objects.all()
    if department is not None:
        requests = requests.filter(department=department)
    open_at_start = Q(closed_at__isnull=True) | Q(closed_at__gte=start)
    open_at_end = Q(closed_at__isnull=True) | Q(closed_at__gte=end)

    def by_kind(queryset):
        counts = dict(queryset.values_list("applicant_kind").annotate(n=Count("pk")).order_by())
        return [counts.get(kind.value, 0) for kind in KINDS]

    rows = {
        "new": by_kind(requests.filter(submitted_at__gte=start, submitted_at__lt=end)),
        "carried_in": by_kind(requests.filter(open_at_start, submitted_at__lt=start)),
        "carried_out": by_kind(requests.filter(open_at_end, submitted_at__lt=end)),
    }
    results = {key: [0] * len(KINDS) for key in RESULT_ROWS}
    closed = (
        requests.filter(closed_at__gte=start, closed_at__lt=end, state__in=FINAL)
        .values_list("applicant_kind", "state", "reply_kind", "reply_reason")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for applicant_kind, state, reply_kind, reply_reason, n in closed:
        if applicant_kind in ApplicantKind.values:
            results[result_of(state, reply_kind, reply_reason)][
                KINDS.index(ApplicantKind(applicant_kind))
            ] += n
    rows.update(results)
    rows["total"] = [sum(column) for column in zip(*results.values(), strict=True)]
    return RequestFigures(
        year=year,
        department=department,
        rows=[Row(key, label, rows[key]) for key, label in zip(ROW_KEYS, REQUEST_ROWS, strict=True)],
    )
