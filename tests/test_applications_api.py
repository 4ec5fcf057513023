"""The JSON endpoints of online applications (/api/zwfw/applications/): the form described, submitting with
files (validation, idempotency, limits) and tracking; and their place in the OpenAPI document."""

# ruff: noqa: F811 - fixtures (guide, folders) are imported from tests/test_applications.py

import pytest
from django.core import mail

from cms.applications.models import Application, ApplicationFile
from cms.casework.models import Notification
from cms.casework.workflow import perform
from tests.casework_builders import VALID_RESIDENT_ID, make_officer
from tests.test_applications import (  # noqa: F401 - fixtures
    _clean_private_storage,
    folders,
    form_data,
    guide,
    materials,
    stored_files,
)
from tests.test_uploads import image_bytes, upload

BASE = "/api/zwfw/applications"


def form_url(guide):
    return f"{BASE}/forms/{guide.pk}"


def api_data(guide, **overrides):
    data = form_data(guide, key=None, **overrides)
    data["consent"] = "true"
    return data


def test_the_form_is_described(client, guide):
    response = client.get(form_url(guide))
    assert response.status_code == 200
    spec = response.json()
    assert spec["title"] == "个体工商户设立登记" and spec["submit_url"] == form_url(guide)
    assert [k["value"] for k in spec["applicant_kinds"]] == ["person"]
    person = {f["name"]: f for f in spec["applicant_fields"]["person"]}
    assert person["id_number"]["required"] and person["phone"]["type"] == "tel"
    assert not person["email"]["required"] and person["consent"]["type"] == "checkbox"
    assert [f["label"] for f in spec["fields"]] == ["经营场所", "经营范围"]
    assert all(f["name"].startswith("f-") for f in spec["fields"])
    required, optional = materials(guide)
    assert spec["materials"][0] == {
        "name": f"m-{required.pk}",
        "label": "经营者身份证明",
        "required": True,
        "allowed_types": ["pdf", "jpg", "png"],
        "max_size_mb": 5,
        "form": "原件",
        "note": "",
        "blank_form_url": None,
        "sample_url": None,
    }
    assert spec["max_request_mb"] == 10.0
    assert client.get(f"{BASE}/forms/999999").status_code == 404


@pytest.mark.anydb
def test_submit_track_and_replay(client, guide, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            form_url(guide), api_data(guide), headers={"Idempotency-Key": "order-2025-0001-abcdef"}
        )
    assert response.status_code == 201, response.content
    body = response.json()
    application = Application.objects.get()
    assert body["tracking_number"] == application.tracking_number and body["state"] == "submitted"
    assert application.query_code_matches(body["query_code"])
    assert body["acceptance_due_on"] == application.due_on.isoformat()
    assert ApplicationFile.objects.count() == 2 and len(stored_files()) == 2
    assert len(mail.outbox) == 1 and body["query_code"] not in mail.outbox[0].body

    # A retry with the same key: the same answer, nothing new.
    again = client.post(
        form_url(guide), api_data(guide), headers={"Idempotency-Key": "order-2025-0001-abcdef"}
    )
    assert again.status_code == 200 and again["Idempotent-Replayed"] == "true"
    assert again.json() == body
    assert Application.objects.count() == 1 and len(stored_files()) == 2
    # The key is never stored as such, nor the code in clear.
    assert "order-2025-0001-abcdef" not in application.submission_key

    tracked = client.post(
        f"{BASE}/track",
        {"tracking_number": body["tracking_number"], "query_code": body["query_code"].lower()},
        content_type="application/json",
    )
    assert tracked.status_code == 200
    data = tracked.json()
    assert data["state_display"] == "已提交，待受理" and data["applicant"] == "王**"
    assert [e["action"] for e in data["timeline"]] == ["提交申请"]
    text = tracked.content.decode()
    for secret in (VALID_RESIDENT_ID, "13903910001", "wang@example.com", "王小明", "济水大街"):
        assert secret not in text

    perform(application, "accept", user=make_officer(guide.department))
    perform(
        application, "request_supplement", user=make_officer(guide.department, "b"), reason="请补充场所证明"
    )
    data = client.post(
        f"{BASE}/track",
        {"tracking_number": body["tracking_number"], "query_code": body["query_code"]},
        content_type="application/json",
    ).json()
    assert data["state"] == "supplement_requested" and data["supplement_reason"] == "请补充场所证明"
    assert data["clock_stopped"] is True and data["due_on"] is None
    assert Notification.objects.count() == 3


def test_errors_name_each_field(client, guide):
    required, _ = materials(guide)
    data = api_data(
        guide,
        id_number=VALID_RESIDENT_ID[:-1] + "1",
        files={f"m-{required.pk}": upload("身份证.pdf", image_bytes("PNG"))},
    )
    del data["consent"]
    response = client.post(form_url(guide), data)
    assert response.status_code == 400
    errors = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert errors["id_number"] == "身份证号码校验位不正确，请核对后重新输入"
    assert errors[f"m-{required.pk}"].startswith("文件“身份证.pdf”的实际内容是PNG 图片，不是PDF 文档")
    assert errors["consent"] == "请阅读并勾选承诺，才能提交申请"
    assert response.json()["message"] == "提交未成功：有 3 处需要修改"
    assert Application.objects.count() == 0 and not stored_files()


def test_bad_kind_and_bad_idempotency_key(client, guide):
    response = client.post(form_url(guide), api_data(guide, applicant_kind="organisation"))
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "applicant_kind"
    response = client.post(form_url(guide), api_data(guide), headers={"Idempotency-Key": "短"})
    assert response.status_code == 400 and "幂等键格式不正确" in response.json()["message"]
    assert Application.objects.count() == 0


def test_submissions_are_rate_limited(client, guide):
    statuses = [client.post(form_url(guide), api_data(guide, files={})).status_code for _ in range(8)]
    assert statuses[:5] == [201] * 5 and set(statuses[5:]) == {429}
    limited = client.post(form_url(guide), api_data(guide))
    assert "提交过于频繁" in limited.json()["message"] and int(limited["Retry-After"]) > 0
    assert Application.objects.count() == 5


def test_tracking_errors_are_generic_and_throttled(client, guide):
    client.post(form_url(guide), api_data(guide))
    number = Application.objects.get().tracking_number
    for pair in ((number, "ABCDEFGH"), ("ZW2000010100001", "ABCDEFGH"), ("' OR 1=1 --", "<script>")):
        response = client.post(
            f"{BASE}/track",
            {"tracking_number": pair[0], "query_code": pair[1]},
            content_type="application/json",
        )
        assert response.status_code == 400
        assert response.json() == {"message": "受理编号或查询码不正确，请核对后重新输入。"}
    for _ in range(7):
        client.post(
            f"{BASE}/track", {"tracking_number": number, "query_code": "x"}, content_type="application/json"
        )
    throttled = client.post(
        f"{BASE}/track", {"tracking_number": number, "query_code": "x"}, content_type="application/json"
    )
    assert throttled.status_code == 429 and "查询失败次数过多" in throttled.json()["message"]
    missing = client.post(f"{BASE}/track", {}, content_type="application/json")
    assert missing.status_code == 400


def test_the_endpoints_are_in_the_openapi_document(client, folders):
    document = client.get("/api/openapi.json").json()
    paths = document["paths"]
    submit = paths[f"{BASE}/forms/{{guide_id}}"]["post"]
    assert submit["summary"] == "提交网上申请" and "Idempotency-Key" in submit["description"]
    body = submit["requestBody"]["content"]["multipart/form-data"]["schema"]
    assert body["properties"]["id_number"]["description"].startswith("公民身份号码")
    assert set(submit["responses"]) >= {"201", "400", "409", "413", "429"}
    track = paths[f"{BASE}/track"]["post"]
    assert track["summary"] == "查询办件进度"
    assert paths[f"{BASE}/forms/{{guide_id}}"]["get"]["summary"] == "网上申请表单说明"
