"""依申请公开 as the public uses it: the explanation and the form at /xxgk/ysqgk/, the receipt with its
tracking number, query code and deadline, the email receipt in the outbox, and tracking at
/xxgk/ysqgk/track/ (state, reasons, deadline, supplement, withdrawal, the reply document)."""

import datetime
import re

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone

from cms.casework.models import Notification
from cms.casework.workflow import OFFICER, perform
from cms.core.models import Department
from cms.disclosure_requests.models import DisclosureRequest, State
from tests.builders import DEPARTMENTS
from tests.casework_builders import VALID_RESIDENT_ID, VALID_USCC, make_officer, make_request

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
FORM_URL = "/xxgk/ysqgk/"
TRACK_URL = "/xxgk/ysqgk/track/"


def make_departments():
    """The departments of ``tests.builders`` without the page tree: these pages are not Wagtail pages."""
    return {
        slug: Department.objects.create(
            slug=slug, name=name, short_name=short, org_code=org, sort_order=order
        )
        for order, (slug, name, short, org) in enumerate(DEPARTMENTS)
    }


@pytest.fixture
def departments(db):
    return make_departments()


def html_of(response):
    return response.content.decode()


def form_key(client, url=FORM_URL):
    return re.search(r'name="submission_key" value="([^"]+)"', html_of(client.get(url))).group(1)


def person(departments, **overrides):
    data = {
        "applicant_kind": "person",
        "name": "李华",
        "id_type": "resident_id",
        "id_number": VALID_RESIDENT_ID,
        "phone": "13903910002",
        "email": "lihua@example.com",
        "address": "济源市济水大街1号",
        "postcode": "459000",
        "department": departments["czj"].pk,
        "description": "2025年济源市城区道路改造项目的预算批复文件",
        "document_hint": "济财预〔2025〕12号",
        "delivery_form": "electronic",
        "delivery_method": "email",
        "consent": "on",
    }
    data.update(overrides)
    return data


def submit(client, data):
    return client.post(FORM_URL, {**data, "submission_key": form_key(client)})


def receipt_code(response):
    return re.search(r'class="ysq-code">([^<]+)<', html_of(response)).group(1)


def track(client, number, code):
    return client.post(TRACK_URL, {"tracking_number": number, "query_code": code})


def test_the_page_explains_the_procedure_and_offers_the_form(departments, client):
    response = client.get(FORM_URL + "?department=fgw")
    assert response.status_code == 200
    html = html_of(response)
    for words in (
        "20个工作日",
        "最长延期20个工作日",
        "不收取费用",
        "7个工作日内一次性告知",
        "15日内提出意见",
    ):
        assert words in html, words
    # The national template's parts, each field labelled, with autocomplete where the browser can help.
    for label in (
        "申请人类型",
        "自然人",
        "商业企业",
        "法律服务机构",
        "证件号码",
        "统一社会信用代码",
        "法定代表人或负责人",
    ):
        assert label in html, label
    for label in (
        "联系电话",
        "通信地址",
        "邮政编码",
        "所需政府信息的内容描述",
        "获取信息的载体形式",
        "获取信息的方式",
    ):
        assert label in html, label
    assert 'autocomplete="tel"' in html and 'autocomplete="postal-code"' in html
    assert 'aria-describedby="id_id_number_help"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    fgw = departments["fgw"]
    assert f'<option value="{fgw.pk}" selected>{fgw.name}</option>' in html  # ?department= preselects


@pytest.mark.anydb
def test_a_citizen_submits_and_gets_a_receipt_a_deadline_and_an_email(departments, client):
    response = submit(client, person(departments))
    assert response.status_code == 302
    request = DisclosureRequest.objects.get()
    assert response["Location"] == f"/xxgk/ysqgk/receipt/{request.tracking_number}/"
    receipt = client.get(response["Location"])
    html = html_of(receipt)
    code = receipt_code(receipt)
    assert request.tracking_number in html and request.query_code_matches(code)
    assert request.due_on is not None and request.due_on.strftime("%Y年%-m月%-d日") in html
    assert "请立即抄写、打印或截图保存" in html

    assert request.tracking_number.startswith("YS") and request.state == State.SUBMITTED
    assert (request.applicant_kind, request.applicant_name, request.id_number) == (
        "person",
        "李华",
        VALID_RESIDENT_ID,
    )
    assert (request.delivery_form, request.delivery_method, request.postcode) == (
        "electronic",
        "email",
        "459000",
    )
    assert request.received_on == timezone.localdate() and request.allowed_days == 20
    assert list(request.events.values_list("action", "to_state")) == [("submit", "submitted")]
    # The email receipt waits in the outbox; it names the request and the deadline but not the code.
    notice = Notification.objects.get(to="lihua@example.com")
    assert request.tracking_number in notice.subject and request.tracking_number in notice.body
    assert code not in notice.body and "/xxgk/ysqgk/track/" in notice.body

    # Another browser gets no receipt.
    assert Client().get(response["Location"]).status_code == 404


@pytest.mark.anydb
def test_an_organisation_submits_with_a_valid_credit_code(departments, client):
    data = person(
        departments,
        applicant_kind="legal",
        name="不应保存",
        id_number="",
        organisation_name="河南济源某律师事务所",
        uscc=VALID_USCC.lower(),
        legal_representative="张律师",
        contact_name="王助理",
        phone="0391-6633001",
        email="",
        delivery_form="paper",
        delivery_method="post",
    )
    assert submit(client, data).status_code == 302
    request = DisclosureRequest.objects.get()
    assert (request.applicant_kind, request.applicant_name, request.uscc) == (
        "legal",
        "河南济源某律师事务所",
        VALID_USCC,
    )
    assert (request.legal_representative, request.contact_name, request.phone) == (
        "张律师",
        "王助理",
        "0391-6633001",
    )
    assert request.id_number == "" and request.id_type == ""  # the person's fields are dropped
    assert not Notification.objects.exists()  # no email given, none queued


def test_the_rules_of_delivery_and_identity_are_explained(departments, client):
    data = person(
        departments,
        email="",
        postcode="",
        delivery_form="paper",
        delivery_method="email",
        id_type="passport",
        id_number="E1",
    )
    response = submit(client, data)
    html = html_of(response)
    assert response.status_code == 400
    assert "选择以电子邮件获取时，请填写电子邮箱" in html
    assert "纸质文本只能邮寄或当面领取" in html
    assert "护照号码应为5至17位字母或数字" in html
    response = submit(client, person(departments, applicant_kind="company", uscc="91110000600037341X"))
    assert "统一社会信用代码校验位不正确" in html_of(response) and "请填写单位名称" in html_of(response)
    assert not DisclosureRequest.objects.exists()


@pytest.mark.anydb
def test_a_double_click_creates_one_request(departments, client):
    data = {**person(departments), "submission_key": form_key(client)}
    first = client.post(FORM_URL, data)
    second = client.post(FORM_URL, data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert DisclosureRequest.objects.count() == 1 and Notification.objects.count() == 1
    # The same page posted from another browser creates nothing either.
    other = Client()
    other.get(FORM_URL)
    assert other.post(FORM_URL, data).status_code == 409
    assert DisclosureRequest.objects.count() == 1


def test_a_key_kept_across_an_error_still_guards_the_corrected_form(departments, client):
    key = form_key(client)
    response = client.post(FORM_URL, {**person(departments, phone="12345"), "submission_key": key})
    assert response.status_code == 400 and f'value="{key}"' in html_of(response)
    corrected = {**person(departments), "submission_key": key}
    assert client.post(FORM_URL, corrected).status_code == 302
    assert client.post(FORM_URL, corrected).status_code == 302
    assert DisclosureRequest.objects.count() == 1


@pytest.mark.anydb
def test_tracking_shows_state_reasons_and_deadline_but_nothing_personal(departments, client):
    officer = make_officer(departments["czj"])
    submitted = submit(client, person(departments, address="济源市沁园路88号"))
    code = receipt_code(client.get(submitted["Location"]))
    request = DisclosureRequest.objects.get()

    visitor = Client()
    wrong = track(visitor, request.tracking_number, "AAAAAAAA")
    assert wrong.status_code == 400 and "受理编号或查询码不正确" in html_of(wrong)
    unknown = track(visitor, "YS2026010100001", code)
    assert html_of(unknown).count("受理编号或查询码不正确") == html_of(wrong).count("受理编号或查询码不正确")
    # Without a lookup, the status page sends the visitor to the lookup form.
    assert visitor.get(f"{TRACK_URL}{request.tracking_number}/").status_code == 302

    found = track(visitor, request.tracking_number.lower(), code.lower())
    assert found.status_code == 302
    html = html_of(visitor.get(found["Location"]))
    assert request.tracking_number in html and "已收到，办理中" in html
    assert request.due_on.strftime("%Y年%-m月%-d日") in html and "还有" in html
    for personal in ("李华", VALID_RESIDENT_ID, "13903910002", "沁园路", "lihua@example.com", "道路改造"):
        assert personal not in html, personal

    perform(request, "consult", by=OFFICER, user=officer, reason="涉及第三方企业信息，书面征求其意见")
    html = html_of(visitor.get(found["Location"]))
    assert "征求第三方意见" in html and "暂停计算" in html and "涉及第三方企业信息" in html
    assert officer.first_name not in html  # no officers' names either


@pytest.mark.anydb
def test_supplement_extension_and_reply_as_the_applicant_sees_them(departments, client):
    officer = make_officer(departments["czj"])
    submitted = submit(client, person(departments))
    code = receipt_code(client.get(submitted["Location"]))
    request = DisclosureRequest.objects.get()
    status_url = f"{TRACK_URL}{request.tracking_number}/"

    perform(
        request, "request_supplement", by=OFFICER, user=officer, reason="请写明项目名称和年份", supply_days=10
    )
    applicant = Client()
    track(applicant, request.tracking_number, code)
    html = html_of(applicant.get(status_url))
    assert "提交补正" in html and "请写明项目名称和年份" in html and "暂停计算" in html
    assert request.supplement_due_on.strftime("%Y年%-m月%-d日") in html

    empty = applicant.post(status_url + "supplement/", {"text": ""})
    assert empty.status_code == 400 and "请填写补正说明或上传补正材料" in html_of(empty)
    fake = ContentFile(b"MZ\x90\x00 not a pdf at all", name="补正材料.pdf")
    refused = applicant.post(status_url + "supplement/", {"text": "见附件", "file": fake})
    assert refused.status_code == 400 and "补正材料.pdf" in html_of(refused)
    supplied = applicant.post(
        status_url + "supplement/",
        {"text": "2025年城区道路改造项目", "file": ContentFile(PDF, name="补正说明.pdf")},
    )
    assert supplied.status_code == 302
    request.refresh_from_db()
    assert request.state == State.SUBMITTED and request.received_on == timezone.localdate()
    supply = request.events.get(action="supply")
    assert supply.reason == "2025年城区道路改造项目" and supply.attachment.read() == PDF

    perform(request, "extend", by=OFFICER, user=officer, days=15, reason="需要向市住建局调取档案")
    html = html_of(applicant.get(status_url))
    assert "已依法延长答复期限 15 个工作日" in html and "需要向市住建局调取档案" in html
    assert "2025年城区道路改造项目" not in html  # the applicant's own text is not repeated

    perform(
        request,
        "reply",
        by=OFFICER,
        user=officer,
        reason="所申请信息予以公开，详见答复书",
        reply_kind="disclosed",
        attachment=ContentFile(PDF, name="政府信息公开申请答复书.pdf"),
    )
    html = html_of(applicant.get(status_url))
    assert "答复结果" in html and "予以公开" in html and "政府信息公开申请答复书.pdf" in html
    link = re.search(r'href="(/xxgk/ysqgk/track/[^"]+/files/\d+/)"', html).group(1)
    download = applicant.get(link)
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert "attachment" in download["Content-Disposition"] and "no-store" in download["Cache-Control"]
    assert Client().get(link).status_code == 404  # only for the session that looked the request up
    supply_link = f"{status_url}files/{supply.pk}/"
    assert applicant.get(supply_link).status_code == 404  # the applicant's own upload is not served back
    assert "提交补正" not in html.split("办理过程")[0]  # no supplement form any more


@pytest.mark.anydb
def test_the_applicant_withdraws(departments, client):
    submitted = submit(client, person(departments))
    request = DisclosureRequest.objects.get()
    status_url = f"{TRACK_URL}{request.tracking_number}/"
    assert client.get(submitted["Location"]).status_code == 200
    unconfirmed = client.post(status_url + "withdraw/", {"reason": "不需要了"})
    assert unconfirmed.status_code == 400 and "请勾选确认后再撤回" in html_of(unconfirmed)
    assert client.post(status_url + "withdraw/", {"confirm": "on", "reason": "不需要了"}).status_code == 302
    request.refresh_from_db()
    assert request.state == State.WITHDRAWN
    html = html_of(client.get(status_url))
    assert "已撤回" in html and "撤回申请</button>" not in html
    # 结束查询: this browser forgets the request.
    client.post(status_url + "leave/")
    assert client.get(status_url).status_code == 302


def test_failed_lookups_are_throttled_per_address(departments):
    request, code = make_request(departments["czj"])
    visitor = Client()
    for _ in range(10):
        assert track(visitor, request.tracking_number, "WRONG222").status_code == 400
    throttled = track(visitor, request.tracking_number, code)
    assert throttled.status_code == 429 and "查询失败次数过多" in html_of(throttled)
    assert throttled["Retry-After"]
    elsewhere = Client(REMOTE_ADDR="10.1.2.3")
    assert track(elsewhere, request.tracking_number, code).status_code == 302


def test_the_deadline_on_the_receipt_counts_working_days(departments, client, monkeypatch):
    moment = timezone.make_aware(datetime.datetime(2026, 9, 22, 10, 0))
    monkeypatch.setattr(timezone, "now", lambda: moment)
    response = submit(client, person(departments))
    html = html_of(client.get(response["Location"]))
    # 20 working days after Tue 22 September 2026, across Mid-Autumn and National Day: 27 October.
    assert "2026年10月27日" in html
    assert DisclosureRequest.objects.get().due_on == datetime.date(2026, 10, 27)
