"""The casework dashboard (figures on constructed cases), the CSV exports and the working-day calendar."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from cms.applications.models import Application
from cms.casework import dashboard, workdays
from cms.casework.admin import calendar as calendar_admin
from cms.casework.models import CalendarOverride
from cms.editors.groups import (
    SITE_ADMIN_GROUP,
    SUPERVISOR_GROUP,
    ensure_site_admin_group,
    ensure_supervisor_group,
)
from tests.casework_builders import (
    VALID_RESIDENT_ID,
    make_application,
    make_guide,
    make_officer,
    make_service_tree,
)
from tests.test_backoffice import travel, user_in  # noqa: F401 - fixtures
from tests.test_editors import is_denied

pytestmark = pytest.mark.anydb

TODAY = datetime.date(2026, 11, 24)  # a Tuesday


def d(text):
    return datetime.date.fromisoformat(text)


def at(text):
    return timezone.make_aware(datetime.datetime.fromisoformat(text))


@pytest.fixture
def figures(portal, travel):  # noqa: F811
    """Cases of 市财政局 and 市发展改革委 in every situation the dashboard counts, as of 2026-11-24."""
    travel("2026-11-24 10:00")
    _, folders = make_service_tree(portal)
    ensure_site_admin_group()
    ensure_supervisor_group()
    czj_guide = make_guide(folders["czj"], title="政府采购代理机构名录登记", item_code="CZJ-001")
    fgw_guide = make_guide(folders["fgw"], title="企业投资项目备案", item_code="FGW-001")
    made = {}

    def case(key, guide, state, submitted="2026-11-02 09:00", **fields):
        app, _ = make_application(guide, submission_key=key, applicant_name=fields.pop("name", "王小明"))
        Application.objects.filter(pk=app.pk).update(state=state, submitted_at=at(submitted), **fields)
        made[key] = Application.objects.get(pk=app.pk)

    case("soon2", czj_guide, "accepted", due_on=d("2026-11-26"))
    case("soon3", czj_guide, "under_review", due_on=d("2026-11-27"))
    case("later", czj_guide, "accepted", due_on=d("2026-11-30"))
    case("late", czj_guide, "accepted", due_on=d("2026-11-20"))
    case(
        "waiting", czj_guide, "supplement_requested", due_on=d("2026-11-10"), clock_stopped_on=d("2026-11-05")
    )
    closed = {"closed_at": at("2026-11-20 16:00")}
    case("on_time", czj_guide, "completed", on_time=True, workdays_used=4, **closed)
    case("overdue_done", czj_guide, "completed", on_time=False, workdays_used=9, **closed)
    case("refused", czj_guide, "refused", on_time=True, workdays_used=2, **closed)
    case("withdrawn", czj_guide, "withdrawn", on_time=True, workdays_used=1, **closed)
    case("fgw_done", fgw_guide, "completed", on_time=True, workdays_used=5, **closed)
    case(
        "last_year",
        czj_guide,
        "completed",
        submitted="2025-12-01 09:00",
        on_time=False,
        workdays_used=30,
        **closed,
    )
    case("formula", fgw_guide, "submitted", name="=HYPERLINK(1)")
    return {
        "cases": made,
        "czj": make_officer(portal.departments["czj"], "czj_officer"),
        "supervisor": user_in("jiancha", SUPERVISOR_GROUP),
        "site_admin": user_in("site_admin", SITE_ADMIN_GROUP),
    }


def keys(queryset, cases):
    names = {case.pk: key for key, case in cases.items()}
    return {names[pk] for pk in queryset.values_list("pk", flat=True)}


def test_due_soon_overdue_stopped_on_time_rate_and_average_working_days(figures):
    cases = figures["cases"]
    everything = Application.objects.all()
    assert keys(dashboard.due_soon(everything, TODAY), cases) == {"soon2", "soon3"}  # 2 and 3 working days
    assert keys(dashboard.overdue(everything, TODAY), cases) == {"late"}
    assert keys(dashboard.clock_stopped(everything), cases) == {"waiting"}  # past its date, but not running

    period = dashboard.Period(d("2026-01-01"), TODAY)
    received = dashboard.submitted_in(Application.objects.all(), period)
    czj, fgw = dashboard.by_department(received, TODAY)
    assert czj.label == "济源市财政局"
    # Nine received this year; the rate counts completed and refused ones, not the withdrawn one.
    assert (czj.received, czj.open, czj.closed, czj.decided, czj.on_time) == (9, 5, 4, 3, 2)
    assert (czj.on_time_rate, czj.average_days, czj.overdue) == (66.7, 5.0, 1)
    assert (fgw.received, fgw.on_time_rate, fgw.average_days) == (2, 100.0, 5.0)
    total = dashboard.totals(received, TODAY)
    assert (total.received, total.decided, total.on_time_rate, total.average_days) == (11, 4, 75.0, 5.0)
    services = {row.key: row for row in dashboard.by_service(received, TODAY)}
    assert services["CZJ-001"].label == "政府采购代理机构名录登记（济源市财政局）"
    assert services["FGW-001"].received == 2
    # Last year's late case counts only when the period includes it.
    everything = dashboard.totals(
        dashboard.submitted_in(Application.objects.all(), dashboard.Period(d("2025-01-01"), TODAY)), TODAY
    )
    assert (everything.decided, everything.on_time) == (5, 3)


def test_the_period_falls_back_to_this_year_with_a_message():
    assert dashboard.Period.parse("2026-03-01", "2026-03-31", TODAY) == (
        dashboard.Period(d("2026-03-01"), d("2026-03-31")),
        "",
    )
    for start, end in (("2026-13-01", ""), ("2026-05-01", "2026-04-01"), ("1990-01-01", "2026-01-01")):
        period, error = dashboard.Period.parse(start, end, TODAY)
        assert period == dashboard.Period(d("2026-01-01"), TODAY) and error


def test_the_dashboard_page_for_an_officer_and_a_supervisor(figures, client):
    client.force_login(figures["czj"])
    page = client.get(reverse("casework_dashboard:index"), {"start": "2026-01-01", "end": "2026-11-24"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "66.7%" in html and "济源市发展和改革委员会" not in html  # only their own department
    assert figures["cases"]["late"].tracking_number in html  # listed as overdue
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "办件提醒" in home and "?deadline=overdue" in home
    client.force_login(figures["supervisor"])
    html = client.get(reverse("casework_dashboard:index"), {"start": "2026-01-01"}).content.decode()
    assert "济源市发展和改革委员会" in html and "75.0%" in html
    fgw = figures["cases"]["fgw_done"].department
    html = client.get(reverse("casework_dashboard:index"), {"department": fgw.pk}).content.decode()
    assert "100.0%" in html and "66.7%" not in html
    assert client.get(reverse("casework_dashboard:index"), {"department": "²"}).status_code == 200
    bad = client.get(reverse("casework_dashboard:index"), {"start": "not-a-date"})
    assert bad.status_code == 200 and "日期格式应为" in bad.content.decode()


def read_csv(response):
    body = b"".join(response.streaming_content)
    assert body.startswith("\ufeff".encode())  # Excel reads the BOM as "this is UTF-8"
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_the_figures_and_the_case_list_export_as_csv(figures, client):
    client.force_login(figures["supervisor"])
    response = client.get(reverse("casework_dashboard:export"), {"start": "2026-01-01", "end": "2026-11-24"})
    assert "attachment" in response["Content-Disposition"] and ".csv" in response["Content-Disposition"]
    rows = read_csv(response)
    assert rows[0][:3] == ["统计口径", "名称", "收件数"]
    czj = next(row for row in rows if row[:2] == ["办件·按部门", "济源市财政局"])
    assert czj[2:10] == ["9", "5", "4", "2", "3", "66.7", "5.0", "1"]
    assert czj[10] == "2026-01-01 至 2026-11-24"
    assert any(row[:2] == ["办件·合计", "合计"] and row[7] == "75.0" for row in rows)

    response = client.get(reverse("casework_applications:export"), {"deadline": "open"})
    rows = read_csv(response)
    assert rows[0][:3] == ["受理编号", "办理部门", "事项名称"]
    by_number = {row[0]: row for row in rows[1:]}
    late = by_number[figures["cases"]["late"].tracking_number]
    assert late[3] == "王**" and late[4] == VALID_RESIDENT_ID[:4] + "*" * 10 + VALID_RESIDENT_ID[-4:]
    assert late[9] == "-2" and late[5] == "已受理"  # two working days overdue
    assert VALID_RESIDENT_ID not in str(rows)
    assert by_number[figures["cases"]["formula"].tracking_number][3].startswith("'=")
    assert figures["cases"]["on_time"].tracking_number not in by_number  # filtered to open cases


# --- the working-day calendar -----------------------------------------------------------------------


def test_an_override_entered_in_the_admin_moves_an_open_deadline(
    figures, client, django_capture_on_commit_callbacks
):
    case = figures["cases"]["later"]
    Application.objects.filter(pk=case.pk).update(received_on=d("2026-11-24"), allowed_days=4)
    case.refresh_from_db()
    client.force_login(figures["site_admin"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("casework_calendar:add"),
            {"date": "2026-11-26", "is_workday": "", "note": "临时调整（测试）"},
        )
    assert response.status_code == 302
    assert CalendarOverride.objects.get(date=d("2026-11-26")).is_workday is False
    case.refresh_from_db()
    assert case.due_on == d("2026-12-01")  # 25, 27, 30, Dec 1: the 26th no longer counts
    index = client.get(reverse("casework_calendar:index")).content.decode()
    assert "临时调整（测试）" in index
    month = client.get(reverse("casework_calendar:month"), {"month": "2026-11"}).content.decode()
    assert "人工调整" in month and "2026年11月：20 个工作日" in month


def test_the_calendar_warns_about_next_year_and_shows_any_month(figures, client, monkeypatch):
    client.force_login(figures["site_admin"])
    real = workdays.library_covers
    monkeypatch.setattr(workdays, "library_covers", lambda day: getattr(day, "year", day) <= 2026)
    warning = calendar_admin.library_warning(TODAY)
    assert "不含 2027 年" in warning and "国务院办公厅" in warning and "已录入 2027 年的调整 0 条" in warning
    assert "不含 2027 年" in client.get(reverse("casework_calendar:index")).content.decode()
    february = client.get(reverse("casework_calendar:month"), {"month": "2027-02"}).content.decode()
    assert "工作日历库不含 2027 年" in february
    monkeypatch.setattr(workdays, "library_covers", lambda day: True)
    assert calendar_admin.library_warning(TODAY) == ""
    monkeypatch.setattr(workdays, "library_covers", real)

    client.force_login(figures["czj"])  # officers may look, not edit
    html = client.get(reverse("casework_calendar:month"), {"month": "2026-02"}).content.decode()
    assert "春节" in html and "调休上班" in html
    assert client.get(reverse("casework_calendar:month"), {"month": "2026-99"}).status_code == 200
    assert is_denied(client.get(reverse("casework_calendar:index")))
    assert is_denied(client.post(reverse("casework_calendar:add"), {"date": "2026-12-01"}))
    assert not CalendarOverride.objects.exists()
