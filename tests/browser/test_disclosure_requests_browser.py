"""依申请公开 in a real browser: axe-core (WCAG 2.1 AA) on the form (blank, and with its error summary), the
receipt, the lookup form and the tracking page with a supplement form; the error summary takes the focus,
its links reach the fields, the identity fields follow the applicant kind, and all of it under the real CSP.

Debian's Chromium through Playwright, as in test_pages_a11y.py. The request waiting for a supplement is
built in the fixture: no ORM call may happen while Playwright's event loop runs in this thread.

Screenshots for a visual review:
    PORTAL_SCREENSHOTS=/tmp/shots pytest tests/browser/test_disclosure_requests_browser.py
"""

import os
import re
import shutil

import pytest

from cms.casework.workflow import OFFICER, perform
from tests.browser.test_pages_a11y import CHROMIUM_ARGS, DESKTOP, PHONE, axe_check
from tests.casework_builders import VALID_RESIDENT_ID, make_officer, make_request
from tests.conftest import CHROMIUM, need_server

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SHOTS = os.environ.get("PORTAL_SCREENSHOTS")  # a directory for a visual review
FORM = "/xxgk/ysqgk/"
TRACK = "/xxgk/ysqgk/track/"


@pytest.fixture
def waiting(portal):
    """A request of 市财政局 waiting for the applicant's supplement; returns (tracking number, code)."""
    department = portal.departments["czj"]
    request, code = make_request(department)
    perform(
        request,
        "request_supplement",
        by=OFFICER,
        user=make_officer(department),
        reason="请写明项目名称和年份",
    )
    return request.tracking_number, code


@pytest.fixture
def browser(waiting, live_server):
    if not shutil.which(CHROMIUM):
        need_server("Chromium", f"{CHROMIUM} is not installed (scripts/chromium.sh)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def check_both_widths(page, label):
    axe_check(page, label)
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/ysqgk-{label.replace(' ', '-')}.png", full_page=True)
    page.set_viewport_size(PHONE)
    page.wait_for_timeout(300)
    axe_check(page, f"{label} at {PHONE['width']}px")
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/ysqgk-{label.replace(' ', '-')}-phone.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), (
        f"{label} scrolls sideways"
    )
    page.set_viewport_size(DESKTOP)


def test_form_receipt_and_tracking_are_accessible(waiting, live_server, browser):
    # The real CSP: our own scripts run (no bypass), and nothing is reported.
    ctx = browser.new_context(locale="zh-CN", viewport=DESKTOP)
    page = ctx.new_page()
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        page.goto(live_server.url + FORM)
        check_both_widths(page, "request form")
        # The identity fields follow the applicant kind (requests.js).
        assert page.locator("[data-kind='person']").is_visible()
        assert not page.locator("[data-kind='organisation']").is_visible()
        page.get_by_label("商业企业").check()
        assert page.locator("[data-kind='organisation']").is_visible()
        assert not page.locator("[data-kind='person']").is_visible()
        page.get_by_label("自然人", exact=True).check()

        # Submitted with mistakes: the summary takes the focus and its links reach the fields.
        page.locator("#id_name").fill("李华")
        page.get_by_label("证件号码").fill("110105194912310021")
        page.get_by_role("button", name="提交申请").click()
        page.wait_for_load_state()
        assert page.title().startswith("（有错误）")
        assert page.evaluate("document.activeElement.classList.contains('error-summary')")
        summary = page.locator(".error-summary")
        assert "身份证号码校验位不正确" in summary.inner_text()
        check_both_widths(page, "request form with errors")
        page.locator(".error-summary a[href='#id_id_number']").click()
        assert page.evaluate("document.activeElement.id") == "id_id_number"
        assert page.get_attribute("#id_id_number", "aria-invalid") == "true"

        page.get_by_label("证件号码").fill(VALID_RESIDENT_ID)
        page.get_by_label("联系电话").fill("13903910002")
        page.get_by_label("电子邮箱").fill("lihua@example.com")
        page.get_by_label("通信地址").fill("济源市济水大街1号")
        page.get_by_label("申请公开的机关").select_option(label="济源市财政局")
        page.get_by_label("所需政府信息的内容描述").fill("2025年济源市城区道路改造项目的预算批复文件")
        page.get_by_label("电子数据").check()
        page.get_by_label("网上获取").check()
        page.locator("#id_consent").check()
        page.get_by_role("button", name="提交申请").click()
        page.wait_for_url(re.compile(r"/xxgk/ysqgk/receipt/YS\d{13}/$"))
        number = page.locator(".ysq-number").inner_text().strip()
        code = page.locator(".ysq-code").inner_text().strip()
        assert re.fullmatch(r"[2-9A-Z]{8}", code)
        assert page.locator(".js-print").is_visible()
        check_both_widths(page, "receipt")

        page.get_by_role("link", name="查看办理进度").click()
        assert (
            number in page.locator("main").inner_text()
            and "已收到，办理中" in page.locator("main").inner_text()
        )
        # The form with errors is answered 400 on purpose; anything else (CSP, a script error) is not.
        assert not [e for e in errors if "status of 400" not in e], errors
    finally:
        ctx.close()

    # The lookup, and the tracking page of a request waiting for a supplement (axe injected: CSP bypassed).
    ctx = browser.new_context(bypass_csp=True, locale="zh-CN", viewport=DESKTOP)
    page = ctx.new_page()
    try:
        page.goto(live_server.url + TRACK)
        page.get_by_label("受理编号").fill(waiting[0])
        page.get_by_label("查询码").fill("WRONG222")
        page.get_by_role("button", name="查询").click()
        assert "受理编号或查询码不正确" in page.locator(".error-summary").inner_text()
        check_both_widths(page, "lookup with an error")
        page.get_by_label("查询码").fill(waiting[1].lower())
        page.get_by_role("button", name="查询").click()
        page.wait_for_url(re.compile(rf"/xxgk/ysqgk/track/{waiting[0]}/$"))
        main = page.locator("main").inner_text()
        assert "待补正" in main and "请写明项目名称和年份" in main and "暂停计算" in main
        check_both_widths(page, "tracking page with a supplement form")
        page.get_by_role("button", name="提交补正").click()  # empty: refused, explained
        assert "请填写补正说明或上传补正材料" in page.locator(".error-summary").inner_text()
        check_both_widths(page, "tracking page with a supplement error")
        page.get_by_label("补正说明").fill("2025年城区道路改造项目")
        page.get_by_role("button", name="提交补正").click()
        page.wait_for_load_state()
        assert "补正已提交" in page.locator("main").inner_text()
        check_both_widths(page, "tracking page after the supplement")
    finally:
        ctx.close()
