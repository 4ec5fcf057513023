"""The public procurement pages in a real browser: axe-core (WCAG 2.1 AA) on the list with filters, a refused
filter, a project page and a tender notice, on a desktop and a phone and in elder mode; filtering without
JavaScript; the countdown script keeps the server's words up to date. Follows tests/browser/test_pages_a11y.py
(Debian's Chromium through Playwright, never a browser download)."""

import datetime
import re
import shutil

import pytest
from django.utils import timezone

from tests.browser.test_pages_a11y import CHROMIUM_ARGS, DESKTOP, PHONE, axe_check
from tests.conftest import CHROMIUM, need_server
from tests.procurement_public_builders import build_zfcg, make_correction

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def zfcg_site(portal):
    """The projects, and every address the tests visit, computed before the browser starts (no ORM call may
    happen inside a test body while Playwright's event loop runs)."""
    site = build_zfcg(portal)
    moved = (timezone.now() + datetime.timedelta(days=33)).replace(second=0, microsecond=0)
    make_correction(site.open, new_bid_deadline=moved)
    site.urls = {
        "list": "/zfcg/",
        "filtered": "/zfcg/?status=open&method=open&budget_min=50&published_from=2026-01-01",
        "refused": "/zfcg/?budget_min=-5&published_to=2026-02-30",
        "folder": "/zfcg/fgw/",
        "project": site.open.url,
        "awarded": site.awarded.url,
        "tender": site.tender.url,
        "closing": site.closing.url,
    }
    site.closing_deadline = site.closing.bid_deadline
    return site


@pytest.fixture
def browser(zfcg_site, live_server):
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
    ("label", "key", "status"),
    [
        ("procurement list with filters", "filtered", 200),
        ("refused filter", "refused", 400),
        ("department folder", "folder", 200),
        ("project page after a correction", "project", 200),
        ("awarded project", "awarded", 200),
        ("tender notice", "tender", 200),
    ],
)
def test_procurement_pages_pass_axe(zfcg_site, live_server, context, label, key, status):
    page = context.new_page()
    assert page.goto(live_server.url + zfcg_site.urls[key]).status == status
    axe_check(page, label)
    page.set_viewport_size(PHONE)
    page.wait_for_timeout(300)
    axe_check(page, f"{label} at {PHONE['width']}px")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "no sideways scrolling"


def test_elder_mode(zfcg_site, live_server, context):
    page = context.new_page()
    page.goto(live_server.url + zfcg_site.urls["project"])
    page.get_by_role("button", name="适老化模式").click()
    page.wait_for_load_state()
    assert "elder" in page.locator("html").get_attribute("class").split()
    size = page.evaluate(
        "parseFloat(getComputedStyle(document.querySelector('.zfcg-countdown__left')).fontSize)"
    )
    assert size >= 18
    download = page.locator(".zfcg-file__download").first
    assert download.bounding_box()["height"] >= 44
    axe_check(page, "project page in elder mode")
    page.goto(live_server.url + zfcg_site.urls["filtered"])
    axe_check(page, "procurement list in elder mode")
    page.set_viewport_size(PHONE)
    page.wait_for_timeout(300)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_filtering_works_without_javascript(zfcg_site, live_server, browser):
    ctx = browser.new_context(java_script_enabled=False, locale="zh-CN", viewport=DESKTOP)
    try:
        page = ctx.new_page()
        page.goto(live_server.url + "/zfcg/")
        rows = page.locator(".zfcg-list > li")
        assert rows.count() == 6
        page.get_by_role("link", name=re.compile("^正在招标（含即将截止）")).click()
        page.wait_for_load_state()
        assert "status=open" in page.url and rows.count() == 2
        page.get_by_label("采购方式").select_option("inquiry")
        page.get_by_text("更多条件：预算金额、发布日期").click()
        page.get_by_label("最低（万元）").fill("10")
        page.get_by_role("button", name="筛选").click()
        page.wait_for_load_state()
        assert "method=inquiry" in page.url and "budget_min=10" in page.url and "status=open" in page.url
        assert rows.count() == 1
        assert page.locator("#result-count").inner_text().startswith("共找到 1 个采购项目")
        # The server already wrote the countdown.
        assert re.search(r"距投标截止还有(1天\d+小时|\d+小时)", rows.first.inner_text())
        # A refused value: the summary links to the field, which says what is wrong.
        assert page.locator("details.zfcg-more").get_attribute("open") is not None  # a budget is set
        page.get_by_label("最低（万元）").fill("-3")
        page.get_by_role("button", name="筛选").click()
        page.wait_for_load_state()
        assert page.get_by_role("alert").inner_text().count("最低预算不能为负数") == 1
        page.get_by_role("link", name="最低预算不能为负数").click()
        assert page.evaluate("location.hash") == "#filter-budget_min"
        page.get_by_role("link", name="重置").click()
        page.wait_for_load_state()
        assert rows.count() == 6
    finally:
        ctx.close()


def test_the_countdown_script_keeps_the_words_current(zfcg_site, live_server, context):
    page = context.new_page()
    page.clock.install(time=timezone.now())
    page.goto(live_server.url + zfcg_site.urls["closing"])
    left = page.locator('.zfcg-schedule [data-before="距投标截止还有"] .zfcg-countdown__left').first
    before = left.inner_text()
    assert before.startswith("距投标截止还有")
    remaining = zfcg_site.closing_deadline - timezone.now()
    page.clock.fast_forward(int((remaining + datetime.timedelta(minutes=2)).total_seconds() * 1000))
    page.wait_for_timeout(100)
    assert left.inner_text() == "已截止"
