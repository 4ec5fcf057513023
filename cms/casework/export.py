"""CSV exports of cases and of the dashboard figures (导出).

UTF-8 with a byte-order mark, so Excel on Chinese Windows opens the Chinese text correctly instead of
guessing GBK. Personal data is always masked: an export travels further than the screen it came from.
A cell an applicant wrote that starts like a formula (= + - @) is prefixed with an apostrophe, so a
spreadsheet shows it as text instead of running it (CSV injection).
"""

import csv
import datetime

from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header

BOM = "\ufeff"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class _Echo:
    def write(self, value):
        return value


def safe(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_response(filename, header, rows):
    """A streamed CSV download; ``rows`` may be a generator over a large queryset."""
    writer = csv.writer(_Echo())

    def lines():
        yield BOM + writer.writerow(header)
        for row in rows:
            yield writer.writerow([safe(cell) for cell in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "no-store"
    return response


CASE_HEADER = [
    "受理编号",
    "办理部门",
    "{subject}",
    "申请人",
    "证件号码",
    "状态",
    "提交时间",
    "起算日期",
    "办理期限",
    "剩余工作日",
    "暂停计时",
    "延期（工作日）",
    "办结时间",
    "用时（工作日）",
    "按时办结",
    "承办人",
]


def case_rows(queryset, subject, today=None):
    today = today or timezone.localdate()
    for case in queryset.select_related("department", "assignee").iterator(chunk_size=500):
        assignee = case.assignee
        yield [
            case.tracking_number,
            case.department.name,
            subject(case),
            case.masked_name,
            case.masked_id_number,
            case.get_state_display(),
            case.submitted_at,
            case.received_on,
            case.due_on,
            case.days_left(today),
            case.clock_stopped,
            case.extension_days,
            case.closed_at,
            case.workdays_used,
            case.on_time,
            (assignee.get_full_name() or assignee.get_username()) if assignee else "",
        ]


def cases_csv(queryset, *, subject_label, subject, filename):
    header = [column.format(subject=subject_label) for column in CASE_HEADER]
    return csv_response(filename, header, case_rows(queryset, subject))


FIGURES_HEADER = [
    "统计口径",
    "名称",
    "收件数",
    "办理中",
    "已办结",
    "按时办结",
    "计入按时率的办结数",
    "按时办结率（%）",
    "平均用时（工作日）",
    "当前超期",
    "统计区间（收件日期）",
]


def figures_csv(sections, period, filename):
    """``sections``: ``[(section label, [Figures, ...]), ...]``."""

    def rows():
        for label, figures in sections:
            for item in figures:
                yield [
                    label,
                    item.label,
                    item.received,
                    item.open,
                    item.closed,
                    item.on_time,
                    item.decided,
                    item.on_time_rate,
                    item.average_days,
                    item.overdue,
                    str(period),
                ]

    return csv_response(filename, FIGURES_HEADER, rows())
