"""Working days on China's calendar (工作日): public holidays and make-up working days (调休) included.

The calendar comes from the maintained ``chinese_calendar`` library; an administrator corrects or extends it
with ``CalendarOverride`` rows (the State Council announces each year's calendar late in the year before,
often after the library's release). Outside the library's years, weekends are the only non-working days
unless an override says otherwise.

Counting follows the Regulations on Open Government Information and the Administrative Licensing Law: the day
of receipt is not counted, so a 20-working-day deadline falls on the 20th working day after it.
"""

import datetime
import time

import chinese_calendar

_MAX_SPAN = 3660  # days: a deadline search never runs away


_memo = {"at": None, "table": None}
MEMO_SECONDS = 60  # another process's correction is seen within a minute; this process's at once


def overrides():
    """``{date: is_workday}`` from ``CalendarOverride``, remembered for a minute."""
    from cms.casework.models import CalendarOverride

    now = time.monotonic()
    if _memo["table"] is None or now - _memo["at"] > MEMO_SECONDS:
        _memo["table"] = dict(CalendarOverride.objects.values_list("date", "is_workday"))
        _memo["at"] = now
    return _memo["table"]


def forget():
    _memo["table"] = None


def library_covers(day):
    try:
        chinese_calendar.is_workday(day)
    except NotImplementedError:
        return False
    return True


def is_workday(day, table=None):
    table = overrides() if table is None else table
    if day in table:
        return table[day]
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


def add_workdays(start, days):
    """The date ``days`` working days after ``start`` (``start`` itself not counted). ``days == 0`` is the
    same day (即办件)."""
    if days <= 0:
        return start
    table = overrides()
    day, counted = start, 0
    for _ in range(_MAX_SPAN):
        day += datetime.timedelta(days=1)
        if is_workday(day, table):
            counted += 1
            if counted == days:
                return day
    raise ValueError("工作日期限超出范围")


def workdays_between(start, end):
    """Working days in ``(start, end]``: how many working days passed from ``start`` to ``end``."""
    if end <= start:
        return 0
    table = overrides()
    count, day = 0, start
    while day < end:
        day += datetime.timedelta(days=1)
        if is_workday(day, table):
            count += 1
    return count
