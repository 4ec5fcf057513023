"""Table 三 of the annual report (收到和处理政府信息公开申请情况) computed from the requests: new ones by
applicant kind, carried over from the previous year, results by reply kind and sub-reason, the total and
what is carried into the next year; then written into a draft of an AnnualReportPage by its editor."""

import datetime
import io
import uuid

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from cms.disclosure.annual_report import REQUEST_CAPTION, REQUEST_COLUMNS, REQUEST_ROWS
from cms.disclosure.models import AnnualReportPage
from cms.disclosure_requests.figures import KINDS, request_figures
from cms.disclosure_requests.models import DisclosureRequest, State
from tests.builders import add
from tests.test_disclosure_requests import make_departments

pytestmark = pytest.mark.anydb


@pytest.fixture
def departments(db):
    return make_departments()


def at(text):
    return timezone.make_aware(datetime.datetime.fromisoformat(text))  # Beijing time


def case(department, kind, submitted, closed=None, state=State.SUBMITTED, reply=("", "")):
    request = DisclosureRequest(
        department=department,
        applicant_kind=kind,
        applicant_name="申请人",
        phone="13903910002",
        address="济源市",
        description="所需信息",
        delivery_form="electronic",
        delivery_method="online",
        submission_key=uuid.uuid4().hex,
        submitted_at=at(submitted),
        closed_at=at(closed) if closed else None,
        state=state,
        reply_kind=reply[0],
        reply_reason=reply[1],
    )
    request.issue_codes()
    request.begin(at(submitted).date())
    request.save()
    return request


@pytest.fixture
def history(departments):
    czj, fgw = departments["czj"], departments["fgw"]
    answered = State.ANSWERED
    case(czj, "person", "2024-12-20 10:00", "2025-01-10 10:00", answered, ("disclosed", ""))
    case(czj, "company", "2024-06-01 10:00", "2024-07-01 10:00", answered, ("disclosed", ""))
    case(czj, "research", "2024-12-30 10:00")  # still open: carried in, and carried out again
    case(czj, "person", "2025-03-01 10:00", "2025-03-20 10:00", answered, ("withheld", "third_party"))
    case(czj, "person", "2025-05-01 10:00", "2025-05-03 10:00", State.WITHDRAWN)
    case(czj, "legal", "2025-06-01 10:00", "2025-07-15 10:00", State.LAPSED, ("other", "no_supplement"))
    case(czj, "charity", "2025-12-31 23:30")  # Beijing time: still 2025
    case(czj, "other", "2025-11-01 10:00", "2026-01-05 10:00", answered, ("unavailable", "not_held"))
    case(czj, "company", "2025-02-01 10:00", "2025-02-10 10:00", answered, ("partly", ""))
    case(czj, "person", "2026-01-01 00:10")  # 2026 in Beijing, though 2025 in UTC
    case(fgw, "person", "2025-04-01 10:00", "2025-04-20 10:00", answered, ("disclosed", ""))
    return czj


def column(kind):
    return KINDS.index(kind)


def test_a_departments_year(history):
    figures = request_figures(2025, history)
    row = figures.row
    #                                   自然人 商业企业 科研 公益 法律 其他
    assert row("new").values == [2, 1, 0, 1, 1, 1]
    assert row("carried_in").values == [1, 0, 1, 0, 0, 0]
    assert row(("disclosed", "")).values == [1, 0, 0, 0, 0, 0]  # carried in from 2024
    assert row(("partly", "")).values == [0, 1, 0, 0, 0, 0]
    assert row(("withheld", "third_party")).values == [1, 0, 0, 0, 0, 0]
    assert row(("other", "no_supplement")).values == [0, 0, 0, 0, 1, 0]
    assert row(("other", "other")).values == [1, 0, 0, 0, 0, 0]  # the withdrawn request
    assert row(("unavailable", "not_held")).total == 0  # answered in 2026
    assert row("total").values == [3, 1, 0, 0, 1, 0] and row("total").total == 5
    assert row("carried_out").values == [0, 0, 1, 1, 0, 1]
    # The template's identity, column by column: new + carried in = results + carried out.
    for i in range(len(KINDS)):
        assert row("new").values[i] + row("carried_in").values[i] == (
            row("total").values[i] + row("carried_out").values[i]
        )
    assert [r.label for r in figures.rows] == REQUEST_ROWS
    assert figures.table_rows()[0] == ["一、本年新收政府信息公开申请数量", "2", "1", "0", "1", "1", "1", "6"]


def test_the_next_year_and_all_departments(history):
    following = request_figures(2026, history)
    assert following.row("carried_in").values == request_figures(2025, history).row("carried_out").values
    assert following.row("new").values == [1, 0, 0, 0, 0, 0]
    assert following.row(("unavailable", "not_held")).values[column("other")] == 1
    everyone = request_figures(2025)
    assert everyone.row("new").total == 7 and everyone.row(("disclosed", "")).values[column("person")] == 2
    assert request_figures(2023).row("total").total == 0


def test_the_command_prints_the_table_as_csv(history):
    out = io.StringIO()
    call_command("request_figures", "2025", "--department", "czj", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == ",".join(REQUEST_COLUMNS)
    assert lines[-1] == "四、结转下年度继续办理,0,0,1,1,0,1,3"


def test_an_editor_writes_the_figures_into_a_draft_of_the_report(portal, client):
    czj = portal.departments["czj"]
    case(czj, "person", "2025-03-01 10:00", "2025-03-20 10:00", State.ANSWERED, ("disclosed", ""))
    case(czj, "company", "2025-12-01 10:00")
    report = add(
        portal.folders["czj"], AnnualReportPage(title="济源市财政局2025年政府信息公开工作年度报告", year=2025)
    )
    url = f"/admin/ysqgk/annual-report/{report.pk}/figures/"

    nobody = get_user_model().objects.create_user("visitor", password="pw-visitor-1")
    client.force_login(nobody)
    assert client.get(url).status_code in (302, 403)

    admin = get_user_model().objects.create_superuser("admin", "admin@example.com", "pw-admin-1")
    client.force_login(admin)
    edit = client.get(f"/admin/pages/{report.pk}/edit/")
    assert url in edit.content.decode()  # the button in the page's header menu
    preview = client.get(url)
    html = preview.content.decode()
    assert preview.status_code == 200 and "济源市财政局" in html and 'colspan="5">法人或其他组织' in html
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == f"/admin/pages/{report.pk}/edit/"

    report.refresh_from_db()
    draft = report.get_latest_revision_as_object()
    tables = [
        b.value for b in draft.body if b.block_type == "table" and b.value["caption"] == REQUEST_CAPTION
    ]
    data = tables[0]["table"]["data"]
    assert data[0] == REQUEST_COLUMNS
    assert data[1] == ["一、本年新收政府信息公开申请数量", "1", "1", "0", "0", "0", "0", "2"]
    assert data[3][0].startswith("三、本年度办理结果（一）予以公开") and data[3][-1] == "1"
    assert data[-1][-1] == "1"  # carried into 2026
    assert report.has_unpublished_changes
    live = [b.value for b in report.body if b.block_type == "table" and b.value["caption"] == REQUEST_CAPTION]
    assert live[0]["table"]["data"][1][-1] == "0"  # the published report is unchanged until approved
    # Another scope on demand: all departments.
    assert "全部部门" in client.get(url + "?scope=all").content.decode()


def test_the_demo_requests_add_up(portal):
    """The demo loader's requests (every state, back-dated over months) give a consistent table."""
    from fixtures import casework

    out = io.StringIO()
    assert casework.load(out)["requests"] > 0 and casework.load()["requests"] == 0  # idempotent
    requests = DisclosureRequest.objects.all()
    assert {r.state for r in requests} >= {State.ANSWERED, State.WITHDRAWN, State.SUBMITTED}
    for request in requests.filter(state=State.ANSWERED):
        assert request.events.get(action="reply").attachment and request.reply_kind
    this_year = timezone.localdate().year
    for year in (this_year - 1, this_year):
        figures = request_figures(year)
        for i in range(len(KINDS)):
            assert figures.row("new").values[i] + figures.row("carried_in").values[i] == (
                figures.row("total").values[i] + figures.row("carried_out").values[i]
            )


def test_a_department_editor_counts_only_their_department(portal, client):
    from django.contrib.auth.models import Group

    report = add(portal.folders["czj"], AnnualReportPage(title="济源市财政局2025年年度报告", year=2025))
    url = f"/admin/ysqgk/annual-report/{report.pk}/figures/"
    editor = get_user_model().objects.create_user("czj_editor", password="pw-editor-1")
    editor.groups.add(Group.objects.get(name="市财政局编辑"))
    client.force_login(editor)
    html = client.get(url + "?scope=all").content.decode()
    assert "统计范围：济源市财政局" in html and 'name="scope"' not in html.split("<table")[0]
    other = get_user_model().objects.create_user("fgw_editor", password="pw-editor-2")
    other.groups.add(Group.objects.get(name="市发展改革委编辑"))
    client.force_login(other)
    assert client.get(url).status_code in (302, 403)
    assert client.post(url).status_code in (302, 403)
    assert not AnnualReportPage.objects.get(pk=report.pk).has_unpublished_changes
