"""The supplier pages in a real browser: axe-core (WCAG 2.1 AA) on the registration form with its errors, the
login page, the account page and the subscription form, on a desktop and a phone; the error summary
takes the focus and links to the fields; login works by keyboard. Follows tests/browser/test_pages_a11y.py
(Debian's Chromium through Playwright, never a browser download)."""

import shutil

import pytest

from cms.procurement.models import DownloadRecord, SavedSearch
from tests.browser.test_pages_a11y import CHROMIUM_ARGS, DESKTOP, PHONE, axe_check
from tests.conftest import CHROMIUM, need_server
from tests.procurement_builders import (
    VALID_USCC,
    make_correction,
    make_procurement_tree,
    make_project,
    make_supplier,
    make_tender,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "Supplier-pw-2026"


@pytest.fixture
def supplier_site(portal):
    """A supplier with a download, a notice received and a subscription; every address computed before
    the browser starts (no ORM call may happen inside a test body while Playwright's loop runs)."""
    _, folders = make_procurement_tree(portal)
    project = make_project(folders["czj"])
    make_tender(project)
    supplier = make_supplier()
    version = project.files.get().published_version()
    DownloadRecord.objects.create(supplier=supplier, project=project, version=version)
    make_correction(project)  # emailed to the supplier: listed under 收到的公告通知
    SavedSearch.objects.create(supplier=supplier, category="office", keywords="家具")
    return {
        "register": "/zfcg/supplier/register/",
        "login": "/zfcg/supplier/login/",
        "account": "/zfcg/supplier/",
        "subscription": "/zfcg/supplier/subscriptions/new/?category=office&method=open&buyer=czj&q=家具",
        "subscriptions": "/zfcg/supplier/subscriptions/",
        "project_title": project.title,
    }


@pytest.fixture
def browser(supplier_site, live_server):
    if not shutil.which(CHROMIUM):
        need_server("Chromium", f"{CHROMIUM} is not installed (scripts/chromium.sh)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def context(browser):
    ctx = browser.new_context(bypass_csp=True, locale="zh-CN", viewport=DESKTOP)
    yield ctx
    ctx.close()


def check_both_sizes(page, label):
    axe_check(page, label)
    page.set_viewport_size(PHONE)
    page.wait_for_timeout(300)
    axe_check(page, f"{label} at {PHONE['width']}px")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "no sideways scrolling"
    page.set_viewport_size(DESKTOP)


def test_registration_errors_are_summarised_focused_and_linked(supplier_site, live_server, context):
    page = context.new_page()
    assert page.goto(live_server.url + supplier_site["register"]).status == 200
    check_both_sizes(page, "supplier registration")
    page.get_by_label("单位名称").fill("河南济源测试有限公司")
    page.get_by_label("统一社会信用代码").fill("91110000600037341X")  # wrong check character
    page.get_by_label("电子邮箱").fill("not-an-email")
    with page.expect_navigation():
        page.get_by_role("button", name="注册").click()
    summary = page.locator(".zw-errors")
    assert summary.is_visible()
    assert page.evaluate("document.activeElement.classList.contains('zw-errors')"), (
        "the summary takes the focus"
    )
    assert "统一社会信用代码校验位不正确" in summary.inner_text()
    uscc = page.get_by_label("统一社会信用代码")
    assert uscc.get_attribute("aria-invalid") == "true"
    assert "id_uscc_error" in uscc.get_attribute("aria-describedby")
    summary.get_by_role("link", name="统一社会信用代码校验位不正确，请核对后重新输入").click()
    assert page.evaluate("document.activeElement.id") == "id_uscc"
    check_both_sizes(page, "supplier registration with errors")


def test_login_by_keyboard_then_the_account_page(supplier_site, live_server, context):
    page = context.new_page()
    assert page.goto(live_server.url + supplier_site["login"]).status == 200
    check_both_sizes(page, "supplier login")
    page.get_by_label("账号").fill(VALID_USCC)
    page.get_by_label("密码").fill(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(supplier_site["account"])
    assert page.get_by_role("heading", level=1).inner_text() == "供应商中心"
    assert supplier_site["project_title"] in page.locator("#downloads-title + .table-wrap").inner_text()
    assert page.get_by_role("heading", name="收到的公告通知").is_visible()
    check_both_sizes(page, "supplier account")

    page.goto(live_server.url + supplier_site["subscription"])
    assert page.get_by_label("采购品目").input_value() == "office"
    assert page.get_by_label("采购人").input_value() == "czj"
    check_both_sizes(page, "new subscription")
    page.get_by_label("每日汇总：每天上午8时发送一封汇总邮件").check()
    with page.expect_navigation():
        page.get_by_role("button", name="保存订阅").click()
    assert "订阅已保存" in page.locator("main").inner_text()
    check_both_sizes(page, "subscriptions")
