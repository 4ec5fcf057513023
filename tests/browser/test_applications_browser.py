"""网上申请 in a real browser: axe-core (WCAG 2.1 AA) on the application form (blank, and with its error
summary), the receipt and the tracking page with a supplement form; the error summary takes the focus and
its links reach the fields; a complete submission with files goes through under the real CSP.

Screenshots for a visual review:
    PORTAL_SCREENSHOTS=/tmp/shots pytest tests/browser/test_applications_browser.py

Debian's Chromium through Playwright, as in test_pages_a11y.py. Everything the database must hold is built
in the fixtures: no ORM call may happen while Playwright's event loop runs in this thread.
"""

import os
import shutil
from types import SimpleNamespace

import pytest

from cms.casework.workflow import perform
from tests.browser.test_pages_a11y import CHROMIUM_ARGS, DESKTOP, PHONE, axe_check
from tests.casework_builders import VALID_RESIDENT_ID, make_application, make_guide, make_officer
from tests.conftest import CHROMIUM, need_server
from tests.test_applications import _clean_private_storage, light_portal  # noqa: F401 - fixture
from tests.test_uploads import image_bytes, pdf_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def scenario(db):
    folders = light_portal()
    guide = make_guide(folders["czj"])
    waiting, code = make_application(guide)
    officer = make_officer(guide.department)
    perform(waiting, "accept", user=officer)
    perform(waiting, "request_supplement", user=officer, reason="身份证明复印件不清晰，请重新上传")
    required, optional = list(guide.materials.all())
    return SimpleNamespace(
        apply=f"/zwfw/apply/{guide.pk}/",
        required=f"id_m-{required.pk}",
        optional=f"id_m-{optional.pk}",
        waiting=waiting.tracking_number,
        code=code,
    )


@pytest.fixture
def browser(scenario, live_server):
    if not shutil.which(CHROMIUM):
        need_server("Chromium", f"{CHROMIUM} is not installed (scripts/chromium.sh)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def check_both_widths(page, label):
    shots = os.environ.get("PORTAL_SCREENSHOTS")
    if shots:
        page.screenshot(path=os.path.join(shots, f"{label.replace(' ', '-')}.png"), full_page=True)
    axe_check(page, label)
    page.set_viewport_size(PHONE)
    page.wait_for_timeout(200)
    axe_check(page, f"{label} at {PHONE['width']}px")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), (
        f"{label} scrolls sideways"
    )
    page.set_viewport_size(DESKTOP)


def test_form_receipt_and_tracking_are_accessible(scenario, live_server, browser):
    ctx = browser.new_context(locale="zh-CN", viewport=DESKTOP)  # the real CSP: no bypass
    page = ctx.new_page()
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        page.goto(live_server.url + scenario.apply)
        check_both_widths(page, "application form")

        # Submitted empty: the summary has the focus and its links lead to the fields.
        page.get_by_role("button", name="提交申请").click()
        page.wait_for_load_state()
        summary = page.locator(".zw-errors")
        assert summary.is_visible()
        assert page.evaluate("document.activeElement.classList.contains('zw-errors')")
        assert "提交未成功" in summary.inner_text()
        check_both_widths(page, "application form with errors")
        summary.get_by_role("link", name="请填写公民身份号码").click()
        assert page.evaluate("document.activeElement.id") == "id_id_number"
        described = page.locator("#id_id_number").get_attribute("aria-describedby")
        assert described == "id_id_number_helptext id_id_number_error"
        assert page.locator("#id_id_number_error").inner_text() == "请填写公民身份号码"

        # Filled in properly, with files: the receipt.
        page.get_by_label("姓名").fill("王小明")
        page.get_by_label("公民身份号码").fill(VALID_RESIDENT_ID)
        page.get_by_label("联系电话").fill("13903910001")
        page.get_by_label("电子邮箱").fill("wang@example.com")
        page.get_by_label("通信地址").fill("济源市济水大街1号")
        page.get_by_role("textbox", name="经营场所").fill("济源市天坛路88号")
        page.get_by_label("经营范围").fill("日用百货零售")
        page.set_input_files(
            f"#{scenario.required}",
            {"name": "身份证.jpg", "mimeType": "image/jpeg", "buffer": image_bytes("JPEG")},
        )
        page.set_input_files(
            f"#{scenario.optional}",
            {"name": "证明.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()},
        )
        page.locator("#id_consent").check()
        page.get_by_role("button", name="提交申请").click()
        page.wait_for_url("**/zwfw/receipt/**")
        text = page.locator("main").inner_text()
        assert "您的申请已提交成功" in text and VALID_RESIDENT_ID not in text
        assert VALID_RESIDENT_ID[:4] + "*" * 10 + VALID_RESIDENT_ID[-4:] in text
        assert page.locator(".js-print").is_visible()  # portal.js revealed it
        check_both_widths(page, "receipt")

        # Tracking another application that waits for a supplement.
        page.goto(live_server.url + "/zwfw/track/")
        check_both_widths(page, "tracking lookup")
        page.get_by_label("受理编号").fill(scenario.waiting)
        page.get_by_label("查询码").fill("wrong000")
        page.get_by_role("button", name="查询").click()
        assert "受理编号或查询码不正确" in page.locator(".zw-errors").inner_text()
        page.get_by_label("查询码").fill(scenario.code.lower())
        page.get_by_role("button", name="查询").click()
        page.wait_for_url(f"**/zwfw/track/{scenario.waiting}/")
        text = page.locator("main").inner_text()
        assert "需要补正材料" in text and "身份证明复印件不清晰" in text and "王**" in text
        check_both_widths(page, "tracking page with a supplement form")
        # The form and the lookup answer 400 when they show errors; anything else is a fault.
        assert [e for e in errors if "status of 400" not in e] == [], errors
    finally:
        ctx.close()
