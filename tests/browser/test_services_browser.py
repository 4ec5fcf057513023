"""The service guide in a real browser: axe-core (WCAG 2.1 AA) on /zwfw/ and a guide page, in normal and elder
mode and on a phone; filtering without JavaScript; the printed guide keeps its elements and drops the rest.
Follows tests/browser/test_pages_a11y.py (Debian's Chromium through Playwright, never a browser download)."""

import shutil

import pytest

from tests.browser.test_pages_a11y import CHROMIUM_ARGS, DESKTOP, PHONE, axe_check
from tests.conftest import CHROMIUM, need_server
from tests.test_services import FOOD, build_services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def guide_site(portal):
    """The guides, and every address the tests visit, computed before the browser starts (no ORM call may
    happen inside a test body while Playwright's event loop runs)."""
    services = build_services(portal)
    services.urls = {
        "index": "/zwfw/",
        "filtered": "/zwfw/?audience=organisation&topic=qykb",
        "folder": "/zwfw/czj/",
        "guide": services.food.url,
        "same_day": services.permit.url,
    }
    return services


@pytest.fixture
def browser(guide_site, live_server):
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
    ("label", "key"),
    [
        ("service index", "index"),
        ("service index filtered", "filtered"),
        ("department folder", "folder"),
        ("guide page", "guide"),
        ("same-day guide", "same_day"),
    ],
)
def test_service_pages_have_no_serious_axe_violations(guide_site, live_server, context, label, key):
    page = context.new_page()
    assert page.goto(live_server.url + guide_site.urls[key]).status == 200
    axe_check(page, label)
    page.set_viewport_size(PHONE)
    page.wait_for_timeout(400)
    axe_check(page, f"{label} at {PHONE['width']}px")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "no sideways scrolling"


def test_elder_mode_on_the_guide(guide_site, live_server, context):
    page = context.new_page()
    page.goto(live_server.url + guide_site.urls["guide"])
    page.get_by_role("button", name="适老化模式").click()
    page.wait_for_load_state()
    assert "elder" in page.locator("html").get_attribute("class").split()
    size = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.guide-text')).fontSize)")
    assert size >= 20
    apply = page.locator(".guide__actions .button--apply")
    assert apply.bounding_box()["height"] >= 44
    axe_check(page, "guide page in elder mode")
    page.goto(live_server.url + guide_site.urls["index"])
    axe_check(page, "service index in elder mode")


def test_browsing_works_without_javascript(guide_site, live_server, browser):
    ctx = browser.new_context(java_script_enabled=False, locale="zh-CN", viewport=DESKTOP)
    try:
        page = ctx.new_page()
        page.goto(live_server.url + "/zwfw/")
        rows = page.locator("table.guide-results tbody tr")
        assert rows.count() == 4
        page.get_by_role("link", name="法人办事").click()
        page.wait_for_load_state()
        assert "audience=organisation" in page.url and rows.count() == 2
        page.get_by_label("网上办理").select_option("full")
        page.get_by_role("button", name="筛选").click()
        page.wait_for_load_state()
        assert "online_level=full" in page.url and "audience=organisation" in page.url
        assert rows.count() == 1
        page.get_by_role("link", name="重置").click()
        page.wait_for_load_state()
        assert rows.count() == 4
        # The keyword box hands over to the site search, limited to guides.
        page.get_by_role("searchbox", name="搜索办事指南").fill("食品")
        page.locator(".service-search button").click()
        page.wait_for_load_state()
        assert "/search/" in page.url and "kind=service" in page.url
        page.goto(live_server.url + "/zwfw/")
        page.get_by_role("link", name=FOOD, exact=True).click()
        page.wait_for_load_state()
        assert page.get_by_role("heading", level=1).inner_text() == FOOD
        assert (
            page.get_by_role("link", name="在线办理").first.get_attribute("href").startswith("/zwfw/apply/")
        )
    finally:
        ctx.close()


def test_printed_guide_keeps_the_elements_and_drops_the_navigation(guide_site, live_server, context):
    page = context.new_page()
    page.goto(live_server.url + guide_site.urls["guide"])
    page.emulate_media(media="print")
    for hidden in (".mainnav", ".guide-toc", ".guide__actions", ".article-tools", ".site-search"):
        assert not page.locator(hidden).first.is_visible(), hidden
    for shown in ("#basic", "#materials table", "#process", "#limits", "#place", ".print-url"):
        assert page.locator(shown).first.is_visible(), shown
    # No link address is printed after the guide's own links.
    after = page.evaluate("getComputedStyle(document.querySelector('.guide-section a'), '::after').content")
    assert after in ("none", "normal")
