"""Working days on China's calendar (工作日): public holidays and make-up working days (调休) included.

The calendar comes from the maintained ``chinese_calendar`` library; an administrator corrects or extends it
with ``CalendarOverride`` rows (the State Council announces each year's calendar late in the year before,
often after the library's release). Outside the library's years, weekends are the only non-working days
unless an override says otherwise.

Counting follows the Regulations on Open Government Information and the Administrative Licensing Law: the day
of receipt is not counted, so a 20-working-day deadline falls on the 20th working day after it. A deadline
therefore always falls on a working day: counting only ever stops on one.
"""

import datetime
import time

import chinese_calendar
from chinese_calendar import Holiday

_MAX_SPAN = 3660  # days: a deadline search never runs away

_memo = {"at": None, "table": None}
# Another process's correction is seen within this many seconds; this process's at once. Deadlines that are
# stored (``due_on``) read the table fresh (``clock``), so only what is displayed can lag.
MEMO_SECONDS = 60

HOLIDAY_NAMES = {holiday.value: holiday.chinese for holiday in Holiday}


def overrides(fresh=False):
    """``{date: is_workday}`` from ``CalendarOverride``, remembered for ``MEMO_SECONDS``."""
    from cms.casework.models import CalendarOverride

    now = time.monotonic()
    if fresh or _memo["table"] is None or now - _memo["at"] > MEMO_SECONDS:
        _memo["table"] = dict(CalendarOverride.objects.values_list("date", "is_workday"))
        _memo["at"] = now
    return _memo["table"]


def forget():
    _memo["table"] = None


def _as_date(day):
    return day.date() if isinstance(day, datetime.datetime) else day


def library_covers(day):
    """Whether ``chinese_calendar`` knows ``day``'s year (a date, or a year as an int)."""
    if isinstance(day, int):
        day = datetime.date(day, 1, 1)
    try:
        chinese_calendar.is_workday(_as_date(day))
    except NotImplementedError:
        return False
    return True


def library_years():
    """The first and last year the library covers."""
    days = chinese_calendar.constants.holidays
    return min(days).year, max(days).year


def is_workday(day, table=None):
    day = _as_date(day)
    table = overrides() if table is None else table
    if day in table:
        return table[day]
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


def next_workday(day, table=None):
    """``day`` itself when it is a working day, else the first working day after it."""
    day = _as_date(day)
    table = overrides() if table is None else table
    for _ in range(_MAX_SPAN):
        if is_workday(day, table):
            return day
        day += datetime.timedelta(days=1)
    raise ValueError("工作日期限超出范围")


def add_workdays(start, days, table=None):
    """The date ``days`` working days after ``start`` (``start`` itself not counted). ``days == 0`` is the
    same day (即办件), or the next working day when ``start`` is not one (received on a holiday)."""
    start = _as_date(start)
    table = overrides() if table is None else table
    if days <= 0:
        return next_workday(start, table)
    day, counted = start, 0
    for _ in range(_MAX_SPAN):
        day += datetime.timedelta(days=1)
        if is_workday(day, table):
            counted += 1
            if counted == days:
                return day
    raise ValueError("工作日期限超出范围")


def workdays_between(start, end, table=None):
    """Working days in ``(start, end]``: how many working days passed from ``start`` to ``end``."""
    start, end = _as_date(start), _as_date(end)
    if end <= start:
        return 0
    table = overrides() if table is None else table
    count, day = 0, start
    while day < end:
        day += datetime.timedelta(days=1)
        if is_workday(day, table):
            count += 1
    return count


def year_calendar(year, table=None):
    """A year as the portal counts it: ``{"holidays": [(first, last, name, days)], "makeup": [(day, name)],
    "overrides": [(day, is_workday)], "workdays": n, "covered": bool}``. A holiday period runs over the
    consecutive non-working days around a holiday (the weekend it joins included), as the State Council's
    notices state them."""
    table = overrides() if table is None else table
    covered = library_covers(year)
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    days = [first + datetime.timedelta(days=n) for n in range((last - first).days + 1)]
    run, holidays, makeup, workdays = [], [], [], 0

    def name_of(day):
        if day in table:
            return "管理员调整"
        if covered:
            _, name = chinese_calendar.get_holiday_detail(day)
            return HOLIDAY_NAMES.get(name, name or "")
        return ""

    def close_run():
        special = [d for d in run if d.weekday() < 5 or name_of(d)]
        if special:
            names = [name_of(d) for d in run if name_of(d)]
            holidays.append((run[0], run[-1], "、".join(dict.fromkeys(names)), len(run)))
        run.clear()

    for day in days:
        if is_workday(day, table):
            workdays += 1
            if day.weekday() >= 5:
                makeup.append((day, name_of(day)))
            close_run()
        else:
            run.append(day)
    close_run()
    return {
        "holidays": holidays,
        "makeup": makeup,
        "overrides": sorted((d, w) for d, w in table.items() if d.year == year),
        "workdays": workdays,
        "covered": covered,
    }
