"""The clock (working days, stopped while waiting, extended, closed) and the workflow's transitions: refusals
with a Chinese message, one history entry per step, one email per public step, and one winner when two
officers act on the same case at once.

Dates are counted by hand on the 2026 calendar (see tests/test_casework_workdays.py): Spring Festival off
2026-02-15..23, make-up Saturdays 2026-02-14 and 2026-02-28."""

import datetime
import threading

import pytest
from django.db import connection
from django.utils import timezone

from cms.applications.models import Application
from cms.casework import clock
from cms.casework.models import CalendarOverride, Notification
from cms.casework.workflow import APPLICANT, OFFICER, TransitionError, perform
from tests.casework_builders import make_guide, make_officer, make_request, make_service_tree

pytestmark = pytest.mark.anydb


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
def czj(portal):
    _, folders = make_service_tree(portal)
    guide = make_guide(folders["czj"], statutory_days=20, promised_days=20)
    return guide, make_officer(portal.departments["czj"])


def new_application(guide, **fields):
    from tests.casework_builders import make_application

    application, _ = make_application(guide, **fields)
    return application


def test_the_clock_through_acceptance_supplement_and_completion(czj, travel):
    guide, officer = czj
    travel("2026-02-12 10:00")  # Thursday before the Spring Festival
    app = new_application(guide)
    # Five working days to accept: 13, Sat 14 (调休), 24, 25, 26.
    assert (app.received_on, app.due_on) == (d("2026-02-12"), d("2026-02-26"))

    travel("2026-02-13 09:30")
    perform(app, "accept", by=OFFICER, user=officer)
    # The promised 20 days from acceptance: 14, 24-28, Mar 2-6, 9-13, 16-19.
    assert (app.state, app.received_on, app.due_on) == ("accepted", d("2026-02-13"), d("2026-03-19"))
    assert app.days_left(d("2026-02-13")) == 20

    travel("2026-02-25 15:00")
    perform(app, "request_supplement", by=OFFICER, user=officer, reason="请补充经营场所使用证明")
    assert app.clock_stopped_on == d("2026-02-25") and app.due_on == d("2026-03-19")
    assert app.days_left() is None  # no countdown while the applicant has the case

    travel("2026-03-04 11:00")
    perform(app, "supply", by=APPLICANT)
    # Waited Feb 26, 27, Sat 28 (调休), Mar 2, 3, 4: six working days, so the deadline moves by six.
    assert app.state == "accepted" and app.clock_stopped_on is None
    assert app.paused_workdays == 6
    assert app.due_on == d("2026-03-27")

    travel("2026-03-10 16:00")
    perform(app, "approve", by=OFFICER, user=officer)
    travel("2026-03-11 09:00")
    perform(app, "complete", by=OFFICER, user=officer)
    app.refresh_from_db()
    # Worked Feb 14, 24, 25 and Mar 5, 6, 9, 10, 11: 14 working days since acceptance less the 6 waited.
    assert app.state == "completed" and app.closed_at == timezone.now()
    assert (app.workdays_used, app.on_time) == (8, True)
    assert app.days_left() is None


def test_closing_after_the_deadline_is_late(czj, travel):
    guide, officer = czj
    guide.promised_days = 3
    travel("2026-02-12 10:00")
    app = new_application(guide)
    travel("2026-02-13 10:00")
    perform(app, "accept", by=OFFICER, user=officer)
    assert app.due_on == d("2026-02-25")  # Sat 14, 24, 25
    travel("2026-02-25 17:30")
    perform(app, "approve", by=OFFICER, user=officer)
    travel("2026-03-02 09:00")
    perform(app, "complete", by=OFFICER, user=officer)
    assert (app.workdays_used, app.on_time) == (7, False)  # 14, 24-28, Mar 2
    assert app.days_left() is None


def test_closing_on_the_deadline_is_on_time_and_days_left_counts_down(czj, travel):
    guide, officer = czj
    travel("2026-09-24 10:00")
    app = new_application(guide)
    perform(app, "accept", by=OFFICER, user=officer)
    assert app.due_on == d("2026-10-29")  # across Mid-Autumn and National Day
    assert app.days_left(d("2026-09-30")) == 17
    assert app.days_left(d("2026-10-29")) == 0
    assert app.days_left(d("2026-11-02")) == -2  # Oct 30, Nov 2
    # Past a deadline that fell just before a holiday: overdue during the holiday, never "due today".
    due = app.due_on
    app.due_on = d("2026-09-30")
    assert app.days_left(d("2026-10-03")) == -1
    app.due_on = due
    perform(app, "approve", by=OFFICER, user=officer)
    travel("2026-10-29 17:59")
    perform(app, "complete", by=OFFICER, user=officer)
    assert (app.workdays_used, app.on_time) == (20, True)


def test_withdrawing_while_the_clock_is_stopped_leaves_the_wait_out(czj, travel):
    guide, officer = czj
    travel("2026-03-02 10:00")
    app = new_application(guide)
    perform(app, "accept", by=OFFICER, user=officer)
    travel("2026-03-04 10:00")
    perform(app, "request_supplement", by=OFFICER, user=officer, reason="缺少身份证明")
    travel("2026-03-09 10:00")
    perform(app, "withdraw", by=APPLICANT)
    # Used Mar 3 and 4; waited Mar 5, 6 and 9.
    assert (app.state, app.paused_workdays, app.workdays_used) == ("withdrawn", 3, 2)
    assert app.clock_stopped_on is None and app.on_time is True


def test_an_extension_moves_the_deadline_by_its_working_days(portal, travel):
    travel("2026-09-24 10:00")
    request, _ = make_request(portal.departments["czj"])
    officer = make_officer(portal.departments["czj"])
    assert request.due_on == d("2026-10-29")
    perform(request, "extend", by=OFFICER, user=officer, reason="需要调阅档案", days=20)
    # Oct 30 (21), Nov 2-6, 9-13, 16-20, 23-26 (40).
    assert (request.extension_days, request.due_on) == (20, d("2026-11-26"))
    assert request.extension_reason == "需要调阅档案"
    with pytest.raises(TransitionError) as refused:
        perform(request, "extend", by=OFFICER, user=officer, reason="再次延期", days=5)
    assert refused.value.code == "not_allowed" and "延长答复期限" in refused.value.message
    request.refresh_from_db()
    assert request.due_on == d("2026-11-26")


def test_clock_functions_on_their_own(db):
    case = Application(allowed_days=0)
    clock.start(case, d("2026-02-12"), 20)
    assert case.due_on == d("2026-03-18")
    clock.stop(case, d("2026-02-13"))
    clock.stop(case, d("2026-02-26"))  # a second stop keeps the first day
    clock.resume(case, d("2026-02-27"))  # waited Sat 14, 24, 25, 26, 27
    assert (case.paused_workdays, case.due_on) == (5, d("2026-03-25"))
    clock.resume(case, d("2026-03-02"))  # not stopped: nothing changes
    assert case.paused_workdays == 5
    clock.extend(case, 3, "复杂")
    assert case.due_on == d("2026-03-30")
    clock.close(case, timezone.make_aware(datetime.datetime(2026, 3, 30, 18, 0)))
    assert case.on_time is True and case.workdays_used == 23  # 28 working days less 5


def test_a_calendar_correction_moves_open_deadlines_and_leaves_closed_ones(
    czj, travel, django_capture_on_commit_callbacks
):
    guide, officer = czj
    travel("2026-02-12 10:00")
    open_app = new_application(guide)
    closed_app = new_application(guide, submission_key="second")
    for app in (open_app, closed_app):
        perform(app, "accept", by=OFFICER, user=officer)
    perform(closed_app, "withdraw", by=APPLICANT)
    assert open_app.due_on == closed_app.due_on == d("2026-03-18")
    with django_capture_on_commit_callbacks(execute=True):
        CalendarOverride.objects.create(date=d("2026-03-10"), is_workday=False, note="临时放假")
    open_app.refresh_from_db()
    closed_app.refresh_from_db()
    assert open_app.due_on == d("2026-03-19")
    assert closed_app.due_on == d("2026-03-18")  # closed: its record stays as it was
    with django_capture_on_commit_callbacks(execute=True):
        CalendarOverride.objects.get(date=d("2026-03-10")).delete()
    open_app.refresh_from_db()
    assert open_app.due_on == d("2026-03-18")


# --- the workflow's rules --------------------------------------------------------------------------


def refused(app, action, **kwargs):
    with pytest.raises(TransitionError) as error:
        perform(app, action, **kwargs)
    return error.value


def test_refusals_explain_themselves_in_chinese_and_change_nothing(czj):
    guide, officer = czj
    app = new_application(guide)
    before = (app.state, app.events.count(), Notification.objects.count())

    error = refused(app, "approve", by=OFFICER, user=officer)
    assert error.code == "state"
    assert error.message == "办件当前状态为“已提交，待受理”，不能执行“准予许可”"

    error = refused(app, "refuse", by=OFFICER, user=officer, reason="   ")
    assert (error.code, error.message) == ("reason", "请填写理由/说明")
    error = refused(app, "request_supplement", by=OFFICER, user=officer)
    assert error.message == "请填写需补正的材料及说明"

    error = refused(app, "accept", by=APPLICANT)
    assert (error.code, error.message) == ("forbidden", "此操作只能由承办人员执行")
    error = refused(app, "withdraw", by=OFFICER, user=officer)
    assert error.message == "此操作只能由申请人本人执行"

    assert refused(app, "delete_everything", by=OFFICER, user=officer).message == "未知的操作"
    app.refresh_from_db()
    assert (app.state, app.events.count(), Notification.objects.count()) == before


def test_every_transition_writes_one_history_entry_and_public_ones_one_email(czj, travel):
    guide, officer = czj
    travel("2026-03-02 09:00")
    app = new_application(guide)
    perform(app, "assign", by=OFFICER, user=officer, assignee=officer)
    moment = travel("2026-03-02 10:15")
    event = perform(app, "request_supplement", by=OFFICER, user=officer, reason="  身份证明不清晰  ")
    travel("2026-03-03 08:00")
    perform(app, "supply", by=APPLICANT)
    perform(app, "accept", by=OFFICER, user=officer)

    history = list(
        app.events.values_list("action", "from_state", "to_state", "actor_id", "actor_name", "reason")
    )
    assert history == [
        ("assign", "submitted", "submitted", officer.pk, "承办员", ""),
        ("request_supplement", "submitted", "supplement_requested", officer.pk, "承办员", "身份证明不清晰"),
        ("supply", "supplement_requested", "submitted", None, "申请人", ""),
        ("accept", "submitted", "accepted", officer.pk, "承办员", ""),
    ]
    assert event.at == moment and event.public
    assert app.assignee == officer
    assert not app.events.get(action="assign").public
    # Internal steps (assignment) are not emailed; the three public ones are, to the applicant.
    notices = Notification.objects.order_by("pk")
    assert [n.to for n in notices] == ["applicant@example.com"] * 3
    assert [n.case_label for n in notices] == [app.tracking_number] * 3


def test_no_email_without_an_address(czj):
    guide, officer = czj
    app = new_application(guide, email="")
    perform(app, "accept", by=OFFICER, user=officer)
    assert app.events.count() == 1 and not Notification.objects.exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_officers_accepting_at_once_one_wins(portal):
    _, folders = make_service_tree(portal)
    guide = make_guide(folders["czj"])
    first = make_officer(portal.departments["czj"])
    second = make_officer(portal.departments["czj"], username="czj_officer_2")
    app = new_application(guide)
    barrier = threading.Barrier(2)
    outcomes = []

    def accept(user):
        try:
            mine = Application.objects.get(pk=app.pk)  # each officer's own page
            barrier.wait()
            perform(mine, "accept", by=OFFICER, user=user)
            outcomes.append("accepted")
        except TransitionError as error:
            outcomes.append(error.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=accept, args=(user,)) for user in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["accepted", "state"]
    app.refresh_from_db()
    assert app.state == "accepted"
    assert app.events.filter(action="accept").count() == 1
    assert Notification.objects.filter(case_label=app.tracking_number).count() == 1


def test_status_shows_open_and_overdue_cases_per_department_and_the_calendars_coverage(
    czj, portal, travel, capsys
):
    from django.core.management import call_command

    guide, officer = czj
    travel("2026-02-12 10:00")
    late, on_track, waiting = (new_application(guide, submission_key=k) for k in ("a", "b", "c"))
    perform(late, "accept", by=OFFICER, user=officer)  # due 2026-03-18
    perform(waiting, "request_supplement", by=OFFICER, user=officer, reason="缺少材料")
    travel("2026-03-12 09:00")
    perform(on_track, "accept", by=OFFICER, user=officer)  # due in April
    make_request(portal.departments["fgw"])
    travel("2026-03-19 09:00")
    call_command("casework", "status")
    out = capsys.readouterr().out
    assert "办件（在办 / 已超期 / 暂停计时）" in out
    assert "  济源市财政局：3 / 1 / 1" in out
    assert "政府信息公开申请（在办 / 已超期 / 暂停计时）" in out
    assert "  济源市发展和改革委员会：1 / 0 / 0" in out
    assert "2026 年：已收录" in out
    assert "2027 年：未收录，只按周末计算" in out
