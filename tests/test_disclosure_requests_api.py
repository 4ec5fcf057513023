"""/api/ysqgk/: submitting a disclosure request and tracking it as JSON, with the form's validation and
messages, an idempotency key, the rate limit, and the schema in /api/openapi.json."""

import json

import pytest
from django.test import Client

from cms.casework.models import Notification
from cms.casework.workflow import OFFICER, perform
from cms.disclosure_requests.models import DisclosureRequest
from tests.casework_builders import VALID_RESIDENT_ID, VALID_USCC, make_officer
from tests.test_disclosure_requests import make_departments

SUBMIT = "/api/ysqgk/requests"
TRACK = "/api/ysqgk/track"


@pytest.fixture
def departments(db):
    return make_departments()


def payload(**overrides):
    data = {
        "applicant_kind": "person",
        "name": "李华",
        "id_number": VALID_RESIDENT_ID,
        "phone": "13903910002",
        "email": "lihua@example.com",
        "address": "济源市济水大街1号",
        "department": "czj",
        "description": "2025年济源市城区道路改造项目的预算批复文件",
        "delivery_form": "electronic",
        "delivery_method": "online",
        "consent": True,
    }
    data.update(overrides)
    return data


def post(client, url, data, **headers):
    return client.post(
        url, json.dumps(data, ensure_ascii=False), content_type="application/json", headers=headers
    )


@pytest.mark.anydb
def test_submit_then_track(departments):
    client = Client()
    response = post(client, SUBMIT, payload(), **{"Idempotency-Key": "app-7f3c9a1e2b4d6f80"})
    assert response.status_code == 201
    body = response.json()
    request = DisclosureRequest.objects.get()
    assert body["tracking_number"] == request.tracking_number and request.query_code_matches(
        body["query_code"]
    )
    assert body["due_on"] == request.due_on.isoformat() and body["duplicate"] is False
    assert body["department"] == "济源市财政局" and body["tracking_url"].endswith("/xxgk/ysqgk/track/")
    assert request.submission_key == "app-7f3c9a1e2b4d6f80" and request.delivery_method == "online"
    assert Notification.objects.filter(to="lihua@example.com").count() == 1

    # A retry with the same key (the first answer was lost): nothing new, and no code again.
    again = post(client, SUBMIT, payload(), **{"Idempotency-Key": "app-7f3c9a1e2b4d6f80"})
    assert again.status_code == 200
    assert again.json()["duplicate"] is True and again.json()["query_code"] is None
    assert DisclosureRequest.objects.count() == 1 and Notification.objects.count() == 1

    officer = make_officer(departments["czj"])
    perform(request, "extend", by=OFFICER, user=officer, days=10, reason="需要调取档案")
    progress = post(
        client, TRACK, {"tracking_number": body["tracking_number"], "query_code": body["query_code"]}
    )
    assert progress.status_code == 200
    data = progress.json()
    assert data["state"] == "submitted" and data["state_display"] == "已收到，办理中"
    assert data["extension_days"] == 10 and data["extension_reason"] == "需要调取档案"
    assert [e["action"] for e in data["timeline"]] == ["submit", "extend"]
    assert data["days_left"] is not None and data["clock_stopped"] is False
    text = progress.content.decode()
    for personal in ("李华", VALID_RESIDENT_ID, "13903910002", "济水大街", "lihua@", "道路改造"):
        assert personal not in text, personal


def test_the_forms_validation_and_messages(departments):
    client = Client()
    response = post(client, SUBMIT, payload(id_number="110105194912310021", phone="", department="nope"))
    assert response.status_code == 400
    body = response.json()
    assert body["message"] == "证件号码：身份证号码校验位不正确，请核对后重新输入"  # the first, in form order
    assert body["errors"]["phone"] == ["请填写联系电话"]
    assert body["errors"]["id_number"] == ["身份证号码校验位不正确，请核对后重新输入"]
    assert body["errors"]["department"] == ["请从列表中选择申请公开的机关"]
    organisation = payload(applicant_kind="company", organisation_name="济源某科技有限公司", uscc=VALID_USCC)
    response = post(client, SUBMIT, organisation)
    assert response.status_code == 400 and set(response.json()["errors"]) == {
        "legal_representative",
        "contact_name",
    }
    refused = post(client, SUBMIT, payload(consent=False, description="<script>x</script>" * 200))
    assert set(refused.json()["errors"]) == {"consent", "description"}
    # Missing or mistyped members: ninja's check, in Chinese.
    assert post(client, SUBMIT, {"name": "李华"}).status_code == 400
    assert "message" in post(client, SUBMIT, payload(consent="maybe")).json()
    # Not JSON (e.g. a cross-site HTML form): refused before anything else.
    form_post = client.post(SUBMIT, {"applicant_kind": "person"})
    assert form_post.status_code == 400
    bad_key = post(client, SUBMIT, payload(), **{"Idempotency-Key": "short"})
    assert bad_key.status_code == 400 and "Idempotency-Key" in bad_key.json()["message"]
    text_plain = client.post(SUBMIT, json.dumps(payload()), content_type="text/plain")
    assert text_plain.status_code == 415 and "application/json" in text_plain.json()["message"]
    assert not DisclosureRequest.objects.exists()


def test_tracking_errors_are_generic_and_throttled(departments):
    client = Client(REMOTE_ADDR="198.51.100.7")
    created = post(client, SUBMIT, payload()).json()
    wrong = post(client, TRACK, {"tracking_number": created["tracking_number"], "query_code": "WRONG222"})
    unknown = post(client, TRACK, {"tracking_number": "YS2020010100001", "query_code": created["query_code"]})
    assert wrong.status_code == unknown.status_code == 400 and wrong.json() == unknown.json()
    for _ in range(8):
        post(client, TRACK, {"tracking_number": created["tracking_number"], "query_code": "WRONG222"})
    right = {"tracking_number": created["tracking_number"], "query_code": created["query_code"]}
    throttled = post(client, TRACK, right)
    assert throttled.status_code == 429 and throttled["Retry-After"]
    assert post(Client(REMOTE_ADDR="198.51.100.8"), TRACK, right).status_code == 200


@pytest.mark.anydb
def test_a_burst_through_the_api(departments):
    client = Client(REMOTE_ADDR="192.0.2.44")
    responses = [post(client, SUBMIT, payload(description=f"第{n}份：2025年预算执行情况")) for n in range(50)]
    statuses = [r.status_code for r in responses]
    assert set(statuses) == {201, 429}
    # 5 a minute: a burst that straddles the end of a rate window may get a second five in.
    assert DisclosureRequest.objects.count() == statuses.count(201) <= 10
    refused = next(r for r in responses if r.status_code == 429)
    assert refused.json()["message"] == "提交过于频繁，请稍后再试" and int(refused["Retry-After"]) > 0


def test_the_schema_is_documented_in_chinese(departments):
    schema = Client().get("/api/openapi.json").json()
    operation = schema["paths"]["/api/ysqgk/requests"]["post"]
    assert operation["summary"] == "提交政府信息公开申请" and "Idempotency-Key" in operation["description"]
    assert set(operation["responses"]) >= {"201", "400", "429"}
    assert [p["name"] for p in operation["parameters"]] == ["Idempotency-Key"]
    assert "/api/ysqgk/track" in schema["paths"]
    components = schema["components"]["schemas"]
    properties = components["RequestIn"]["properties"]
    assert (
        "GB 11643" in properties["id_number"]["description"]
        and properties["description"]["maxLength"] == 2000
    )
    assert "自然人" in properties["applicant_kind"]["description"]
    assert "查询码" in components["Receipt"]["properties"]["query_code"]["description"]
    index = Client().get("/api/").json()["endpoints"]
    assert index["disclosure_requests"] == SUBMIT and index["disclosure_request_tracking"] == TRACK
