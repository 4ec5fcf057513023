"""Bad input on the disclosure request form and its tracking page: empty and oversized fields, markup and SQL
(stored verbatim, shown escaped), bad identity numbers, control characters, lying and oversized uploads, and
a burst of submissions from one address. Always a clear Chinese message and a 4xx, never a 500, nothing
half-saved, nothing lost that was accepted."""

import pytest
from django.core.files.base import ContentFile
from django.test import Client

from cms.casework.workflow import OFFICER, perform
from cms.disclosure_requests.models import DisclosureRequest
from tests.casework_builders import make_officer, make_request
from tests.test_disclosure_requests import (
    FORM_URL,
    TRACK_URL,
    form_key,
    html_of,
    make_departments,
    person,
    submit,
    track,
)

SCRIPT = '<script>alert("xss")</script>'
SQL = "'; DROP TABLE disclosure_requests_disclosurerequest; --"
TEXT_FIELDS = ("name", "address", "description", "document_hint")


@pytest.fixture
def departments(db):
    return make_departments()


def test_an_empty_form_lists_every_missing_field_linked_to_it(departments, client):
    response = client.post(FORM_URL, {"submission_key": form_key(client)})
    html = html_of(response)
    assert response.status_code == 400
    assert 'class="error-summary" role="alert"' in html and 'tabindex="-1"' in html
    for anchor, message in (
        ("#id_applicant_kind_0", "请选择申请人类型"),
        ("#id_phone", "请填写联系电话"),
        ("#id_address", "请填写通信地址"),
        ("#id_department", "请选择申请公开的机关"),
        ("#id_description", "请描述所需的政府信息"),
        ("#id_delivery_form_0", "请选择获取信息的载体形式"),
        ("#id_consent", "请阅读申请须知并勾选承诺"),
    ):
        assert f'<a href="{anchor}">' in html and message in html, anchor
    # Each field names its error for screen readers.
    assert 'aria-describedby="id_phone_help id_phone_error"' in html and 'aria-invalid="true"' in html
    assert "<title>（有错误）" in html
    assert not DisclosureRequest.objects.exists()


def test_oversized_fields_are_refused_with_their_limits(departments, client):
    data = person(
        departments, name="李" * 51, description="信" * 2001, address="路" * 201, document_hint="号" * 301
    )
    html = html_of(submit(client, data))
    assert "姓名不能超过50个字（已填51个字）" in html
    assert "所需政府信息的内容描述不能超过2000个字（已填2001个字）" in html
    assert "通信地址不能超过200个字" in html and "文件名称、文号或其他特征不能超过300个字" in html
    assert not DisclosureRequest.objects.exists()


def test_bad_identity_numbers_and_contact_details(departments, client):
    cases = [
        ({"id_number": "110105194912310021"}, "身份证号码校验位不正确"),
        ({"id_number": "11010519491331002X"}, "身份证号码中的出生日期无效"),
        ({"id_number": "1101051949"}, "身份证号码应为18位"),
        ({"phone": "123-abc"}, "联系电话格式不正确"),
        ({"email": "not-an-email"}, "请填写正确的电子邮箱地址"),
        ({"postcode": "45900"}, "邮政编码应为6位数字"),
        ({"department": "999999"}, "请从列表中选择申请公开的机关"),
        ({"applicant_kind": "alien"}, "请从列表中选择申请人类型"),
        ({"description": "文件"}, "内容描述过于简单"),
        ({"name": "李\x00华"}, "姓名含有不可见的控制字符"),
    ]
    for overrides, message in cases:
        response = submit(client, person(departments, **overrides))
        assert response.status_code == 400, overrides
        assert message in html_of(response), (overrides, message)
    assert not DisclosureRequest.objects.exists()


@pytest.mark.anydb
def test_markup_and_sql_are_stored_verbatim_and_shown_escaped(departments, client):
    hostile = dict.fromkeys(TEXT_FIELDS, f"{SCRIPT}{SQL}")
    hostile["name"] = SCRIPT  # 50 characters at most
    # Refused first (bad phone): the form comes back with every value escaped.
    html = html_of(submit(client, person(departments, phone="x", **hostile)))
    assert SCRIPT not in html and "&lt;script&gt;alert(&quot;xss&quot;)&lt;/script&gt;" in html
    # Accepted: stored exactly as typed.
    response = submit(client, person(departments, **hostile))
    assert response.status_code == 302
    request = DisclosureRequest.objects.get()
    for field in ("address", "description", "document_hint"):
        assert getattr(request, field) == f"{SCRIPT}{SQL}", field
    assert request.applicant_name == SCRIPT
    assert SCRIPT not in html_of(client.get(response["Location"]))
    # An officer's reason with markup is shown escaped on the tracking page.
    officer = make_officer(departments["czj"])
    perform(request, "consult", by=OFFICER, user=officer, reason=f"征求意见{SCRIPT}")
    status = html_of(client.get(f"{TRACK_URL}{request.tracking_number}/"))
    assert SCRIPT not in status and "征求意见&lt;script&gt;" in status


def test_hostile_tracking_input_gets_the_generic_message(departments):
    visitor = Client()
    for number, code in (
        (SCRIPT, SQL),
        ("YS" + "9" * 5000, "A"),
        ("YS2026112400001\x00", "ABCDEFGH"),
        ("", ""),
    ):
        response = track(visitor, number, code)
        assert response.status_code == 400, number[:20]
        assert SCRIPT not in html_of(response)
    assert visitor.get(f"{TRACK_URL}YS2026112400001/files/99/").status_code == 404
    assert visitor.get(f"{FORM_URL}receipt/YS2026112400001/").status_code == 404
    assert visitor.get(f"{FORM_URL}?department=%00").status_code == 200


def test_uploads_that_lie_or_are_too_big_are_refused_with_a_reason(departments):
    request, code = make_request(departments["czj"])
    officer = make_officer(departments["czj"])
    perform(request, "request_supplement", by=OFFICER, user=officer, reason="请补充项目名称")
    applicant = Client()
    track(applicant, request.tracking_number, code)
    url = f"{TRACK_URL}{request.tracking_number}/supplement/"
    png_named_pdf = ContentFile(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, name="说明.pdf")
    response = applicant.post(url, {"text": "见附件", "file": png_named_pdf})
    assert response.status_code == 400 and "说明.pdf" in html_of(response) and "PNG" in html_of(response)
    big = ContentFile(b"%PDF-1.4\n" + b"0" * (13 * 1024 * 1024) + b"\n%%EOF", name="大文件.pdf")
    response = applicant.post(url, {"text": "见附件", "file": big})
    assert response.status_code == 413 and "上传的文件总大小超过" in html_of(response)
    request.refresh_from_db()
    assert request.state == "supplement_requested" and request.events.filter(action="supply").count() == 0


@pytest.mark.anydb
def test_a_burst_of_fifty_submissions_from_one_address(departments):
    client = Client(REMOTE_ADDR="203.0.113.9")
    responses = []
    for number in range(50):
        data = person(departments, description=f"第{number}份申请：2025年部门预算公开情况说明")
        responses.append(submit(client, data))
    statuses = [r.status_code for r in responses]
    accepted = statuses.count(302)
    assert set(statuses) == {302, 429}, statuses
    # 5 a minute: a burst that straddles the end of a rate window may get a second five in.
    assert 1 <= accepted <= 10
    # Every accepted submission is saved, whole; nothing else is.
    saved = list(DisclosureRequest.objects.values_list("description", flat=True))
    assert len(saved) == accepted and len(set(saved)) == accepted
    refused = next(r for r in responses if r.status_code == 429)
    assert "提交过于频繁" in html_of(refused) and int(refused["Retry-After"]) > 0
    # Another address is not held up by this one.
    assert submit(Client(REMOTE_ADDR="203.0.113.10"), person(departments)).status_code == 302
