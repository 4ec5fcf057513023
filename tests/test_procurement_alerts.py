"""Emails to suppliers through a real SMTP server on loopback (aiosmtpd) and the outbox: corrections and
terminations to everyone who downloaded the documents (also when published through the review
workflow), saved-search alerts at once or as a daily digest, and one-click unsubscribe."""

import datetime
import io
import re
from urllib.parse import quote

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from cms.casework import notify as outbox
from cms.casework.models import Notification
from cms.procurement.models import (
    CorrectionNotice,
    DownloadRecord,
    SavedSearch,
    SavedSearchDelivery,
    SupplierNotification,
)
from cms.procurement.suppliers import alerts, subscriptions
from cms.procurement.suppliers.tasks import send_alert_digests
from tests import test_casework_mail, test_editors
from tests.procurement_builders import (
    OTHER_USCC,
    make_award,
    make_correction,
    make_procurement_tree,
    make_project,
    make_supplier,
    make_tender,
    make_termination,
    publish,
)
from tests.test_editors import login, page_form_data
from tests.test_workflow import workflow_action_url

pytestmark = [pytest.mark.django_db, pytest.mark.anydb]

people = test_editors.people
smtp = test_casework_mail.smtp  # an SMTP server on loopback (aiosmtpd)
THIRD_USCC = "91410800MA44XQ2R8X"  # a third valid code (check character per GB 32100-2015)


def local(moment):
    return timezone.localtime(moment).strftime("%Y年%-m月%-d日 %H:%M")


@pytest.fixture
def tree(portal):
    return make_procurement_tree(portal)


@pytest.fixture
def project(tree):
    _, folders = tree
    project = make_project(folders["czj"], summary="采购办公桌椅、文件柜等办公家具一批，含安装调试。")
    make_tender(project, days=30)
    return project


def downloaded(project, supplier):
    version = project.files.first().published_version()
    return DownloadRecord.objects.create(supplier=supplier, project=project, version=version)


def to_suppliers(smtp):
    return [m for m in smtp.mailbox.messages if not m["To"].endswith("@jiyuan.gov.cn")]


def new_deadline(days=40):
    return (timezone.now() + datetime.timedelta(days=days)).replace(second=0, microsecond=0)


# --- corrections and terminations to the downloaders ------------------------------------------


def test_a_correction_reaches_every_downloader_once_by_smtp(
    project, smtp, django_capture_on_commit_callbacks
):
    smtp.start()
    first = make_supplier()
    second = make_supplier(uscc=OTHER_USCC, email="second@example.com", company="第二家供应商")
    make_supplier(uscc=THIRD_USCC, email="bystander@example.com", company="未下载的供应商")
    downloaded(project, first)
    downloaded(project, first)  # twice: still one email
    downloaded(project, second)
    old_deadline = project.bid_deadline
    moved = new_deadline()
    with django_capture_on_commit_callbacks(execute=True):
        correction = make_correction(
            project, new_bid_deadline=moved, body="<p>第三章技术参数第5项修改为：不低于<b>8核</b>。</p>"
        )
    received = {m["To"]: m for m in smtp.mailbox.messages}
    assert set(received) == {"bid@example.com", "second@example.com"}
    message = received["bid@example.com"]
    assert message["Subject"] == "【济源市政府采购】更正公告：济源市财政局办公设备采购项目（JYCG-2026-0001）"
    text = message.get_content()
    assert text.startswith("河南济源示例科技有限公司：")
    assert f"投标（响应）截止时间：{local(old_deadline)} → {local(moved)}" in text
    assert f"开标时间：{local(old_deadline)} → {local(moved)}" in text
    assert "第三章技术参数第5项修改为：不低于8核。" in text
    assert f"http://127.0.0.1:8000{correction.url}" in text
    assert "联系电话：0391-6633100" in text
    assert "第二家供应商" not in text  # each supplier gets its own email: nobody sees the others

    records = SupplierNotification.objects.filter(notice=correction)
    assert {r.supplier for r in records} == {first, second}
    assert all(r.notification.sent_at is not None for r in records)
    # Re-publishing the same correction (an edit) does not email again.
    with django_capture_on_commit_callbacks(execute=True):
        publish(CorrectionNotice.objects.get(pk=correction.pk))
    assert len(smtp.mailbox.messages) == 2 and records.count() == 2


def test_mail_server_down_delays_the_correction_email_and_never_the_notice(
    project,
    smtp,
    django_capture_on_commit_callbacks,
):
    supplier = make_supplier()
    downloaded(project, supplier)
    with django_capture_on_commit_callbacks(execute=True):
        correction = make_correction(project, new_bid_deadline=new_deadline())
    assert correction.live
    record = SupplierNotification.objects.get()
    assert record.notification.sent_at is None and record.notification.attempts == 1
    smtp.start()
    Notification.objects.update(next_attempt_at=timezone.now())
    assert outbox.deliver_due() == {"sent": 1, "failed": 0}
    assert smtp.mailbox.messages[0]["To"] == supplier.email


def test_a_termination_is_emailed_with_its_reason(project, smtp, django_capture_on_commit_callbacks):
    smtp.start()
    supplier = make_supplier()
    downloaded(project, supplier)
    with django_capture_on_commit_callbacks(execute=True):
        make_termination(project, reason="提交投标文件的供应商不足三家。")
    [message] = smtp.mailbox.messages
    assert message["Subject"].startswith("【济源市政府采购】终止公告：")
    assert "终止原因：提交投标文件的供应商不足三家。" in message.get_content()


def test_a_correction_approved_through_the_workflow_is_emailed(
    people, project, client, smtp, django_capture_on_commit_callbacks
):
    smtp.start()
    supplier = make_supplier()
    downloaded(project, supplier)
    moved = timezone.localtime(new_deadline(45)).replace(hour=9, minute=30)
    add = reverse("wagtailadmin_pages:add", args=["procurement", "correctionnotice", project.pk])
    login(client, people["czj_editor"])
    data = page_form_data(
        client,
        add,
        title="济源市财政局办公设备采购项目更正公告（一）",
        slug="correction-1",
        affects_bids="on",
        new_bid_deadline=moved.strftime("%Y-%m-%d %H:%M"),
        new_opening_at=moved.strftime("%Y-%m-%d %H:%M"),
        **{
            "documents-TOTAL_FORMS": "0",
            "documents-INITIAL_FORMS": "0",
            "documents-MIN_NUM_FORMS": "0",
            "documents-MAX_NUM_FORMS": "1000",
            "action-submit": "action-submit",
        },
    )
    response = client.post(add, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    correction = CorrectionNotice.objects.get()
    # Submitted, not published: no supplier told yet (Wagtail's own email goes to the reviewers).
    assert not correction.live and not to_suppliers(smtp)
    login(client, people["czj_reviewer"])
    with django_capture_on_commit_callbacks(execute=True):
        approved = client.post(workflow_action_url(correction, "approve"), {"comment": "同意"})
    assert approved.status_code == 302
    [message] = to_suppliers(smtp)
    assert message["To"] == supplier.email
    assert f"→ {local(moved)}" in message.get_content()
    assert SupplierNotification.objects.get().notice_id == correction.pk


# --- saved searches ---------------------------------------------------------------------------


def subscribe(supplier, **fields):
    return SavedSearch.objects.create(supplier=supplier, **fields)


def test_an_immediate_alert_for_a_matching_tender_with_one_click_unsubscribe(
    tree,
    smtp,
    client,
    django_capture_on_commit_callbacks,
):
    smtp.start()
    _, folders = tree
    fan = make_supplier()
    office = subscribe(fan, category="office", keywords="文件柜")
    subscribe(fan, method="open", buyer=folders["czj"].department)  # a second match: still one email
    other = make_supplier(uscc=OTHER_USCC, email="other@example.com")
    subscribe(other, category="vehicles")
    subscribe(other, keywords="不存在的关键词")
    unverified = make_supplier(uscc=THIRD_USCC, email="unverified@example.com", verified=False)
    subscribe(unverified)  # everything, but the address is not verified
    project = make_project(folders["czj"], summary="采购办公桌椅、文件柜等办公家具一批。")
    with django_capture_on_commit_callbacks(execute=True):
        tender = make_tender(project)
    [message] = smtp.mailbox.messages
    assert message["To"] == fan.email
    assert message["Subject"] == "【济源市政府采购】订阅提醒：采购公告 济源市财政局办公设备采购项目"
    text = message.get_content()
    assert f"采购公告：{tender.title}" in text and "预算金额：120万元" in text
    assert f"投标（响应）截止时间：{local(tender.bid_deadline)}" in text
    unsubscribe = f"http://127.0.0.1:8000/zfcg/supplier/unsubscribe/{office.unsubscribe_token}/"
    assert unsubscribe in text
    assert message["List-Unsubscribe"] == f"<{unsubscribe}>" or unsubscribe in message["List-Unsubscribe"]
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert SavedSearchDelivery.objects.filter(notice=tender, sent_at__isnull=False).count() == 2


def test_each_notice_reaches_a_subscription_once(project, smtp, django_capture_on_commit_callbacks):
    smtp.start()
    supplier = make_supplier()
    subscribe(supplier, keywords="办公 家具")
    with django_capture_on_commit_callbacks(execute=True):
        correction = make_correction(project, new_bid_deadline=new_deadline())
        publish(CorrectionNotice.objects.get(pk=correction.pk))
    assert len(smtp.mailbox.messages) == 1
    assert "订阅提醒：更正公告" in smtp.mailbox.messages[0]["Subject"]
    # A downloader gets the downloaders' email about a correction, not a second alert.
    downloaded(project, supplier)
    with django_capture_on_commit_callbacks(execute=True):
        make_correction(project, slug="correction-2", new_bid_deadline=new_deadline(50))
    assert len(smtp.mailbox.messages) == 2
    assert smtp.mailbox.messages[1]["Subject"].startswith("【济源市政府采购】更正公告：")
    assert SavedSearchDelivery.objects.count() == 2


def test_a_supplier_with_an_immediate_and_a_daily_match_gets_the_notice_once(
    tree, smtp, django_capture_on_commit_callbacks
):
    smtp.start()
    _, folders = tree
    both = make_supplier()
    subscribe(both, category="office")
    subscribe(both, keywords="办公设备", frequency="daily")
    daily_only = make_supplier(uscc=OTHER_USCC, email="daily@example.com")
    subscribe(daily_only, frequency="daily")
    with django_capture_on_commit_callbacks(execute=True):
        make_tender(make_project(folders["czj"]))
    assert [m["To"] for m in smtp.mailbox.messages] == [both.email]
    with django_capture_on_commit_callbacks(execute=True):
        assert alerts.send_digests(everything=True) == {"digests": 1, "notices": 1}
    assert [m["To"] for m in smtp.mailbox.messages] == [both.email, daily_only.email]


def test_a_downloader_told_of_a_correction_does_not_get_it_again_in_the_digest(
    project, smtp, django_capture_on_commit_callbacks
):
    smtp.start()
    supplier = make_supplier()
    subscribe(supplier, frequency="daily")
    downloaded(project, supplier)
    with django_capture_on_commit_callbacks(execute=True):
        make_correction(project, new_bid_deadline=new_deadline())
    with django_capture_on_commit_callbacks(execute=True):
        assert alerts.send_digests(everything=True) == {"digests": 0, "notices": 0}
    [message] = smtp.mailbox.messages
    assert message["Subject"].startswith("【济源市政府采购】更正公告：")


def test_keywords_match_title_number_and_summary_ignoring_case_and_width(project):
    supplier = make_supplier()
    tender = project.get_children().first().specific
    hits = [
        subscribe(supplier, keywords="ｊｙｃｇ-2026"),  # full-width, lower case
        subscribe(supplier, keywords="安装调试"),
        subscribe(supplier, keywords="办公设备，采购项目"),
    ]
    subscribe(supplier, keywords="办公设备 救护车")
    subscribe(supplier, category="medical")
    subscribe(supplier, method="single_source")
    assert {s.pk for s in alerts.matching(tender, project)} == {s.pk for s in hits}


def test_contract_and_award_notices(project, smtp, django_capture_on_commit_callbacks):
    smtp.start()
    subscribe(make_supplier())
    with django_capture_on_commit_callbacks(execute=True):
        make_award(project)
    assert [m["Subject"].split("：")[1].split(" ")[0] for m in smtp.mailbox.messages] == [
        "中标（成交）结果公告"
    ]


def test_the_daily_digest_goes_once_a_day_after_eight(
    tree, smtp, monkeypatch, django_capture_on_commit_callbacks
):
    smtp.start()
    _, folders = tree
    supplier = make_supplier()
    subscribe(supplier, category="office", frequency="daily")
    subscribe(supplier, buyer=folders["fgw"].department, frequency="daily")
    today = timezone.localtime().replace(hour=7, minute=0, second=0, microsecond=0)
    monkeypatch.setattr(timezone, "now", lambda: today)
    first = make_project(folders["czj"])
    second = make_project(
        folders["fgw"], number="JYCG-2026-0002", title="济源市发展改革委车辆采购项目", category="vehicles"
    )
    with django_capture_on_commit_callbacks(execute=True):
        make_tender(first)
        make_tender(second)
    assert not smtp.mailbox.messages and SavedSearchDelivery.objects.filter(sent_at__isnull=True).count() == 2

    out = io.StringIO()
    call_command("procurement", "send_alerts", stdout=out)  # 7:00: they came after yesterday's 8:00
    assert out.getvalue().strip() == "没有到期的订阅汇总。"
    assert not smtp.mailbox.messages
    monkeypatch.setattr(timezone, "now", lambda: today + datetime.timedelta(hours=1, minutes=1))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("procurement", "send_alerts", stdout=out)
        send_alert_digests.enqueue()  # the same as a task: run every minute, still one digest
    assert "已生成 1 封订阅汇总邮件，共 2 条公告" in out.getvalue()
    [message] = smtp.mailbox.messages
    assert message["Subject"] == f"【济源市政府采购】订阅汇总：2条新公告（{today:%Y-%m-%d}）"
    text = message.get_content()
    assert "济源市财政局办公设备采购项目招标公告" in text and "济源市发展改革委车辆采购项目招标公告" in text
    assert text.count("退订此订阅：") == 2
    assert not SavedSearchDelivery.objects.filter(sent_at__isnull=True).exists()


def test_a_withdrawn_notice_is_left_out_of_the_digest(project, django_capture_on_commit_callbacks):
    supplier = make_supplier()
    subscribe(supplier, frequency="daily")
    correction = make_correction(project, new_bid_deadline=new_deadline())
    correction.unpublish()
    assert alerts.send_digests(everything=True) == {"digests": 0, "notices": 0}
    assert not SavedSearchDelivery.objects.exists() and not Notification.objects.exists()


def test_unsubscribe_needs_a_post_and_accepts_the_one_click_post(project):
    from django.test import Client

    supplier = make_supplier()
    search = subscribe(supplier, category="office")
    link = reverse("procurement:unsubscribe", args=[search.unsubscribe_token])
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(link)
    assert page.status_code == 200 and "确认退订" in page.content.decode()
    assert SavedSearch.objects.filter(pk=search.pk).exists()  # a prefetching scanner changes nothing
    # RFC 8058: the mail client posts this body without any cookie or token.
    done = browser.post(link, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    assert done.status_code == 200 and "已退订" in done.content.decode()
    assert not SavedSearch.objects.filter(pk=search.pk).exists()
    gone = browser.get(link)
    assert gone.status_code == 404 and "该订阅已退订或链接无效" in gone.content.decode()
    assert browser.get(reverse("procurement:unsubscribe", args=["x" * 300])).status_code == 404


@pytest.mark.parametrize("token", ["\x00", "abc\x00def", "a.b", "退订", "x" * 65])
def test_a_malformed_unsubscribe_token_is_the_same_not_found_page(client, rf, token):
    subscribe(make_supplier())
    # The view itself, whatever middleware stands in front of it (a NUL would raise in PostgreSQL).
    for request in (rf.get("/"), rf.post("/", {"List-Unsubscribe": "One-Click"})):
        request.user = AnonymousUser()
        response = subscriptions.unsubscribe(request, token)
        assert response.status_code == 404
        assert "该订阅已退订或链接无效" in response.rendered_content
    link = "/zfcg/supplier/unsubscribe/" + quote(token) + "/"
    for response in (client.get(link), client.post(link, {"List-Unsubscribe": "One-Click"})):
        assert response.status_code in (400, 404)
    assert SavedSearch.objects.count() == 1


# --- the subscription pages -------------------------------------------------------------------


def test_a_subscription_from_the_lists_filters(tree, client):
    supplier = make_supplier()
    client.force_login(supplier.user)
    new = reverse("procurement:subscription_new")
    page = client.get(new + "?category=office&method=open&buyer=czj&q=家具&status=open&sort=deadline")
    text = page.content.decode()
    assert page.status_code == 200
    assert re.search(r'<option value="office" selected>', text)
    assert re.search(r'<option value="open" selected>', text)
    assert re.search(r'<option value="czj" selected>', text)
    assert 'value="家具"' in text and "不能用于订阅新公告" in text
    bogus = client.get(new + "?category=<script>&method=nope")
    assert bogus.status_code == 200 and "&lt;script&gt;" not in bogus.content.decode()

    data = {
        "category": "office",
        "method": "open",
        "buyer": "czj",
        "keywords": " 家具  ",
        "frequency": "daily",
    }
    created = client.post(new, data)
    assert created["Location"] == reverse("procurement:subscriptions") + "?done=added"
    search = SavedSearch.objects.get()
    assert (search.keywords, search.frequency, search.buyer.slug) == ("家具", "daily", "czj")
    listing = client.get(created["Location"]).content.decode()
    assert "订阅已保存" in listing and "/zfcg/?category=office&amp;method=open&amp;buyer=czj" in listing

    duplicate = client.post(new, data | {"keywords": "家具"})
    assert duplicate.status_code == 400 and "已有相同条件的订阅" in duplicate.content.decode()
    # Keywords are stored as matching reads them: separators, order, width and case do not count.
    ambulance = data | {"keywords": "救护车，担架、ＡＢＣ"}
    assert client.post(new, ambulance).status_code == 302
    assert SavedSearch.objects.get(keywords__contains="救护车").keywords == "救护车 担架 abc"
    for same in ("救护车 担架 abc", " 担架,ABC  救护车 ", "救护车；担架；abc；担架"):
        again = client.post(new, data | {"keywords": same})
        assert again.status_code == 400 and "已有相同条件的订阅" in again.content.decode(), same
    too_many = client.post(new, data | {"keywords": "一 二 三 四 五 六"})
    assert too_many.status_code == 400 and "最多填写 5 个关键词" in too_many.content.decode()
    invalid = client.post(new, data | {"category": "spaceships", "frequency": "hourly"})
    assert invalid.status_code == 400
    assert "所选采购品目不存在" in invalid.content.decode() and "请选择提醒方式" in invalid.content.decode()
    assert SavedSearch.objects.count() == 2


def test_only_ones_own_subscription_can_be_deleted(client):
    mine = subscribe(make_supplier())
    theirs = subscribe(make_supplier(uscc=OTHER_USCC, email="other@example.com"))
    client.force_login(mine.supplier.user)
    refused = client.post(reverse("procurement:subscription_delete", args=[theirs.pk]))
    assert refused.status_code == 404 and "未找到该订阅" in refused.content.decode()
    assert client.post(reverse("procurement:subscription_delete", args=[2**64])).status_code == 404
    assert client.get(reverse("procurement:subscription_delete", args=[mine.pk])).status_code == 405
    done = client.post(reverse("procurement:subscription_delete", args=[mine.pk]))
    assert done["Location"].endswith("?done=deleted")
    assert list(SavedSearch.objects.all()) == [theirs]
