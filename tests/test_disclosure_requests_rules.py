"""The rules of Decree 711 on a disclosure request, through ``cms.casework.workflow.perform`` as the back
office applies them: the 20-working-day deadline on China's calendar, a supplement asked for once and within
7 working days (after which the deadline counts from the supplemented request), a third-party consultation
that stops the clock, one extension of at most 20 working days with a reason, and a reply of one of the
annual report's kinds with its sub-reason and the reply document.

Dates are counted by hand on the 2026 calendar: Spring Festival off Feb 15-23 with make-up Saturdays
Feb 14 and Feb 28; Mid-Autumn off Sep 25-27; National Day off Oct 1-7 with make-up Sun Sep 20 and
Sat Oct 10."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from cms.casework.models import CalendarOverride, Notification
from cms.casework.workflow import APPLICANT, OFFICER, TransitionError, perform
from cms.disclosure_requests.models import DisclosureRequest, State
from tests.casework_builders import make_officer, make_request
from tests.test_disclosure_requests import make_departments

pytestmark = pytest.mark.anydb

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def departments(db):
    return make_departments()


def d(text):
    return datetime.date.fromisoformat(text)


@pytest.fixture
def travel(monkeypatch):
    """Set the current time (Beijing time) for everything that asks ``timezone.now()``."""

    def to(text):
        moment = timezone.make_aware(datetime.datetime.fromisoformat(text))
        monkeypatch.setattr(timezone, "now", lambda: moment)
        return moment

    return to


@pytest.fixture
def czj(departments):
    return departments["czj"], make_officer(departments["czj"])


def received(department, when, travel, **fields):
    travel(when)
    request, _ = make_request(
        department, submission_key=f"rules-{when}-{fields.get('applicant_name', '')}", **fields
    )
    return request


def reply_document(name="答复书.pdf"):
    return ContentFile(PDF, name=name)


def act(case, action, officer, **kwargs):
    return perform(case, action, by=OFFICER, user=officer, **kwargs)


def test_twenty_working_days_across_the_spring_festival_and_its_make_up_saturdays(czj, travel):
    department, officer = czj
    request = received(department, "2026-02-12 10:00", travel)  # Thursday before the holiday
    # 13, Sat 14 (调休), 24-27, Sat 28 (调休), Mar 2-6, 9-13, 16, 17, 18.
    assert (request.received_on, request.due_on) == (d("2026-02-12"), d("2026-03-18"))
    assert request.days_left(d("2026-02-13")) == 19
    # Seven working days for a supplement request: 13, 14, 24, 25, 26, 27 and Saturday 28 (调休).
    assert request.supplement_deadline == d("2026-02-28")


def test_a_supplement_within_seven_working_days_restarts_the_twenty_days(czj, travel):
    department, officer = czj
    request = received(department, "2026-02-12 10:00", travel)
    travel("2026-02-28 09:00")  # a make-up Saturday, the last allowed day
    act(request, "request_supplement", officer, reason="请写明所需文件的年份和项目名称", supply_days=10)
    assert request.state == State.SUPPLEMENT and request.clock_stopped_on == d("2026-02-28")
    # The applicant has 10 working days: Mar 2-6, 9-13.
    assert request.supplement_due_on == d("2026-03-13")
    assert request.days_left() is None  # the clock is stopped

    travel("2026-03-05 14:00")
    perform(request, "supply", by=APPLICANT, reason="2025年济源市城区道路改造项目")
    # Art. 30: the deadline counts from the supplemented request: Mar 6, 9-13, 16-20, 23-27, 30, 31, Apr 1, 2.
    assert request.state == State.SUBMITTED and not request.clock_stopped
    assert (request.received_on, request.due_on) == (d("2026-03-05"), d("2026-04-02"))

    # Once only: no second request for a supplement, even within seven days of the new receipt.
    with pytest.raises(TransitionError, match="不能再执行"):
        act(request, "request_supplement", officer, reason="再补充一次")


def test_a_supplement_after_seven_working_days_is_refused(czj, travel):
    department, officer = czj
    request = received(department, "2026-02-12 10:00", travel)
    travel("2026-03-02 09:00")  # the eighth working day
    with pytest.raises(TransitionError, match="7个工作日内") as refused:
        act(request, "request_supplement", officer, reason="内容不明确")
    assert "2026-02-28" in refused.value.message
    request.refresh_from_db()
    assert request.state == State.SUBMITTED and not request.supplement_requested_once
    assert request.events.count() == 0  # nothing recorded


def test_no_supplement_in_time_closes_the_request_for_the_annual_report(czj, travel):
    department, officer = czj
    request = received(department, "2026-09-22 10:00", travel)
    travel("2026-09-24 10:00")
    act(request, "request_supplement", officer, reason="请说明所需信息的具体内容", supply_days=5)
    # Five working days: Sep 28, 29, 30, Oct 8, 9.
    assert request.supplement_due_on == d("2026-10-09")
    travel("2026-10-09 16:00")
    with pytest.raises(TransitionError, match="期限届满后"):
        act(request, "lapse", officer)
    travel("2026-10-12 09:00")
    act(request, "lapse", officer, reason="申请人逾期未补正，视为放弃申请")
    assert request.state == State.LAPSED and request.is_closed
    assert (request.reply_kind, request.reply_reason) == ("other", "no_supplement")
    with pytest.raises(TransitionError):
        perform(request, "supply", by=APPLICANT, reason="晚了")


def test_third_party_consultation_stops_the_clock_across_national_day(czj, travel):
    department, officer = czj
    request = received(department, "2026-09-22 10:00", travel)
    # 23, 24, 28, 29, 30, Oct 8, 9, Sat 10 (调休), 12-16, 19-23, 26, 27.
    assert request.due_on == d("2026-10-27")
    travel("2026-09-24 11:00")
    act(request, "consult", officer, reason="涉及济源市某建设公司的商业秘密，书面征求其意见")
    assert request.state == State.CONSULTING and request.third_party_due_on == d("2026-10-09")
    travel("2026-10-09 15:00")
    act(request, "consulted", officer, reason="第三方不同意公开")
    # Waited Sep 28, 29, 30, Oct 8, 9: five working days, so the deadline moves by five.
    assert request.paused_workdays == 5 and request.due_on == d("2026-11-03")


def test_one_extension_of_at_most_twenty_days_with_a_reason_then_the_answer(czj, travel):
    department, officer = czj
    request = received(department, "2026-09-22 10:00", travel, email="lihua@example.com")
    travel("2026-10-26 10:00")
    with pytest.raises(TransitionError, match="延期理由"):
        act(request, "extend", officer, days=10)
    with pytest.raises(TransitionError, match="1至20个工作日"):
        act(request, "extend", officer, days=21, reason="需要调取档案")
    act(request, "extend", officer, days=20, reason="需要调取2019年以前的档案，经负责人同意延期")
    # Oct 27 + 20 working days: Oct 28-30, Nov 2-6, 9-13, 16-20, 23, 24.
    assert (request.extension_days, request.due_on) == (20, d("2026-11-24"))
    with pytest.raises(TransitionError, match="不能再执行“延长答复期限”"):
        act(request, "extend", officer, days=1, reason="再延一天")

    with pytest.raises(TransitionError, match="决定文书"):
        act(request, "reply", officer, reply_kind="disclosed")
    with pytest.raises(TransitionError, match="答复类型"):
        act(request, "reply", officer, reply_kind="granted", attachment=reply_document())
    with pytest.raises(TransitionError, match="具体理由"):
        act(request, "reply", officer, reply_kind="withheld", attachment=reply_document())
    with pytest.raises(TransitionError, match="未要求补正"):
        act(
            request,
            "reply",
            officer,
            reply_kind="unavailable",
            reply_reason="still_unclear",
            attachment=reply_document(),
        )

    travel("2026-11-20 16:00")
    act(
        request,
        "reply",
        officer,
        reply_kind="partly",
        reply_reason="state_secret",
        attachment=reply_document(),
    )
    request.refresh_from_db()
    assert request.state == State.ANSWERED and request.on_time is True
    assert (request.reply_kind, request.reply_reason) == ("partly", "")  # 部分公开 has no sub-reason
    # The 20 working days to Oct 27, then 18 of the extension's (Oct 28 .. Nov 20).
    assert request.workdays_used == 38
    reply = request.events.get(action="reply")
    assert reply.attachment_name == "答复书.pdf" and reply.attachment.read() == PDF
    # The applicant was told of the extension and of the reply, by email through the outbox.
    subjects = list(Notification.objects.filter(to="lihua@example.com").values_list("subject", flat=True))
    assert any("延长答复期限" in s for s in subjects) and any("答复" in s for s in subjects)


def test_no_extension_once_the_deadline_has_passed(czj, travel):
    department, officer = czj
    request = received(department, "2026-09-22 10:00", travel)
    travel("2026-10-28 09:00")  # the day after the deadline
    with pytest.raises(TransitionError, match="不能再延长"):
        act(request, "extend", officer, days=5, reason="来不及了")
    assert DisclosureRequest.objects.get(pk=request.pk).extension_days == 0


def test_a_late_answer_is_recorded_as_late(czj, travel):
    department, officer = czj
    request = received(department, "2026-09-22 10:00", travel)
    travel("2026-10-29 10:00")
    act(
        request,
        "reply",
        officer,
        reply_kind="unavailable",
        reply_reason="not_held",
        attachment=reply_document(),
    )
    assert request.on_time is False and request.reply_reason == "not_held"


def test_an_administrators_calendar_override_moves_the_deadline(
    czj, travel, django_capture_on_commit_callbacks
):
    department, officer = czj
    request = received(department, "2026-12-01 10:00", travel)
    # Dec 2-4, 7-11, 14-18, 21-25, 28, 29.
    assert request.due_on == d("2026-12-29")
    with django_capture_on_commit_callbacks(execute=True):
        CalendarOverride.objects.create(date=d("2026-12-28"), is_workday=False, note="临时放假（测试）")
    request.refresh_from_db()
    assert request.due_on == d("2026-12-30")  # the open request's deadline follows the correction
    with django_capture_on_commit_callbacks(execute=True):
        CalendarOverride.objects.create(date=d("2026-12-05"), is_workday=True, note="周六调休上班（测试）")
    request.refresh_from_db()
    assert request.due_on == d("2026-12-29")
    fresh = received(department, "2026-12-01 11:00", travel, applicant_name="王芳")
    assert fresh.due_on == d("2026-12-29")


def test_the_applicant_withdraws_and_nothing_more_can_happen(czj, travel):
    department, officer = czj
    request = received(department, "2026-09-22 10:00", travel)
    with pytest.raises(TransitionError):
        perform(request, "withdraw", by=OFFICER, user=officer)  # only the applicant withdraws
    travel("2026-09-23 10:00")
    perform(request, "withdraw", by=APPLICANT, reason="已通过其他途径获得")
    assert request.state == State.WITHDRAWN and request.closed_at is not None
    with pytest.raises(TransitionError, match="已撤回"):
        act(request, "reply", officer, reply_kind="disclosed", attachment=reply_document())
