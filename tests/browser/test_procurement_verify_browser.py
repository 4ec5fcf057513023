"""The verify page (/zfcg/verify/) in a real browser: axe-core (WCAG 2.1 AA) with a result, with no match
and with an error, on desktop and phone; checking a file through the upload form; the error summary
links to the field. Follows tests/browser/test_pages_a11y.py (Debian's Chromium through Playwright)."""

import hashlib
import shutil
from types import SimpleNamespace

import pytest

from tests.browser.test_pages_a11y import CHROMIUM_ARGS, DESKTOP, PHONE, axe_check
from tests.conftest import CHROMIUM, need_server
from tests.procurement_builders import make_procurement_tree, make_project, make_tender, pdf_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

DOCUMENT = pdf_bytes("济源市财政局办公设备采购项目 招标文件")


@pytest.fixture
def verify_site(portal, tmp_path):
    """A published tender with one document, and every address the tests visit, computed before the
    browser starts (no ORM call may happen inside a test body while Playwright's event loop runs)."""
    _, folders = make_procurement_tree(portal)
    make_tender(make_project(folders["czj"]), files=[("招标文件", DOCUMENT)])
    document = tmp_path / "招标文件.pdf"
    document.write_bytes(DOCUMENT)
    digest = hashlib.sha256(DOCUMENT).hexdigest()
    return SimpleNamespace(
        document=document,
        urls={
            "blank": "/zfcg/verify/",
            "result": f"/zfcg/verify/?sha256={digest}",
            "no match": "/zfcg/verify/?sha256=" + "0" * 64,
            "error": "/zfcg/verify/?sha256=12345",
        },
    )


@pytest.fixture
def browser(verify_site, live_server):
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


@pytest.mark.parametrize(
    ("key", "status"), [("blank", 200), ("result", 200), ("no match", 200), ("error", 400)]
)
def test_verify_pages_have_no_serious_axe_violations(verify_site, live_server, context, key, status):
    page = context.new_page()
    assert page.goto(live_server.url + verify_site.urls[key]).status == status
    axe_check(page, f"verify page ({key})")
    page.set_viewport_size(PHONE)
    page.wait_for_timeout(300)
    axe_check(page, f"verify page ({key}) at {PHONE['width']}px")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "no sideways scrolling"


def test_a_supplier_checks_a_downloaded_file(verify_site, live_server, context):
    page = context.new_page()
    page.goto(live_server.url + verify_site.urls["blank"])
    page.get_by_label("选择要校验的文件").set_input_files(str(verify_site.document))
    page.get_by_role("button", name="校验文件").click()
    page.wait_for_load_state()
    result = page.locator("#result-title")
    assert "校验通过" in result.inner_text()
    assert page.evaluate("document.activeElement.getAttribute('aria-labelledby')") == "result-title"
    facts = page.locator(".trust-result").inner_text()
    assert "JYCG-2026-0001" in facts and "招标文件，第1版" in facts and "平台当前密钥" in facts
    axe_check(page, "verify page after an upload")


def test_the_error_summary_leads_to_the_field(verify_site, live_server, context):
    page = context.new_page()
    page.goto(live_server.url + "/zfcg/verify/")
    page.get_by_label("SHA-256 摘要").fill("不是摘要")
    page.get_by_role("button", name="查询摘要").click()
    page.wait_for_load_state()
    summary = page.locator(".zw-errors")
    assert page.evaluate("document.activeElement.classList.contains('zw-errors')")
    summary.get_by_role("link").click()
    assert page.evaluate("document.activeElement.id") == "id_sha256"
    described = page.locator("#id_sha256").get_attribute("aria-describedby")
    assert "id_sha256_error" in described and "id_sha256_helptext" in described
