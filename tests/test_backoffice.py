"""The back office in the Wagtail admin (办件管理): an officer's full path on an application and a disclosure
request, through the admin's own pages and forms; what other departments, supervisors and site
administrators may see and do."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cms.applications.models import Application, ApplicationFile
from cms.casework.models import Notification
from cms.casework.storage import private_storage
from cms.casework.workflow import APPLICANT, perform
from cms.disclosure_requests.models import DisclosureRequest
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
    make_request,
    make_service_tree,
)
from tests.test_editors import is_denied

pytestmark = pytest.mark.anydb

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
MASKED_ID = VALID_RESIDENT_ID[:4] + "*" * 10 + VALID_RESIDENT_ID[-4:]


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


def user_in(username, *groups, **fields):
    user = get_user_model().objects.create_user(username=username, password="pw-1-backoffice", **fields)
    user.groups.add(*Group.objects.filter(name__in=groups))
    return user


@pytest.fixture
def office(portal):
    """Guides of 市财政局 and 市发展改革委, an officer of each, a second 财政 officer, a supervisor, a site
    administrator and a superuser."""
    _, folders = make_service_tree(portal)
    ensure_site_admin_group()
    ensure_supervisor_group()
    czj, fgw = portal.departments["czj"], portal.departments["fgw"]
    people = {
        "czj": make_officer(czj, "czj_officer"),
        "czj2": make_officer(czj, "czj_officer2"),
        "fgw": make_officer(fgw, "fgw_officer"),
        "supervisor": user_in("jiancha", SUPERVISOR_GROUP),
        "site_admin": user_in("site_admin", SITE_ADMIN_GROUP),
        "root": get_user_model().objects.create_superuser("root", "root@jiyuan.gov.cn", "pw-root-1"),
    }
    people["czj"].first_name = "张敏"
    people["czj"].save()
    return {
        "guides": {
            "czj": make_guide(folders["czj"], title="政府采购代理机构名录登记", item_code="CZJ-001"),
            "fgw": make_guide(folders["fgw"], title="企业投资项目备案", item_code="FGW-001"),
        },
        "people": people,
        "departments": portal.departments,
    }


def url(case, name="case", *args):
    namespace = "casework_applications" if isinstance(case, Application) else "casework_requests"
    return reverse(f"{namespace}:{name}", args=[case.pk, *args])


def act(client, case, action, **data):
    files = {key: value for key, value in data.items() if hasattr(value, "read")}
    fields = {f"{action}-{key}": value for key, value in data.items() if key not in files}
    fields.update({f"{action}-{key}": value for key, value in files.items()})
    return client.post(url(case, "act", action), fields)


def history(case):
    return list(case.events.order_by("at", "pk").values_list("action", flat=True))


def notices(case):
    return Notification.objects.filter(case_label=case.tracking_number).count()


def decision(name="准予许可决定书.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


# --- the officer's path on an application -----------------------------------------------------------


def test_an_officer_takes_an_application_from_submission_to_completion(office, client, travel):
    officer = office["people"]["czj"]
    travel("2026-11-02 09:00")
    app, _ = make_application(
        office["guides"]["czj"],
        form_data=[{"name": "place", "label": "经营场所", "value": "<b>济水大街1号</b>"}],
    )
    stored = private_storage.save("applications/test/id.pdf", SimpleUploadedFile("x", PDF))
    material = ApplicationFile.objects.create(
        application=app,
        material_name="经营者身份证明",
        file=stored,
        original_name="身份证.pdf",
        file_type="pdf",
        size=len(PDF),
        sha256="0" * 64,
    )
    client.force_login(officer)

    queue = client.get(reverse("casework_applications:index"))
    assert queue.status_code == 200
    assert app.tracking_number in queue.content.decode()
    page = client.get(url(app)).content.decode()
    assert VALID_RESIDENT_ID in page  # the handling department sees the full ID number
    assert "&lt;b&gt;济水大街1号&lt;/b&gt;" in page and "<b>济水大街1号" not in page
    download = client.get(url(app, "file", material.pk))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert "attachment" in download["Content-Disposition"]

    assert act(client, app, "assign", assignee=officer.pk).status_code == 302
    app.refresh_from_db()
    assert app.assignee == officer and notices(app) == 0  # internal: the applicant is not emailed

    travel("2026-11-03 10:00")
    assert act(client, app, "accept").status_code == 302
    app.refresh_from_db()
    assert app.state == "accepted" and app.received_on == d("2026-11-03") and notices(app) == 1

    missing_reason = act(client, app, "request_supplement", reason="")
    assert missing_reason.status_code == 400
    assert (
        "请修改以下问题" in missing_reason.content.decode()
        and "请填写需补正的材料及说明" in missing_reason.content.decode()
    )
    travel("2026-11-04 10:00")
    act(client, app, "request_supplement", reason="请补充经营场所使用证明")
    app.refresh_from_db()
    assert app.state == "supplement_requested" and app.clock_stopped_on == d("2026-11-04")

    travel("2026-11-09 15:00")
    perform(app, "supply", by=APPLICANT)
    app.refresh_from_db()
    assert app.state == "accepted" and app.paused_workdays == 3  # Nov 5, 6 and 9

    act(client, app, "start_review")
    renamed = act(client, app, "approve", attachment=decision("决定书.pdf", b"\x89PNG\r\n\x1a\n" + b"0" * 64))
    assert renamed.status_code == 400 and "决定书.pdf" in renamed.content.decode()
    app.refresh_from_db()
    assert app.state == "under_review"
    assert act(client, app, "approve", reason="符合条件", attachment=decision()).status_code == 302
    app.refresh_from_db()
    assert app.state == "approved"
    approval = app.events.get(action="approve")
    assert approval.attachment_name == "准予许可决定书.pdf" and approval.actor == officer
    assert "准予许可" not in approval.attachment.name  # stored under a name of our own
    assert approval.actor_name == "张敏"
    document = client.get(url(app, "attachment", approval.pk))
    assert document.status_code == 200 and b"".join(document.streaming_content) == PDF

    travel("2026-11-10 11:00")
    act(client, app, "complete")
    app.refresh_from_db()
    assert app.state == "completed" and app.on_time is True and app.workdays_used == 2

    assert history(app) == [
        "assign",
        "accept",
        "request_supplement",
        "supply",
        "start_review",
        "approve",
        "complete",
    ]
    assert notices(app) == 6  # every public step, the applicant's own supplement included
    page = client.get(url(app)).content.decode()
    for text in ("请补充经营场所使用证明", "准予许可决定书.pdf", "待补正", "已办结", "待发送"):
        assert text in page, text
    assert "没有可执行的操作" in page


def test_actions_not_available_now_are_refused_and_a_double_click_acts_once(office, client):
    officer = office["people"]["czj"]
    app, _ = make_application(office["guides"]["czj"])
    client.force_login(officer)
    response = act(client, app, "complete")
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.state == "submitted" and not app.events.exists()
    assert "不能执行此操作" in client.get(response.url).content.decode()
    assert client.get(url(app, "act", "accept")).status_code == 405  # POST only
    # Someone else's officer is not offered for assignment.
    stranger = office["people"]["fgw"]
    assert act(client, app, "assign", assignee=stranger.pk).status_code == 400
    app.refresh_from_db()
    assert app.assignee is None
    # Without the CSRF token a forged form is refused.
    forged = Client(enforce_csrf_checks=True)
    forged.force_login(officer)
    assert forged.post(url(app, "act", "accept")).status_code == 403
    assert not app.events.exists()
    # A double click: the second "accept" finds the case accepted and does nothing.
    act(client, app, "accept")
    act(client, app, "accept")
    assert history(app) == ["accept"] and notices(app) == 1


# --- who sees what -----------------------------------------------------------------------------------


@pytest.fixture
def cases(office):
    app, _ = make_application(office["guides"]["czj"])
    request, _ = make_request(office["departments"]["czj"])
    other, _ = make_application(office["guides"]["fgw"], submission_key="fgw-1", applicant_name="赵强")
    perform(
        request,
        "reply",
        user=office["people"]["czj"],
        reply_kind="disclosed",
        attachment=decision("答复书.pdf"),
    )
    return {
        "application": app,
        "request": request,
        "other": other,
        "reply": request.events.get(action="reply"),
    }


def test_an_officer_of_another_department_and_an_editor_see_none_of_it(office, cases, client):
    client.force_login(office["people"]["fgw"])
    queue = client.get(reverse("casework_applications:index")).content.decode()
    assert cases["other"].tracking_number in queue and cases["application"].tracking_number not in queue
    requests = client.get(reverse("casework_requests:index")).content.decode()
    assert cases["request"].tracking_number not in requests
    export = b"".join(client.get(reverse("casework_applications:export")).streaming_content).decode()
    assert cases["application"].tracking_number not in export
    found = client.get(reverse("casework_applications:index"), {"q": cases["application"].tracking_number})
    assert url(cases["application"]) not in found.content.decode()
    for address in (
        url(cases["application"]),
        url(cases["request"]),
        url(cases["request"], "attachment", cases["reply"].pk),
    ):
        assert client.get(address).status_code == 404, address
    assert act(client, cases["application"], "accept").status_code == 404
    cases["application"].refresh_from_db()
    assert cases["application"].state == "submitted"

    # An editor of the same department has no casework at all: no menu, no queue, no case, no dashboard.
    client.force_login(user_in("czj_editor", "市财政局编辑"))
    queue = reverse("casework_applications:index")
    assert queue not in client.get(reverse("wagtailadmin_home")).content.decode()
    for address in (queue, url(cases["application"]), reverse("casework_dashboard:index")):
        assert is_denied(client.get(address)), address
    client.force_login(office["people"]["czj"])
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert queue in home and reverse("casework_dashboard:index") in home
    client.logout()
    assert client.get(queue).status_code == 302  # to the login page


def test_supervisors_and_administrators_see_every_department_masked_and_cannot_act(office, cases, client):
    client.force_login(office["people"]["supervisor"])
    queue = client.get(reverse("casework_applications:index")).content.decode()
    assert cases["application"].tracking_number in queue and cases["other"].tracking_number in queue
    assert "王*" in queue and "王小明" not in queue and MASKED_ID in queue
    filtered = client.get(
        reverse("casework_applications:index"), {"department": office["departments"]["fgw"].pk}
    )
    assert cases["application"].tracking_number not in filtered.content.decode()

    page = client.get(url(cases["application"])).content.decode()
    assert MASKED_ID in page and VALID_RESIDENT_ID not in page and "13903910001" not in page
    assert 'name="accept-reason"' not in page and "只有济源市财政局承办组的人员可以办理" in page
    assert is_denied(act(client, cases["application"], "accept"))
    assert is_denied(client.get(url(cases["request"], "attachment", cases["reply"].pk)))
    assert client.get(reverse("casework_dashboard:index")).status_code == 200
    # Site administrators and superusers also see everything, masked, and cannot act: acting and the
    # full ID number belong to the handling department's officers.
    for who in ("site_admin", "root"):
        client.force_login(office["people"][who])
        page = client.get(url(cases["application"])).content.decode()
        assert MASKED_ID in page and VALID_RESIDENT_ID not in page, who
        assert is_denied(act(client, cases["application"], "accept")), who
    cases["application"].refresh_from_db()
    assert cases["application"].state == "submitted" and not cases["application"].events.exists()


def test_queue_filters_by_state_deadline_assignee_and_tracking_number(office, client, travel):
    officer = office["people"]["czj"]
    guide = office["guides"]["czj"]
    travel("2026-11-02 09:00")
    late, _ = make_application(guide, submission_key="late")
    travel("2026-11-20 09:00")
    fresh, _ = make_application(guide, submission_key="fresh")
    mine, _ = make_application(guide, submission_key="mine")
    perform(mine, "assign", user=officer, assignee=officer)
    travel("2026-11-24 09:00")
    client.force_login(officer)
    index = reverse("casework_applications:index")

    def listed(**params):
        html = client.get(index, params).content.decode()
        return {case for case in (late, fresh, mine) if f'href="{url(case)}"' in html}

    assert listed() == {late, fresh, mine}
    assert listed(deadline="overdue") == {late}  # due Nov 9
    assert listed(deadline="due_soon") == {fresh, mine}  # due Nov 27: three working days left
    assert listed(assignee="me") == {mine}
    assert listed(assignee="none") == {late, fresh}
    assert listed(state="accepted") == set()
    assert listed(q=fresh.tracking_number) == {fresh}
    assert listed(q=fresh.tracking_number[2:].lower()) == {fresh}
    html = client.get(index).content.decode()
    assert "已超期 11 个工作日" in html and "剩 3 个工作日" in html
    assert html.index(late.tracking_number) < html.index(fresh.tracking_number)  # the most urgent first
    results = client.get(reverse("casework_applications:index_results"), {"deadline": "overdue"})
    assert results.status_code == 200 and late.tracking_number in results.content.decode()


# --- a disclosure request -------------------------------------------------------------------------


def test_a_disclosure_request_is_extended_once_and_answered_with_a_document(office, client, travel):
    officer = office["people"]["czj"]
    travel("2026-09-24 10:00")
    request, _ = make_request(office["departments"]["czj"])
    assert request.due_on == d("2026-10-29")
    client.force_login(officer)

    too_long = act(client, request, "extend", reason="需要调阅档案", days=21)
    assert too_long.status_code == 400 and "延长的期限应为1至20个工作日" in too_long.content.decode()
    act(client, request, "extend", reason="需要调阅档案", days=20)
    request.refresh_from_db()
    assert (request.extension_days, request.due_on) == (20, d("2026-11-26"))
    page = client.get(url(request)).content.decode()
    assert 'name="extend-days"' not in page  # only once
    again = act(client, request, "extend", reason="再次延期", days=5)
    assert again.status_code == 302
    request.refresh_from_db()
    assert request.extension_days == 20

    travel("2026-11-20 10:00")
    client.force_login(officer)  # the session of September has expired
    no_reason = act(client, request, "reply", reply_kind="withheld", attachment=decision("答复书.pdf"))
    assert no_reason.status_code == 400 and "请选择“不予公开”的具体理由" in no_reason.content.decode()
    no_document = act(client, request, "reply", reply_kind="disclosed")
    assert no_document.status_code == 400
    act(
        client,
        request,
        "reply",
        reply_kind="withheld",
        reply_reason="third_party",
        reason="涉及第三方商业秘密",
        attachment=decision("政府信息公开申请答复书.pdf"),
    )
    request.refresh_from_db()
    assert (request.state, request.reply_kind, request.reply_reason) == (
        "answered",
        "withheld",
        "third_party",
    )
    assert request.on_time is True
    assert history(request) == ["extend", "reply"] and notices(request) == 2
    reply = request.events.get(action="reply")
    assert client.get(url(request, "attachment", reply.pk)).status_code == 200

    # Another request: a supplement with the period the officer chose.
    travel("2026-11-02 10:00")
    client.force_login(officer)
    other, _ = make_request(office["departments"]["czj"], submission_key="second")
    act(client, other, "request_supplement", reason="请明确所需信息的年份", supply_days=10)
    other.refresh_from_db()
    assert other.state == "supplement_requested" and other.supplement_due_on == d("2026-11-16")
    assert DisclosureRequest.objects.get(pk=other.pk).clock_stopped
