"""Online applications from the applicant's side: the form of a guide, the receipt and its email, tracking,
supplements, withdrawal and rating (cms.applications, cms.casework.public)."""

import os
import re
from types import SimpleNamespace

import pytest
from django.core import mail
from django.urls import reverse
from django.utils.functional import empty
from wagtail.models import Page, Site

from cms.applications.forms import details_form_class
from cms.applications.models import Application, ApplicationEvent, ApplicationFile, Rating, State
from cms.casework.models import Notification
from cms.casework.storage import private_storage
from cms.casework.workflow import perform
from cms.core.models import Department
from cms.home.models import HomePage
from tests.builders import DEPARTMENTS
from tests.casework_builders import VALID_RESIDENT_ID, VALID_USCC, make_guide, make_officer, make_service_tree
from tests.test_uploads import docx_bytes, image_bytes, pdf_bytes, upload

MASKED_ID = VALID_RESIDENT_ID[:4] + "*" * 10 + VALID_RESIDENT_ID[-4:]


def light_portal():
    """Just what the forms need (home, site, two departments, /zwfw/ with their folders): much faster
    than ``build_portal``, which also builds the disclosure catalogue and news."""
    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="济源市人民政府", slug="jiyuan"))
    Site.objects.all().delete()
    Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
    departments = {
        slug: Department.objects.create(slug=slug, name=name, short_name=short, org_code=code, sort_order=i)
        for i, (slug, name, short, code) in enumerate(DEPARTMENTS[:2])
    }
    _, folders = make_service_tree(SimpleNamespace(home=home, departments=departments))
    return folders


@pytest.fixture
def folders(db):
    return light_portal()


@pytest.fixture
def guide(folders):
    return make_guide(folders["czj"])


def field_names(guide):
    """The posted names of the guide's editor-defined fields, in order (the form's prefix is "f")."""
    return [f"f-{name}" for name in details_form_class(guide)().fields]


def materials(guide):
    return list(guide.materials.all())


def form_data(guide, key="k" * 32, files=None, **overrides):
    """A complete, valid person's submission for ``make_guide``'s guide."""
    required, optional = materials(guide)
    details = dict(zip(field_names(guide), ["济源市天坛路88号", "日用百货零售"], strict=False))
    data = {
        "submission_key": key,
        "applicant_kind": "person",
        "name": "王小明",
        "id_number": VALID_RESIDENT_ID,
        "phone": "13903910001",
        "email": "wang@example.com",
        "address": "济源市济水大街1号",
        "consent": "on",
        **details,
        f"m-{required.pk}": upload("身份证.pdf", pdf_bytes()),
        f"m-{optional.pk}": upload("场所证明.pdf", pdf_bytes()),
    }
    data.update(files or {})
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def apply_url(guide):
    return reverse("applications:apply", args=[guide.pk])


def submit(client, guide, **kwargs):
    return client.post(apply_url(guide), form_data(guide, **kwargs))


def stored_files():
    """The files in private storage (this test's own directory)."""
    root = private_storage.path("")
    return sorted(os.path.join(d, f) for d, _, fs in os.walk(root) for f in fs)


@pytest.fixture(autouse=True)
def _clean_private_storage(settings, tmp_path):
    """Each test its own private storage: other test runs share the repository's var/ directory."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    private_storage._wrapped = empty
    yield
    private_storage._wrapped = empty


def receipt_code(response):
    match = re.search(r'查询码</dt><dd><span class="zw-code">([A-Z0-9]{8})</span>', response.content.decode())
    return match.group(1) if match else None


def track(client, number, code):
    return client.post(reverse("applications:track"), {"tracking_number": number, "query_code": code})


# --- the form ---------------------------------------------------------------------------------


def test_the_form_shows_every_part_of_the_guide(client, guide):
    response = client.get(apply_url(guide))
    assert response.status_code == 200
    html = response.content.decode()
    for text in ("姓名", "公民身份号码", "联系电话", "通信地址", "经营场所", "经营范围", "经营者身份证明"):
        assert text in html
    assert "格式：PDF、JPG、PNG；每个文件不超过 5 MB" in html
    assert 'accept=".pdf,.jpg,.jpeg,.png"' in html
    assert 'name="submission_key"' in html and "csrfmiddlewaretoken" in html
    assert 'autocomplete="tel"' in html
    # One audience: no chooser; the organisation's fields are absent.
    assert "以法人身份申请" not in html and "统一社会信用代码" not in html


def test_offline_and_unknown_guides_answer_404_with_a_way_back(client, folders):
    offline = make_guide(folders["fgw"], title="窗口事项", item_code="X1", online_level="offline")
    response = client.get(apply_url(offline))
    assert response.status_code == 404
    assert "该事项暂不支持网上申请" in response.content.decode() and offline.url in response.content.decode()
    response = client.get(reverse("applications:apply", args=[999999]))
    assert response.status_code == 404 and "没有找到该办事事项" in response.content.decode()
    offline.unpublish()
    assert client.get(apply_url(offline)).status_code == 404


# --- submitting -------------------------------------------------------------------------------


@pytest.mark.anydb
def test_submit_with_uploads_gives_a_receipt_and_an_email(client, guide, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = submit(client, guide)
    assert response.status_code == 302
    application = Application.objects.get()
    assert response["Location"] == reverse("applications:receipt", args=[application.tracking_number])
    # What was applied for is a snapshot of the guide.
    assert (application.service_title, application.service_code) == (guide.title, guide.item_code)
    assert (application.statutory_days, application.promised_days) == (15, 3)
    assert application.state == State.SUBMITTED and application.due_on is not None
    assert application.department == guide.department
    assert application.id_number == VALID_RESIDENT_ID and application.address == "济源市济水大街1号"
    assert [e["value"] for e in application.form_data] == ["济源市天坛路88号", "日用百货零售"]
    files = list(application.files.order_by("pk"))
    assert [(f.material_name, f.file_type, f.original_name) for f in files] == [
        ("经营者身份证明", "pdf", "身份证.pdf"),
        ("经营场所使用证明", "pdf", "场所证明.pdf"),
    ]
    assert all(private_storage.exists(f.file.name) for f in files)
    assert application.events.get().action == "submit"

    page = client.get(response["Location"])
    html = page.content.decode()
    code = receipt_code(page)
    assert code and application.query_code_matches(code)
    assert application.tracking_number in html and MASKED_ID in html and VALID_RESIDENT_ID not in html
    assert "王**" in html and "请记下或打印受理编号和查询码" in html
    assert (
        "打印回执" in html
        and reverse("applications:track_detail", args=[application.tracking_number]) in html
    )

    # The email receipt: queued in the same transaction, sent by the worker (inline in tests).
    notice = Notification.objects.get(case_label=application.tracking_number)
    assert notice.to == "wang@example.com" and notice.sent_at is not None
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert application.tracking_number in message.subject and "个体工商户设立登记" in message.body
    assert code not in message.body  # the outbox keeps its messages: never the code


def test_the_receipt_belongs_to_the_session_that_submitted(client, guide):
    submit(client, guide)
    application = Application.objects.get()
    other = client.__class__()
    assert other.get(reverse("applications:receipt", args=[application.tracking_number])).status_code == 404


@pytest.mark.anydb
def test_a_double_post_creates_one_application(client, guide):
    first = submit(client, guide)
    second = submit(client, guide)  # the same page submitted again (double click, back and resubmit)
    assert Application.objects.count() == 1
    assert ApplicationFile.objects.count() == 2
    assert len(stored_files()) == 2  # the second request's files were not kept
    assert first["Location"] == second["Location"]
    # Another browser replaying the same key sees that it was submitted, not the code.
    other = client.__class__().post(apply_url(guide), form_data(guide))
    assert other.status_code == 200 and "该申请已经提交过" in other.content.decode()
    assert Application.objects.count() == 1


def test_without_email_there_is_no_mail(client, guide):
    submit(client, guide, email="")
    assert Application.objects.count() == 1 and Notification.objects.count() == 0


def test_an_organisation_applies_with_its_credit_code(client, folders):
    guide = make_guide(folders["czj"], item_code="ORG1", for_persons=True, for_organisations=True)
    html = client.get(apply_url(guide) + "?as=organisation").content.decode()
    assert "以个人身份申请" in html and "统一社会信用代码" in html and "公民身份号码" not in html
    data = form_data(guide, applicant_kind="organisation", name=None, id_number=None)
    data.update(organisation_name="济源市某某商贸有限公司", uscc=VALID_USCC.lower(), contact_name="李四")
    response = client.post(apply_url(guide), data)
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.applicant_kind == "organisation"
    assert (application.applicant_name, application.uscc, application.contact_name) == (
        "济源市某某商贸有限公司",
        VALID_USCC,
        "李四",
    )
    assert application.id_number == ""


# --- errors -----------------------------------------------------------------------------------


def test_a_wrong_check_digit_is_named_and_nothing_is_saved(client, guide):
    wrong = VALID_RESIDENT_ID[:-1] + "1"
    response = submit(client, guide, id_number=wrong)
    assert response.status_code == 400
    html = response.content.decode()
    assert "身份证号码校验位不正确，请核对后重新输入" in html
    assert 'href="#id_id_number"' in html  # the summary links to the field
    assert 'aria-describedby="id_id_number_helptext id_id_number_error"' in html
    assert 'aria-invalid="true"' in html
    assert "请在下方重新选择所有要上传的材料" in html
    assert Application.objects.count() == 0 and ApplicationFile.objects.count() == 0 and not stored_files()
    # What was typed is kept (not the files).
    assert "济源市天坛路88号" in html


def test_empty_form_lists_every_required_field(client, guide):
    response = client.post(apply_url(guide), {"submission_key": "e" * 32})
    html = response.content.decode()
    assert response.status_code == 400
    for message in (
        "请填写姓名",
        "请填写公民身份号码",
        "请填写联系电话",
        "请填写通信地址",
        "请填写“经营场所”",
        "请上传“经营者身份证明”",
        "请阅读并勾选承诺",
    ):
        assert message in html
    assert "请上传“经营场所使用证明”" not in html  # optional material
    assert Application.objects.count() == 0


def test_a_file_whose_name_lies_is_named_with_the_reason(client, guide):
    required, _ = materials(guide)
    lie = {f"m-{required.pk}": upload("身份证.pdf", image_bytes("PNG"))}
    response = submit(client, guide, files=lie)
    html = response.content.decode()
    assert response.status_code == 400
    assert "文件“身份证.pdf”的实际内容是PNG 图片，不是PDF 文档" in html
    assert f'href="#id_m-{required.pk}"' in html
    assert Application.objects.count() == 0 and not stored_files()


def test_a_type_the_material_refuses(client, guide):
    _, optional = materials(guide)  # pdf only
    response = submit(client, guide, files={f"m-{optional.pk}": upload("场所.docx", docx_bytes())})
    assert "本材料只接受 PDF 格式" in response.content.decode()
    assert Application.objects.count() == 0


def test_a_bad_phone_and_email(client, guide):
    response = submit(client, guide, phone="12345", email="not-an-email")
    html = response.content.decode()
    assert "请填写正确的联系电话" in html and "请填写正确的电子邮箱地址" in html


# --- tracking ---------------------------------------------------------------------------------


def submitted(client, guide, **kwargs):
    response = submit(client, guide, **kwargs)
    code = receipt_code(client.get(response["Location"]))
    return Application.objects.get(), code


@pytest.mark.anydb
def test_tracking_shows_state_timeline_and_nothing_personal(client, guide):
    application, code = submitted(client, guide)
    browser = client.__class__()  # another device: it needs the code
    detail = reverse("applications:track_detail", args=[application.tracking_number])
    assert browser.get(detail)["Location"].startswith(reverse("applications:track"))
    response = track(browser, application.tracking_number.lower(), code.lower())
    assert response["Location"] == detail
    page = browser.get(detail).content.decode()
    assert "已提交，待受理" in page and "提交申请" in page and "个体工商户设立登记" in page
    assert "王**" in page
    for secret in (VALID_RESIDENT_ID, MASKED_ID, "13903910001", "139****0001", "wang@example.com", "王小明"):
        assert secret not in page


@pytest.mark.anydb
def test_a_wrong_pair_gets_one_generic_message_and_is_throttled(client, guide):
    application, code = submitted(client, guide)
    browser = client.__class__()
    generic = "受理编号或查询码不正确，请核对后重新输入。"
    unknown = track(browser, "ZW2000010100001", code)
    wrong_code = track(browser, application.tracking_number, "ABCDEFGH")
    malformed = track(browser, "<script>", "' OR 1=1 --")
    for response in (unknown, wrong_code, malformed):
        assert response.status_code == 400
        assert generic in response.content.decode()
    for _ in range(7):
        track(browser, application.tracking_number, "WRONGCOD")
    throttled = track(browser, application.tracking_number, code)  # even the right code now waits
    assert throttled.status_code == 429
    assert "查询失败次数过多" in throttled.content.decode()
    # Another address is not affected.
    elsewhere = client.__class__(REMOTE_ADDR="10.0.0.9")
    assert track(elsewhere, application.tracking_number, code).status_code == 302


# --- supplements, withdrawal, rating -----------------------------------------------------------


@pytest.mark.anydb
def test_the_supplement_cycle_from_the_applicants_side(client, guide, django_capture_on_commit_callbacks):
    application, code = submitted(client, guide)
    officer = make_officer(guide.department)
    perform(application, "accept", user=officer)
    perform(application, "request_supplement", user=officer, reason="身份证明复印件不清晰，请重新上传")
    detail = reverse("applications:track_detail", args=[application.tracking_number])
    page = client.get(detail).content.decode()
    assert "需要补正材料" in page and "身份证明复印件不清晰，请重新上传" in page
    assert "等待补正，暂停计时" in page

    supply_url = reverse("applications:supply", args=[application.tracking_number])
    required, _ = materials(guide)
    empty = client.post(supply_url, {})
    assert empty.status_code == 400 and "请至少上传一个补正材料文件" in empty.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            supply_url,
            {f"s-{required.pk}": upload("清晰的身份证.jpg", image_bytes("JPEG")), "s-note": "已重新扫描"},
        )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == State.ACCEPTED and application.clock_stopped_on is None
    new = application.files.get(supplement_round=1)
    assert (new.material_name, new.file_type) == ("经营者身份证明", "jpg")
    event = application.events.get(action="supply")
    assert event.actor_name == "申请人" and event.reason == "已重新扫描"
    page = client.get(detail + "?done=supply").content.decode()
    assert "补正材料已提交" in page and "提交补正材料" in page and "需要补正材料" not in page
    # No second supply: the state moved on.
    again = client.post(supply_url, {f"s-{required.pk}": upload("x.pdf", pdf_bytes())})
    assert again.status_code == 400 or again.status_code == 409
    assert application.files.count() == 3


@pytest.mark.anydb
def test_the_applicant_withdraws_an_open_application(client, guide):
    application, _ = submitted(client, guide)
    url = reverse("applications:withdraw", args=[application.tracking_number])
    unconfirmed = client.post(url, {"w-reason": "不再需要"})
    assert unconfirmed.status_code == 400 and "请勾选确认后再撤回申请" in unconfirmed.content.decode()
    assert client.post(url, {"w-reason": "不再需要", "w-confirm": "on"}).status_code == 302
    application.refresh_from_db()
    assert application.state == State.WITHDRAWN and application.closed_at is not None
    page = client.get(
        reverse("applications:track_detail", args=[application.tracking_number])
    ).content.decode()
    assert "已撤回" in page and "不再需要" in page and "撤回申请</h2>" not in page
    assert client.post(url, {"w-confirm": "on"}).status_code == 409


@pytest.mark.anydb
def test_rating_once_after_completion_and_public_statistics(client, guide):
    application, _ = submitted(client, guide)
    url = reverse("applications:rate", args=[application.tracking_number])
    assert client.post(url, {"r-score": "5"}).status_code == 409  # not completed yet
    officer = make_officer(guide.department)
    for action in ("accept", "start_review", "approve", "complete"):
        perform(application, action, user=officer)
    detail = reverse("applications:track_detail", args=[application.tracking_number])
    assert "评价本次服务" in client.get(detail).content.decode()
    assert client.post(url, {"r-score": "9"}).status_code == 400
    assert client.post(url, {"r-score": "4", "r-comment": "<b>很快</b>"}).status_code == 302
    second = client.post(url, {"r-score": "1"})
    assert second.status_code == 409 and "只能评价一次" in second.content.decode()
    rating = Rating.objects.get()
    assert (rating.score, rating.service_code, rating.comment) == (4, guide.item_code, "<b>很快</b>")

    stats = client.get(reverse("applications:ratings")).content.decode()
    assert "个体工商户设立登记" in stats and "100.0%" in stats and "<b>很快</b>" not in stats
    from django.template import Context, Template

    rendered = Template("{% load application_tags %}{% rating_summary guide %}").render(
        Context({"guide": guide})
    )
    assert "共 1 条评价，好评率 <strong>100.0%</strong>" in rendered and "满意" in rendered


def test_rating_summary_without_ratings(guide):
    from django.template import Context, Template

    rendered = Template("{% load application_tags %}{% rating_summary guide %}").render(
        Context({"guide": guide})
    )
    assert "该事项暂无评价" in rendered


def test_leaving_forgets_the_authorisation(client, guide):
    application, _ = submitted(client, guide)
    detail = reverse("applications:track_detail", args=[application.tracking_number])
    assert client.get(detail).status_code == 200
    client.post(reverse("applications:leave", args=[application.tracking_number]))
    assert client.get(detail).status_code == 302


def test_an_officer_transition_is_on_the_timeline(client, guide):
    application, _ = submitted(client, guide)
    perform(application, "refuse", user=make_officer(guide.department), reason="不属于本部门职权范围")
    page = client.get(
        reverse("applications:track_detail", args=[application.tracking_number])
    ).content.decode()
    assert "不予受理" in page and "不属于本部门职权范围" in page and "承办员" not in page
    assert ApplicationEvent.objects.filter(case=application, public=True).count() == 2


def test_every_kind_of_editor_field(client, folders):
    from cms.services.models import ApplicationFormField

    guide = make_guide(folders["czj"], item_code="FIELDS1")
    kinds = [
        ("下拉", "dropdown", "甲\n乙"),
        ("单选", "radio", "是,否"),
        ("多选", "checkboxes", "A,B,C"),
        ("日期", "date", ""),
        ("时间", "datetime", ""),
        ("数量", "number", ""),
        ("邮箱", "email", ""),
        ("网址", "url", ""),
        ("同意", "checkbox", ""),
    ]
    guide.form_fields = [
        ApplicationFormField(label=label, field_type=kind, choices=choices, required=True)
        for label, kind, choices in kinds
    ]
    guide.save_revision().publish()
    html = client.get(apply_url(guide)).content.decode()
    assert 'type="date"' in html and 'type="datetime-local"' in html and "<legend>单选" in html
    names = field_names(guide)
    values = [
        "乙",
        "否",
        ["A", "C"],
        "2025-03-01",
        "2025-03-01T09:30",
        "12.50",
        "a@b.cn",
        "https://x.cn",
        "on",
    ]
    data = form_data(guide, **dict(zip(names, values, strict=True)))
    response = client.post(apply_url(guide), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    entries = Application.objects.get().form_data
    assert [e["value"] for e in entries] == [
        "乙",
        "否",
        "A、C",
        "2025-03-01",
        "2025-03-01 09:30",
        "12.5",
        "a@b.cn",
        "https://x.cn",
        "是",
    ]


def test_csrf_is_checked_on_every_post(guide):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    assert browser.post(apply_url(guide), form_data(guide)).status_code == 403
    assert (
        browser.post(reverse("applications:track"), {"tracking_number": "x", "query_code": "y"}).status_code
        == 403
    )
    for name in ("withdraw", "rate", "leave"):
        assert browser.post(reverse(f"applications:{name}", args=["ZW2026010100001"])).status_code == 403
    # The supplement upload checks CSRF after its upload limit is in place, i.e. after the authorisation:
    # a session that may not act on the application is sent to the lookup before anything is read.
    response = browser.post(reverse("applications:supply", args=["ZW2026010100001"]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("applications:track"))
    assert Application.objects.count() == 0
    # With the token from the page, the form goes through.
    html = browser.get(apply_url(guide)).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    assert (
        browser.post(apply_url(guide), {**form_data(guide), "csrfmiddlewaretoken": token}).status_code == 302
    )
