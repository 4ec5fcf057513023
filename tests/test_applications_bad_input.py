"""Bad input on the application form (issue 4, section 6): empty and oversized fields, script tags and SQL in
every field, files that lie about their content, a 100 MB upload, a zip bomb, a burst of 50 submissions
from one address, and failures half-way: a clear Chinese message and a 4xx, never a 500, nothing
half-saved, nothing lost that was accepted."""

# ruff: noqa: F811 - fixtures (guide, folders) are imported from tests/test_applications.py

import io
import threading

import pytest
from django.test import Client
from django.test.client import ClientHandler, RequestFactory
from django.urls import reverse

from cms.applications import submission
from cms.applications.models import Application, ApplicationFile, State
from cms.casework.models import Notification, TrackingSequence
from cms.casework.workflow import perform
from cms.services.models import ServiceMaterial
from tests.casework_builders import make_guide, make_officer
from tests.test_applications import (  # noqa: F401 - fixtures
    _clean_private_storage,
    apply_url,
    folders,
    form_data,
    guide,
    light_portal,
    materials,
    receipt_code,
    stored_files,
    submit,
)
from tests.test_uploads import _Zeros, pdf_bytes, upload, zip_bomb_docx

MB = 1024 * 1024
SCRIPT = '<script>alert("x")</script>'
SQL = "'; DROP TABLE applications_application; --"
IMG = '<img src=x onerror="alert(1)">'  # a file name cannot carry "/": browsers and Django cut paths there


def nothing_saved():
    return Application.objects.count() == 0 and ApplicationFile.objects.count() == 0 and not stored_files()


# --- fields -----------------------------------------------------------------------------------


def test_oversized_fields_are_named_with_their_limit(client, guide):
    place, scope = [k for k in form_data(guide) if k.startswith("f-")]
    response = submit(
        client,
        guide,
        name="王" * 51,
        address="路" * 201,
        **{place: "场" * 256, scope: "范" * 2001},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "姓名最多 50 个字（现为 51 个字）" in html
    assert "通信地址最多 200 个字（现为 201 个字）" in html
    assert "“经营场所”最多 255 个字（现为 256 个字）" in html
    assert "“经营范围”最多 2000 个字（现为 2001 个字）" in html
    assert nothing_saved()


def test_whitespace_only_counts_as_empty(client, guide):
    response = submit(client, guide, name="   ", address="\u3000 ")
    html = response.content.decode()
    assert "请填写姓名" in html
    assert Application.objects.count() == 0


@pytest.mark.anydb
def test_script_and_sql_in_every_field_are_stored_verbatim_and_shown_escaped(client, folders):
    guide = make_guide(folders["czj"], item_code="ORG2", for_persons=False, for_organisations=True)
    place, scope = [k for k in form_data(guide) if k.startswith("f-")]
    required, optional = materials(guide)
    data = form_data(
        guide,
        applicant_kind="organisation",
        name=None,
        id_number=None,
        files={
            f"m-{required.pk}": upload(f"{IMG}.pdf", pdf_bytes()),
            f"m-{optional.pk}": upload(f"{SQL}.pdf", pdf_bytes()),
        },
        address=SQL,
        **{place: SCRIPT, scope: f"{SCRIPT}\n{SQL}"},
    )
    data.update(organisation_name=SCRIPT, uscc="91110000600037341L", contact_name=SQL)
    response = client.post(apply_url(guide), data)
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.applicant_name == SCRIPT and application.address == SQL
    assert application.contact_name == SQL
    assert [e["value"] for e in application.form_data] == [SCRIPT, f"{SCRIPT}\n{SQL}"]
    assert {f.original_name for f in application.files.all()} == {f"{IMG}.pdf", f"{SQL}.pdf"}
    receipt = client.get(response["Location"]).content.decode()
    assert SCRIPT not in receipt and IMG not in receipt
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;.pdf" in receipt
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in receipt
    assert "&#x27;; DROP TABLE applications_application; --" in receipt

    # Free text of the applicant's own steps and of officers' reasons, on the tracking page.
    perform(application, "request_supplement", user=make_officer(guide.department), reason=SCRIPT)
    client.post(
        reverse("applications:supply", args=[application.tracking_number]),
        {f"s-{required.pk}": upload("a.pdf", pdf_bytes()), "s-note": SQL + SCRIPT},
    )
    page = client.get(
        reverse("applications:track_detail", args=[application.tracking_number])
    ).content.decode()
    assert SCRIPT not in page and "&lt;script&gt;" in page
    application.refresh_from_db()
    assert application.events.get(action="supply").reason == SQL + SCRIPT


def test_script_and_sql_in_refused_fields_are_echoed_escaped(client, guide):
    response = submit(client, guide, id_number=SCRIPT, phone=SQL[:20], email=SCRIPT)
    html = response.content.decode()
    assert response.status_code == 400
    assert SCRIPT not in html and "&lt;script&gt;" in html
    assert "身份证号码应为18位" in html and "请填写正确的联系电话" in html
    assert "请填写正确的电子邮箱地址" in html
    assert nothing_saved()


def test_odd_query_parameters_and_keys_are_harmless(client, guide):
    assert client.get(apply_url(guide) + f"?as={SCRIPT}").status_code == 200
    response = submit(client, guide, submission_key=SQL, applicant_kind=SCRIPT)
    assert response.status_code == 302  # a new key is issued; the kind is the guide's own
    assert Application.objects.get().applicant_kind == "person"


# --- files ------------------------------------------------------------------------------------


@pytest.fixture
def docx_guide(folders):
    guide = make_guide(folders["czj"], title="企业登记", item_code="DOCX1")
    ServiceMaterial.objects.filter(page=guide).update(upload_types="pdf,docx", max_size_mb=20)
    return guide


def test_a_zip_bomb_is_refused_by_name(client, docx_guide):
    required, _ = materials(docx_guide)
    response = submit(client, docx_guide, files={f"m-{required.pk}": upload("申请书.docx", zip_bomb_docx())})
    html = response.content.decode()
    assert response.status_code == 400
    assert "文件“申请书.docx”解压后的内容异常庞大（疑似“压缩炸弹”）" in html
    assert nothing_saved()


def test_several_bad_files_are_each_named(client, guide):
    required, optional = materials(guide)
    files = {
        f"m-{required.pk}": upload("照片.jpg", b"GIF89a" + bytes(100)),
        f"m-{optional.pk}": upload("证明.pdf", pdf_bytes() + bytes(6 * MB)),
    }
    html = submit(client, guide, files=files).content.decode()
    assert "文件“照片.jpg”的实际内容是GIF 图片，不是JPEG 图片" in html
    assert "文件“证明.pdf”大小为 6.0 MB，超过了 5.0 MB 的上限" in html
    assert nothing_saved()


def streamed_post(path, fields, size):
    """A multipart POST whose one file is ``size`` bytes of zeros, produced while it is read."""
    boundary = "XyZbOuNdArY"
    head = b"".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    )
    head += (
        f'--{boundary}\r\nContent-Disposition: form-data; name="{fields["_file"]}"; filename="扫描件.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    ).encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    environ = RequestFactory()._base_environ(
        PATH_INFO=path,
        REQUEST_METHOD="POST",
        CONTENT_TYPE=f"multipart/form-data; boundary={boundary}",
        CONTENT_LENGTH=str(len(head) + size + len(tail)),
        **{"wsgi.input": io.BufferedReader(_Zeros(head, size, tail), buffer_size=64 * 1024)},
    )
    return ClientHandler(enforce_csrf_checks=False)(environ)


def test_a_100_mb_upload_gets_a_clear_message(guide):
    required, _ = materials(guide)
    fields = {k: v for k, v in form_data(guide).items() if not k.startswith("m-")}
    fields["_file"] = f"m-{required.pk}"
    response = streamed_post(apply_url(guide), fields, 100 * MB)
    html = response.content.decode()
    assert response.status_code == 413
    assert "上传的文件总大小超过 10.0 MB，本次提交未被接收" in html  # the guide's two materials: 5 + 5 MB
    assert "请在下方重新选择所有要上传的材料" in html
    assert nothing_saved()


# --- bursts and failures -----------------------------------------------------------------------


@pytest.mark.anydb
def test_fifty_submissions_in_a_burst_from_one_address(client, guide, django_capture_on_commit_callbacks):
    statuses = []
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(50):
            response = submit(client, guide, key=f"burst-{i:04d}-" + "x" * 20)
            statuses.append(response.status_code)
            if response.status_code == 429:
                assert "提交过于频繁" in response.content.decode()
                assert int(response["Retry-After"]) > 0
    accepted = statuses.count(302)
    assert set(statuses) == {302, 429} and 0 < accepted < 50
    # Everything accepted is saved whole: its files on disk, its email receipt queued.
    assert Application.objects.count() == accepted
    assert ApplicationFile.objects.count() == 2 * accepted == len(stored_files())
    assert Notification.objects.count() == accepted
    numbers = list(Application.objects.order_by("tracking_number").values_list("tracking_number", flat=True))
    assert [int(n[-5:]) for n in numbers] == list(range(1, accepted + 1))  # no gaps
    # Another address is not affected.
    other = Client(REMOTE_ADDR="192.0.2.77")
    assert submit(other, guide, key="y" * 32).status_code == 302


def test_a_failure_half_way_leaves_nothing_behind(client, guide, monkeypatch):
    def broken(application):
        raise RuntimeError("the outbox table is gone")

    monkeypatch.setattr(submission, "queue_receipt", broken)
    client.raise_request_exception = False
    response = submit(client, guide)
    assert response.status_code == 500  # a real server fault: but nothing half-saved
    assert nothing_saved()
    assert not TrackingSequence.objects.filter(last__gt=0).exists()
    assert Notification.objects.count() == 0
    monkeypatch.undo()
    assert submit(client, guide).status_code == 302  # the same page, submitted again, works
    assert Application.objects.get().tracking_number.endswith("00001")


def test_a_failed_supplement_keeps_no_file(client, guide, monkeypatch):
    response = submit(client, guide)
    application = Application.objects.get()
    perform(application, "request_supplement", user=make_officer(guide.department), reason="补充")
    before = len(stored_files())
    from cms.casework import workflow

    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(workflow, "perform", broken)
    client.raise_request_exception = False
    required, _ = materials(guide)
    url = reverse("applications:supply", args=[application.tracking_number])
    assert client.post(url, {f"s-{required.pk}": upload("b.pdf", pdf_bytes())}).status_code == 500
    assert len(stored_files()) == before and application.files.count() == 2
    application.refresh_from_db()
    assert application.state == State.SUPPLEMENT
    assert response.status_code == 302


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_double_click_creates_one_application():
    """Two requests of one browser with the same form, at the same moment, on PostgreSQL."""
    folders = light_portal()
    guide = make_guide(folders["czj"])
    client = Client()
    client.get(apply_url(guide))  # the session exists, as it would after loading the form
    barrier = threading.Barrier(2)
    responses = []

    def click():
        from django.db import connection

        data = form_data(guide, key="d" * 32)
        barrier.wait()
        try:
            responses.append(client.post(apply_url(guide), data))
        finally:
            connection.close()

    threads = [threading.Thread(target=click) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Application.objects.count() == 1
    assert [r.status_code for r in responses] == [302, 302]
    assert responses[0]["Location"] == responses[1]["Location"]
    assert ApplicationFile.objects.count() == 2 and len(stored_files()) == 2
    assert receipt_code(client.get(responses[0]["Location"]))


def test_malformed_and_excessive_requests_get_a_400(client, guide):
    client.raise_request_exception = False
    malformed = client.generic(
        "POST", apply_url(guide), b"--x\r\nnot a part", content_type="multipart/form-data; boundary=x"
    )
    too_many_files = client.post(
        apply_url(guide),
        {**form_data(guide), **{f"extra{i}": upload(f"{i}.pdf", pdf_bytes()) for i in range(101)}},
    )
    huge_field = client.post(apply_url(guide), form_data(guide, address="路" * 3 * MB))
    for response in (malformed, too_many_files, huge_field):
        assert response.status_code == 400
        assert "请求" in response.content.decode() or "提交未成功" in response.content.decode()
    assert nothing_saved()
