"""Supplier accounts: registration with a checked credit code, the email verification link (through the
outbox), login by credit code or email with axes' lockout in Chinese, logout, password reset and change,
staff refused politely, and the account page showing the supplier's own data only."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from cms.casework.models import Notification
from cms.procurement.models import DownloadRecord, Supplier
from cms.procurement.suppliers import tokens
from tests.procurement_builders import (
    OTHER_USCC,
    VALID_USCC,
    make_procurement_tree,
    make_project,
    make_supplier,
    make_tender,
)

pytestmark = pytest.mark.django_db

REGISTER = reverse("procurement:supplier_register")
LOGIN = reverse("procurement:supplier_login")
ACCOUNT = reverse("procurement:supplier_account")
PASSWORD = "Supplier-pw-2026"


def form_data(**overrides):
    data = {
        "company_name": "河南济源 新能源科技有限公司",
        "uscc": "9111 0000 6000 3734 1l",  # spaces and a lower-case check character are forgiven
        "contact_name": "张经理",
        "phone": "139 0391 0001",
        "email": "Bids@Example.COM",
        "password1": "Jiyuan-bid-2026!",
        "password2": "Jiyuan-bid-2026!",
    }
    data.update(overrides)
    return data


def html(response):
    return response.content.decode()


def without_csrf(page):
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page)


def link_in(body, name):
    match = re.search(r"http://[^\s]+" + re.escape(name) + r"[^\s]*", body)
    assert match, body
    return match.group(0).removeprefix("http://127.0.0.1:8000")


# --- registration and verification ------------------------------------------------------------


@pytest.mark.anydb
def test_a_supplier_registers_verifies_the_email_by_link_and_is_logged_in(client):
    response = client.post(REGISTER, form_data())
    assert response.status_code == 302 and response["Location"] == ACCOUNT + "?welcome=1"
    supplier = Supplier.objects.get()
    assert supplier.uscc == VALID_USCC and supplier.user.username == VALID_USCC
    assert supplier.email == "bids@example.com" and supplier.phone == "13903910001"
    assert supplier.company_name == "河南济源 新能源科技有限公司" and not supplier.is_verified
    assert supplier.user.check_password("Jiyuan-bid-2026!") and not supplier.user.is_staff

    page = html(client.get(response["Location"]))
    assert "注册成功" in page and "尚未验证" in page and VALID_USCC in page

    mail = Notification.objects.get()
    assert mail.to == "bids@example.com" and "请验证" in mail.subject
    link = link_in(mail.body, "/zfcg/supplier/confirm/")

    # A mail scanner's GET changes nothing; the button (POST) verifies and logs in, in any browser.
    other = client.__class__()
    assert "确认验证并登录" in html(other.get(link))
    supplier.refresh_from_db()
    assert not supplier.is_verified
    response = other.post(link)
    assert response.status_code == 302 and response["Location"] == ACCOUNT + "?verified=1"
    supplier.refresh_from_db()
    assert supplier.is_verified
    assert "电子邮箱验证成功" in html(other.get(response["Location"]))
    # The link worked once.
    again = other.get(link)
    assert again.status_code == 200 and "邮箱已经验证" in html(again)


def test_a_wrong_check_character_is_named_and_linked_from_the_error_summary(client):
    response = client.post(REGISTER, form_data(uscc="91110000600037341X"))
    assert response.status_code == 400
    page = html(response)
    assert "统一社会信用代码校验位不正确" in page
    assert 'href="#id_uscc"' in page
    assert re.search(r'<input[^>]*name="uscc"[^>]*aria-invalid="true"', page)
    assert 'aria-describedby="id_uscc_helptext id_uscc_error"' in page
    assert 'value="河南济源 新能源科技有限公司"' in page  # what was typed is kept
    assert not Supplier.objects.exists() and not Notification.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"uscc": "1234"}, "统一社会信用代码应为18位"),
        ({"email": "not-an-email"}, "请填写正确的电子邮箱地址"),
        ({"phone": "12345"}, "请填写正确的联系电话"),
        ({"password2": "something-else-2026"}, "两次输入的密码不一致"),
        ({"password1": "12345678", "password2": "12345678"}, "这个密码太常见了"),
        ({"company_name": ""}, "请填写单位名称"),
        ({"company_name": "公" * 101}, "单位名称最多 100 个字"),
    ],
)
def test_bad_registrations_get_a_chinese_message_and_nothing_is_created(client, overrides, message):
    response = client.post(REGISTER, form_data(**overrides))
    assert response.status_code == 400
    assert message in html(response)
    assert not Supplier.objects.exists() and not get_user_model().objects.exists()


def test_a_registered_code_or_email_is_refused_without_saying_whose(client):
    make_supplier(email="first@example.com", company="第一家公司")
    taken_code = client.post(REGISTER, form_data())
    assert taken_code.status_code == 400
    assert "该统一社会信用代码已注册供应商账号" in html(taken_code)
    assert "first@example.com" not in html(taken_code) and "第一家公司" not in html(taken_code)
    taken_email = client.post(REGISTER, form_data(uscc=OTHER_USCC, email="FIRST@example.com"))
    assert taken_email.status_code == 400 and "该电子邮箱已被其他供应商账号使用" in html(taken_email)
    assert Supplier.objects.count() == 1


def test_registration_is_rate_limited_per_address(client, settings):
    settings.CASEWORK_RATES = {"post": ("3/m",), "submit": ("5/m",)}
    statuses = [client.post(REGISTER, form_data(uscc="bad")).status_code for _ in range(4)]
    assert statuses == [400, 400, 400, 429]
    refused = client.post(REGISTER, form_data())
    assert refused.status_code == 429 and refused["Retry-After"] and "操作过于频繁" in html(refused)
    assert not Supplier.objects.exists()


def test_an_expired_or_forged_verification_link_asks_to_resend(client, monkeypatch):
    supplier = make_supplier(verified=False)
    uid, token = tokens.make(supplier)
    link = reverse("procurement:supplier_confirm_email", args=[uid, token])
    forged = reverse("procurement:supplier_confirm_email", args=[uid, token[:-2] + "zz"])
    assert client.get(forged).status_code == 400
    assert client.post(forged).status_code == 400
    later = tokens.email_verification._now() + timezone.timedelta(days=4)
    monkeypatch.setattr(tokens.email_verification, "_now", lambda: later)
    expired = client.get(link)
    assert expired.status_code == 400 and "验证链接无效或已过期" in html(expired)
    assert client.get(reverse("procurement:supplier_confirm_email", args=["!!", "x"])).status_code == 400
    supplier.refresh_from_db()
    assert not supplier.is_verified


def test_the_account_page_resends_the_link_and_only_the_newest_state_counts(client):
    supplier = make_supplier(verified=False)
    client.force_login(supplier.user)
    response = client.post(reverse("procurement:supplier_resend_verification"))
    assert response["Location"] == ACCOUNT + "?sent=1"
    assert "验证邮件已重新发送" in html(client.get(response["Location"]))
    link = link_in(Notification.objects.get().body, "/zfcg/supplier/confirm/")
    assert client.post(link).status_code == 302
    supplier.refresh_from_db()
    assert supplier.is_verified
    assert client.post(reverse("procurement:supplier_resend_verification"))["Location"] == ACCOUNT
    assert Notification.objects.count() == 1  # verified: nothing more to send


# --- login, lockout, logout -------------------------------------------------------------------


@pytest.mark.anydb
def test_login_by_credit_code_or_email_and_back_to_next(client):
    make_supplier(email="bid@example.com")
    target = "/zfcg/supplier/subscriptions/"
    by_code = client.post(LOGIN, {"account": VALID_USCC.lower(), "password": PASSWORD, "next": target})
    assert by_code.status_code == 302 and by_code["Location"] == target
    client.logout()
    by_email = client.post(LOGIN, {"account": " BID@example.com ", "password": PASSWORD})
    assert by_email.status_code == 302 and by_email["Location"] == ACCOUNT
    client.logout()
    elsewhere = client.post(
        LOGIN, {"account": VALID_USCC, "password": PASSWORD, "next": "https://evil.example/"}
    )
    assert elsewhere["Location"] == ACCOUNT


def test_a_wrong_password_gets_one_generic_message(client):
    make_supplier()
    for account in (VALID_USCC, "nobody@example.com", OTHER_USCC):
        response = client.post(LOGIN, {"account": account, "password": "wrong-password"})
        assert response.status_code == 400
        assert "账号或密码不正确" in html(response)
    empty = client.post(LOGIN, {"account": "", "password": ""})
    assert empty.status_code == 400 and "请填写统一社会信用代码或注册邮箱" in html(empty)


@override_settings(AXES_ENABLED=True)
def test_repeated_failures_lock_the_account_with_a_chinese_page_and_the_wait(client):
    make_supplier()
    statuses = [
        client.post(LOGIN, {"account": VALID_USCC, "password": f"wrong-{n}"}).status_code for n in range(4)
    ]
    assert statuses == [400, 400, 400, 400]
    fifth = client.post(LOGIN, {"account": VALID_USCC, "password": "wrong-5"})
    assert fifth.status_code == 429
    page = html(fifth)
    assert "密码错误次数过多，登录已暂停" in page and "请约 60 分钟后再试" in page
    assert fifth["Retry-After"] == "3600"
    # Even the right password now waits, also when the email is typed instead of the code.
    locked = client.post(LOGIN, {"account": "bid@example.com", "password": PASSWORD})
    assert locked.status_code == 429 and "登录已暂停" in html(locked)
    assert "_auth_user_id" not in client.session
    # Another address is not locked out.
    elsewhere = client.__class__(REMOTE_ADDR="10.0.0.9")
    assert elsewhere.post(LOGIN, {"account": VALID_USCC, "password": PASSWORD}).status_code == 302


@override_settings(AXES_ENABLED=True)
def test_a_staff_name_counts_towards_the_lockout_even_with_its_right_password(client):
    get_user_model().objects.create_user("editor", "editor@jiyuan.gov.cn", PASSWORD, is_staff=True)
    statuses = [client.post(LOGIN, {"account": "editor", "password": PASSWORD}).status_code for _ in range(5)]
    assert statuses == [400, 400, 400, 400, 429]
    assert "_auth_user_id" not in client.session


@override_settings(AXES_ENABLED=True)
def test_a_password_reset_ends_the_lockout(client):
    supplier = make_supplier()
    for n in range(5):
        client.post(LOGIN, {"account": VALID_USCC, "password": f"wrong-{n}"})
    assert client.post(LOGIN, {"account": VALID_USCC, "password": PASSWORD}).status_code == 429
    client.post(reverse("procurement:supplier_password_reset"), {"email": supplier.email})
    link = link_in(Notification.objects.get().body, "/zfcg/supplier/password/reset/")
    form_url = client.get(link)["Location"]
    new = "New-Jiyuan-pw-2026"
    done = client.post(form_url, {"new_password1": new, "new_password2": new})
    assert done.status_code == 302
    assert client.post(LOGIN, {"account": VALID_USCC, "password": new}).status_code == 302


def test_staff_cannot_log_in_or_use_the_supplier_pages(client):
    staff = get_user_model().objects.create_user("editor", "editor@jiyuan.gov.cn", PASSWORD, is_staff=True)
    # The right and a wrong staff password get the same answer: this page confirms no staff password.
    right = client.post(LOGIN, {"account": "editor", "password": PASSWORD})
    wrong = client.post(LOGIN, {"account": "editor", "password": "wrong-password"})
    assert right.status_code == wrong.status_code == 400
    assert "账号或密码不正确" in html(right) and "该账号不是供应商账号" not in html(right)
    assert without_csrf(html(right)) == without_csrf(html(wrong))
    assert "_auth_user_id" not in client.session
    client.force_login(staff)
    for url in (
        ACCOUNT,
        REGISTER,
        reverse("procurement:subscriptions"),
        reverse("procurement:download", args=[1]),
    ):
        refused = client.get(url)
        assert refused.status_code == 403, url
        assert "此功能仅供供应商账号使用" in html(refused)
    assert client.session["_auth_user_id"] == str(staff.pk)  # still logged in to the admin


def test_logout_is_a_post(client):
    supplier = make_supplier()
    client.force_login(supplier.user)
    offer = client.get(reverse("procurement:supplier_logout"))
    assert offer.status_code == 200 and "退出登录" in html(offer)
    assert client.get(ACCOUNT).status_code == 200  # a GET logged nobody out
    assert client.post(reverse("procurement:supplier_logout"))["Location"] == "/zfcg/"
    assert client.get(ACCOUNT)["Location"] == f"{LOGIN}?next=%2Fzfcg%2Fsupplier%2F"


# --- password reset and change ----------------------------------------------------------------


@pytest.mark.anydb
def test_password_reset_by_email_through_the_outbox(client):
    supplier = make_supplier(verified=False)
    reset = reverse("procurement:supplier_password_reset")
    unknown = client.post(reset, {"email": "nobody@example.com"})
    known = client.post(reset, {"email": "BID@example.com"})
    assert unknown["Location"] == known["Location"] == reverse("procurement:supplier_password_reset_done")
    mail = Notification.objects.get()
    assert mail.to == supplier.email and mail.subject == "【济源市政府采购】重置供应商账号密码"
    link = link_in(mail.body, "/zfcg/supplier/password/reset/")
    form_page = client.get(link, follow=True)
    assert "设置新密码" in html(form_page)
    form_url = form_page.redirect_chain[-1][0]
    weak = client.post(form_url, {"new_password1": "123", "new_password2": "123"})
    assert weak.status_code == 400 and "提交未成功" in html(weak)
    new = "New-Jiyuan-pw-2026"
    assert client.post(form_url, {"new_password1": new, "new_password2": new}).status_code == 302
    supplier.refresh_from_db()
    assert supplier.user.check_password(new)
    assert supplier.is_verified  # the link reached the registered address
    used = client.get(link, follow=True)
    assert "链接无效或已过期" in html(used)
    assert client.post(reset, {"email": "bad"}).status_code == 400


def test_staff_addresses_get_no_supplier_reset_email(client):
    get_user_model().objects.create_user("editor", "editor@jiyuan.gov.cn", PASSWORD, is_staff=True)
    client.post(reverse("procurement:supplier_password_reset"), {"email": "editor@jiyuan.gov.cn"})
    assert not Notification.objects.exists()


def test_password_change(client):
    supplier = make_supplier()
    client.force_login(supplier.user)
    url = reverse("procurement:supplier_password_change")
    wrong = client.post(
        url, {"old_password": "nope", "new_password1": "A-new-pw-2026", "new_password2": "A-new-pw-2026"}
    )
    assert wrong.status_code == 400
    done = client.post(
        url, {"old_password": PASSWORD, "new_password1": "A-new-pw-2026", "new_password2": "A-new-pw-2026"}
    )
    assert done["Location"] == ACCOUNT + "?password=1"
    assert client.get(ACCOUNT).status_code == 200  # still logged in
    supplier.user.refresh_from_db()
    assert supplier.user.check_password("A-new-pw-2026")


# --- the account page -------------------------------------------------------------------------


@pytest.mark.anydb
def test_the_account_page_shows_the_suppliers_own_downloads_only(portal, client):
    _, folders = make_procurement_tree(portal)
    project = make_project(folders["czj"])
    make_tender(project)
    version = project.files.get().published_version()
    mine = make_supplier()
    theirs = make_supplier(uscc=OTHER_USCC, email="other@example.com", company="另一家供应商")
    DownloadRecord.objects.create(supplier=mine, project=project, version=version)
    other_project = make_project(folders["fgw"], number="JYCG-2026-0002", title="发改委专用项目")
    make_tender(other_project)
    DownloadRecord.objects.create(
        supplier=theirs, project=other_project, version=other_project.files.get().published_version()
    )
    client.force_login(mine.user)
    page = html(client.get(ACCOUNT))
    assert project.title in page and "第1版" in page and "已验证" in page
    assert "发改委专用项目" not in page and "另一家供应商" not in page
    assert "共 1 次下载" in page
