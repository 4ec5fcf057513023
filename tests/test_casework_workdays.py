"""Working days on China's calendar: holidays, make-up working days (调休), the administrator's corrections,
and years the library does not know yet.

Every expected date below was counted by hand on the State Council's notice for 2026 (国务院办公厅关于2026年
部分节假日安排的通知, 国办发明电〔2025〕7号, 4 November 2025):
  元旦 1月1日(周四)至3日(周六)放假，1月4日(周日)上班;
  春节 2月15日(周日)至23日(周一)放假，共9天，2月14日(周六)、2月28日(周六)上班;
  清明 4月4日至6日; 劳动节 5月1日至5日放假，5月9日(周六)上班; 端午 6月19日至21日;
  中秋 9月25日(周五)至27日(周日); 国庆 10月1日(周四)至7日(周三)放假，9月20日(周日)、10月10日(周六)上班.
"""

import datetime

import pytest
from django.core.management import call_command

from cms.casework import workdays
from cms.casework.models import CalendarOverride
from cms.casework.workdays import add_workdays, is_workday, library_covers, workdays_between

pytestmark = [pytest.mark.django_db, pytest.mark.anydb]


def d(text):
    return datetime.date.fromisoformat(text)


def span(first, last):
    day, days = d(first), []
    while day <= d(last):
        days.append(day)
        day += datetime.timedelta(days=1)
    return days


NOTICE_2026_OFF = [
    *span("2026-01-01", "2026-01-03"),
    *span("2026-02-15", "2026-02-23"),
    *span("2026-04-04", "2026-04-06"),
    *span("2026-05-01", "2026-05-05"),
    *span("2026-06-19", "2026-06-21"),
    *span("2026-09-25", "2026-09-27"),
    *span("2026-10-01", "2026-10-07"),
]
NOTICE_2026_MAKEUP = [
    d(x) for x in ("2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10")
]


def test_the_library_has_the_state_councils_2026_calendar():
    for day in NOTICE_2026_OFF:
        assert not is_workday(day), day
    for day in NOTICE_2026_MAKEUP:
        assert day.weekday() >= 5 and is_workday(day), day
    # Every other day of 2026 is an ordinary weekday or weekend.
    special = set(NOTICE_2026_OFF) | set(NOTICE_2026_MAKEUP)
    for day in span("2026-01-01", "2026-12-31"):
        if day not in special:
            assert is_workday(day) == (day.weekday() < 5), day
    working = sum(is_workday(day) for day in span("2026-01-01", "2026-12-31"))
    assert working == 248  # 261 weekdays - 19 weekday holidays + 6 make-up days


@pytest.mark.parametrize(
    ("start", "days", "due", "why"),
    [
        # Thu before the Spring Festival: 13 (1), Sat 14 调休 (2), 24-28 incl. Sat 28 调休 (3-7), Mar 2-6,
        # 9-13, 16-18 (8-20). Weekends only would give 2026-03-12.
        ("2026-02-12", 20, "2026-03-18", "20 working days across the Spring Festival"),
        # Thu before 中秋/国庆: Sep 28-30 (1-3), Oct 8-10 incl. Sat 10 调休 (4-6), Oct 12-16, 19-23, 26-29.
        ("2026-09-24", 20, "2026-10-29", "20 working days across Mid-Autumn and National Day"),
        # Wed: Thu 26 (1), Fri 27 (2), Sat 28 调休 (3), Mar 2 (4), Mar 3 (5).
        ("2026-02-25", 5, "2026-03-03", "5 working days crossing a make-up Saturday"),
        # Thu: Fri 18 (1), Sun 20 调休 (2), 21-23 (3-5).
        ("2026-09-17", 5, "2026-09-23", "5 working days crossing a make-up Sunday"),
        # Tue: Sep 30 (1), then the holiday; Oct 8 (2) - a naive count would land on 1 October.
        ("2026-09-29", 2, "2026-10-08", "a deadline on a holiday moves to the next working day"),
        # Fri: Sat and Sun are not counted: Mon 9 March.
        ("2026-03-06", 1, "2026-03-09", "the day of receipt does not count, nor the weekend"),
        # Received on a Saturday: Sun not counted, Mon 9 (1) ... Fri 13 (5).
        ("2026-03-07", 5, "2026-03-13", "received on a Saturday"),
        # New Year: Dec 31 2025 (Wed) received; Jan 1-3 off, Sun Jan 4 调休 (1), 5-8 (2-5).
        ("2025-12-31", 5, "2026-01-08", "5 working days across New Year with a make-up Sunday"),
        # 即办件: the same day.
        ("2026-03-03", 0, "2026-03-03", "即办件 on a working day"),
        # 即办件 received during the Spring Festival: the first working day after it.
        ("2026-02-18", 0, "2026-02-24", "即办件 received on a holiday"),
    ],
)
def test_add_workdays(start, days, due, why):
    assert add_workdays(d(start), days) == d(due), why


def test_a_deadline_always_falls_on_a_working_day():
    start = d("2026-01-20")
    for days in range(0, 60):
        assert is_workday(add_workdays(start, days))


def test_workdays_between_counts_after_the_start_up_to_and_including_the_end():
    assert workdays_between(d("2026-02-12"), d("2026-03-18")) == 20
    assert workdays_between(d("2026-09-30"), d("2026-10-08")) == 1  # the whole National Day week is off
    assert workdays_between(d("2026-02-13"), d("2026-02-14")) == 1  # the make-up Saturday counts
    assert workdays_between(d("2026-02-14"), d("2026-02-23")) == 0  # nine days of holiday
    assert workdays_between(d("2026-03-03"), d("2026-03-03")) == 0
    assert workdays_between(d("2026-03-05"), d("2026-03-03")) == 0
    # The inverse of add_workdays.
    for days in (1, 5, 20, 40):
        assert workdays_between(d("2026-09-24"), add_workdays(d("2026-09-24"), days)) == days


def test_an_administrators_holiday_on_a_weekday_moves_the_deadline_at_once():
    assert add_workdays(d("2026-02-12"), 20) == d("2026-03-18")
    CalendarOverride.objects.create(date=d("2026-03-10"), is_workday=False, note="临时放假")
    # No restart, no waiting for the memo to expire.
    assert not is_workday(d("2026-03-10"))
    assert add_workdays(d("2026-02-12"), 20) == d("2026-03-19")
    assert workdays_between(d("2026-03-09"), d("2026-03-11")) == 1


def test_an_administrators_working_saturday_moves_the_deadline_earlier():
    CalendarOverride.objects.create(date=d("2026-03-07"), is_workday=True, note="调休上班")
    assert is_workday(d("2026-03-07"))
    assert add_workdays(d("2026-02-12"), 20) == d("2026-03-17")


def test_an_override_can_undo_the_librarys_holiday_and_removing_it_restores_the_library():
    override = CalendarOverride.objects.create(date=d("2026-10-08"), is_workday=False)
    assert add_workdays(d("2026-09-29"), 2) == d("2026-10-09")
    holiday = CalendarOverride.objects.create(date=d("2026-10-02"), is_workday=True)
    assert add_workdays(d("2026-09-29"), 2) == d("2026-10-02")
    holiday.delete()
    override.delete()
    assert add_workdays(d("2026-09-29"), 2) == d("2026-10-08")


def test_a_bulk_delete_of_overrides_takes_effect_at_once():
    CalendarOverride.objects.create(date=d("2026-03-10"), is_workday=False)
    CalendarOverride.objects.create(date=d("2026-03-11"), is_workday=False)
    assert add_workdays(d("2026-03-09"), 1) == d("2026-03-12")
    CalendarOverride.objects.all().delete()
    assert add_workdays(d("2026-03-09"), 1) == d("2026-03-10")


def test_years_beyond_the_library_count_weekends_and_overrides_only():
    assert library_covers(d("2026-12-31")) and library_covers(2004)
    assert not library_covers(d("2027-01-01")) and not library_covers(2003)
    # 2026-12-31 (Thu) is known; 1 January 2027 (Fri) is not a holiday until someone says so.
    assert add_workdays(d("2026-12-30"), 5) == d("2027-01-06")
    assert is_workday(d("2027-01-01")) and not is_workday(d("2027-01-02"))
    CalendarOverride.objects.create(date=d("2027-01-01"), is_workday=False, note="2027年元旦")
    assert add_workdays(d("2026-12-30"), 5) == d("2027-01-07")
    CalendarOverride.objects.create(date=d("2027-01-02"), is_workday=True, note="假想的调休")
    assert add_workdays(d("2026-12-30"), 5) == d("2027-01-06")


def test_another_process_correction_is_seen_once_the_memo_expires(monkeypatch):
    assert is_workday(d("2026-03-10"))
    # Written by another process: no signal reaches this one.
    CalendarOverride.objects.bulk_create([CalendarOverride(date=d("2026-03-10"), is_workday=False)])
    assert is_workday(d("2026-03-10"))  # remembered
    monkeypatch.setattr(workdays, "MEMO_SECONDS", -1)
    assert not is_workday(d("2026-03-10"))
    # A stored deadline never waits for the memo: clock reads the table fresh.
    assert workdays.overrides(fresh=True)[d("2026-03-10")] is False


def test_year_calendar_command_prints_the_notice_as_the_portal_counts_it(capsys):
    CalendarOverride.objects.create(date=d("2026-03-10"), is_workday=False, note="防汛演练")
    call_command("casework", "calendar", "2026")
    out = capsys.readouterr().out
    assert "2026-02-15 星期日 至 2026-02-23 星期一  春节  共 9 天" in out
    assert "2026-10-01 星期四 至 2026-10-07 星期三  国庆节  共 7 天" in out
    assert "2026-09-25 星期五 至 2026-09-27 星期日  中秋  共 3 天" in out
    for day in ("2026-02-14 星期六  春节", "2026-02-28 星期六  春节", "2026-10-10 星期六  国庆节"):
        assert day in out
    assert "2026-03-10 星期二  放假  防汛演练" in out
    assert "全年工作日 247 天" in out  # 248 less the override


def test_year_calendar_command_warns_about_years_the_library_does_not_cover(capsys):
    CalendarOverride.objects.create(date=d("2027-01-01"), is_workday=False, note="元旦")
    call_command("casework", "calendar", "2027")
    out = capsys.readouterr().out
    assert "2027 年不在 chinese_calendar" in out
    assert "2027-01-01 星期五 至 2027-01-03 星期日  管理员调整  共 3 天" in out
    assert "全年工作日 260 天" in out
