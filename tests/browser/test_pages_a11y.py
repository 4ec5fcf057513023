"""The public theme in a real browser: axe-core (WCAG 2.1 AA), elder mode, the catalogue without JavaScript.

Debian's Chromium is driven by Playwright (never `playwright install`). axe is injected into the page, so
these contexts bypass the CSP; one test checks the real CSP separately.

Screenshots for a visual review: PORTAL_SCREENSHOTS=/tmp/shots pytest tests/browser -k fit_phones
"""

import os
import re
import shutil
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from wagtail.models import Site

from tests.browser.content import ICP, enrich_portal
from tests.conftest import CHROMIUM, need_server

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
BLOCKING_IMPACTS = {"serious", "critical"}
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def site_content(portal):
    """The content, and every address the tests visit, computed before the browser starts.

    Playwright's sync API runs an event loop in this thread; while it runs, Django hands out
    different (context-local) database connections, so no ORM call may happen inside a test body.
    """
    from cms.news.models import NewsPage

    enrich_portal(portal)
    article = NewsPage.objects.child_of(portal.news_index).order_by("-date").first()
    portal.urls = {
        "home": "/",
        "catalogue": "/xxgk/?department=czj",
        "document": portal.documents[0].url,
        "repealed": portal.repealed.url,
        "repealing": portal.repealing.url,
        "interpretation": portal.interpretation.url,
        "report": portal.report.url,
        "article": article.url,
        "404": "/no-such-page/",
    }
    portal.titles = {"repealed": portal.repealed.title, "repealing": portal.repealing.title}
    return portal


@pytest.fixture
def browser(site_content, live_server):
    """Chromium for one test, started after the data and the server exist and stopped before the flush."""
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


def axe_check(page, label):
    """Run axe-core on the loaded page; fail on any serious or critical violation, listing them all."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"resultTypes": ["violations"]})
    violations = results.response["violations"]
    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    details = "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']}\n    "
        + "\n    ".join(f"{', '.join(map(str, n['target']))}: {n['html'][:160]}" for n in v["nodes"][:5])
        for v in violations
    )
    if violations:
        print(f"axe, {label}: {len(violations)} minor/moderate violation kind(s)\n{details}")
    assert not blocking, f"axe found serious/critical violations on {label} ({page.url}):\n{details}"
    return violations


def test_live_server_is_served_by_the_portal_site(site_content, live_server):
    """The Site is localhost:80 and the default site; the live server listens on another port (and may
    be reached as 127.0.0.1): Wagtail serves it by the unique hostname or by the default-site fallback."""
    from django.test import RequestFactory

    port = urlsplit(live_server.url).port
    for host in (f"localhost:{port}", f"127.0.0.1:{port}"):
        request = RequestFactory().get("/", HTTP_HOST=host)
        assert Site.find_for_request(request) == site_content.site, host
    with urllib.request.urlopen(live_server.url + "/") as response:  # no browser: the ORM is usable here
        html = response.read().decode()
    assert "<h1" in html and "济源市人民政府" in html and 'class="hero"' in html


@pytest.mark.parametrize(
    ("label", "key"),
    [
        ("home page", "home"),
        ("catalogue filtered by department", "catalogue"),
        ("document page", "document"),
        ("repealed document", "repealed"),
        ("interpretation", "interpretation"),
        ("news article with every block", "article"),
        ("annual report", "report"),
        ("404 page", "404"),
    ],
)
def test_pages_have_no_serious_axe_violations(site_content, live_server, context, label, key):
    page = context.new_page()
    response = page.goto(live_server.url + site_content.urls[key])
    assert response.status == (404 if key == "404" else 200)
    axe_check(page, label)
    page.set_viewport_size(PHONE)  # the same page on a phone
    page.wait_for_timeout(400)  # portal.js re-checks which table regions scroll (debounced on resize)
    axe_check(page, f"{label} at {PHONE['width']}px")


def test_document_page_structure(site_content, live_server, context):
    page = context.new_page()
    page.goto(live_server.url + site_content.urls["repealed"])
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    headers = page.locator(".meta-table th[scope=row]").all_inner_texts()
    for label in (
        "索引号",
        "主题分类",
        "发布机构",
        "成文日期",
        "发文字号",
        "发布日期",
        "有效性",
        "体裁分类",
        "公开方式",
    ):
        assert label in headers
    banner = page.locator("[role=note]", has_text="废止").first
    assert site_content.titles["repealing"] in banner.inner_text()
    assert banner.locator("a").get_attribute("href") == site_content.urls["repealing"]
    current = page.locator("nav[aria-label=面包屑] [aria-current=page]")
    assert current.inner_text() == site_content.titles["repealed"]


def test_elder_mode_toggle_is_big_and_persists(site_content, live_server, context):
    page = context.new_page()
    page.goto(live_server.url + "/")
    assert "elder" not in (page.locator("html").get_attribute("class") or "").split()
    normal_size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")

    page.get_by_role("button", name="适老化模式").click()
    page.wait_for_load_state()
    assert page.url.rstrip("/") == live_server.url.rstrip("/"), "the toggle returns to the same page"
    assert "elder" in page.locator("html").get_attribute("class").split()
    style = page.evaluate(
        """() => { const s = getComputedStyle(document.body);
                   return {size: parseFloat(s.fontSize), lineHeight: parseFloat(s.lineHeight),
                           cursor: s.cursor}; }"""
    )
    assert style["size"] >= 20, style
    assert style["size"] > normal_size
    assert style["lineHeight"] / style["size"] >= 1.3, style
    assert "cursor-arrow.svg" in style["cursor"], "a large cursor"
    target = page.evaluate(
        "() => Math.min(...[...document.querySelectorAll("
        "'.tool-button, .site-search button, .mainnav__list a')].map(e => e.getBoundingClientRect().height))"
    )
    assert target >= 44, f"click targets must be at least 44px high, smallest is {target}"
    axe_check(page, "home page in elder mode")

    # The cookie persists: the next page is rendered in elder mode by the server.
    assert any(c["name"] == "elder_mode" and c["value"] == "1" for c in context.cookies())
    page.goto(live_server.url + "/xxgk/")
    assert "elder" in page.locator("html").get_attribute("class").split()
    assert page.locator("link[href$='css/elder.css']").count() == 1
    axe_check(page, "catalogue in elder mode")

    page.get_by_role("button", name="退出适老化").click()
    page.wait_for_load_state()
    assert page.url.endswith("/xxgk/")
    assert "elder" not in (page.locator("html").get_attribute("class") or "").split()


def test_catalogue_filter_works_without_javascript(site_content, live_server, browser):
    ctx = browser.new_context(java_script_enabled=False, locale="zh-CN", viewport=DESKTOP)
    try:
        page = ctx.new_page()
        page.goto(live_server.url + "/xxgk/")
        all_rows = page.locator("table.results tbody tr").count()
        assert all_rows == 6
        page.get_by_label("发布机构").select_option("czj")
        page.get_by_role("button", name="筛选").click()
        page.wait_for_load_state()
        assert "department=czj" in page.url
        rows = page.locator("table.results tbody tr")
        assert 0 < rows.count() < all_rows
        assert all("市财政局" in t for t in rows.locator(".results__sub").all_inner_texts())
        assert re.search(rf"共找到\s*{rows.count()}\s*件", page.locator(".result-count").inner_text())
        # Options carry their counts, e.g. "市财政局（4）".
        assert re.search(r"市财政局（\d+）", page.locator("#filter-department").inner_text())

        page.get_by_label("关键词", exact=True).fill("济财购")
        page.get_by_role("button", name="筛选").click()
        page.wait_for_load_state()
        assert page.locator("table.results tbody tr").count() == 1

        page.get_by_role("link", name="重置").click()
        page.wait_for_load_state()
        assert page.locator("table.results tbody tr").count() == all_rows
        # The elder toggle is a plain form, so it works without JavaScript as well.
        page.get_by_role("button", name="适老化模式").click()
        page.wait_for_load_state()
        assert "elder" in page.locator("html").get_attribute("class").split()
    finally:
        ctx.close()


def test_real_csp_allows_the_theme(site_content, live_server, browser):
    """Without bypass_csp: no CSP violation, portal.js runs (it reveals the print button)."""
    ctx = browser.new_context(locale="zh-CN", viewport=DESKTOP)
    try:
        page = ctx.new_page()
        errors = []
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        response = page.goto(live_server.url + site_content.urls["document"])
        assert "script-src 'self'" in response.headers.get("content-security-policy", "")
        page.wait_for_load_state("load")
        assert page.locator(".js-print").is_visible()
        assert page.locator("html.js").count() == 1
        assert not errors, errors
        assert ICP in page.locator("footer").inner_text()
    finally:
        ctx.close()


def test_pages_fit_phones_and_desktops_in_both_modes(site_content, live_server, browser, tmp_path):
    """No page scrolls sideways at 390 px or 1280 px, in normal or elder mode. Screenshots go to
    $PORTAL_SCREENSHOTS (for a visual review) or a temporary directory."""
    out = Path(os.environ.get("PORTAL_SCREENSHOTS") or tmp_path)
    out.mkdir(parents=True, exist_ok=True)
    shots = ["home", "catalogue", "document", "repealed", "report", "article", "404"]
    overflowing = []
    for elder in (False, True):
        for width, viewport in (("1280", DESKTOP), ("390", PHONE)):
            ctx = browser.new_context(locale="zh-CN", viewport=viewport)
            if elder:
                ctx.add_cookies([{"name": "elder_mode", "value": "1", "url": live_server.url}])
            page = ctx.new_page()
            for key in shots[:3] if elder else shots:
                page.goto(live_server.url + site_content.urls[key])
                suffix = "-elder" if elder else ""
                page.screenshot(path=str(out / f"{key}{suffix}-{width}.png"), full_page=True)
                extra = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
                if extra > 1:
                    overflowing.append(f"{key}{suffix} at {width}px: {extra}px too wide")
            if not elder and width == "1280":
                page.goto(live_server.url + site_content.urls["document"])
                page.emulate_media(media="print")
                page.screenshot(path=str(out / "document-print.png"), full_page=True)
            ctx.close()
    assert not overflowing, overflowing


def test_search_page_is_accessible_and_works_without_javascript(site_content, live_server, browser, context):
    """/search/: results with <mark>ed keywords, the start page, no results and the 400 — axe on a desktop, a
    phone and in elder mode; the search panel is a plain GET form."""
    cases = [
        ("search results", "/search/?q=采购", 200),
        ("search start page", "/search/", 200),
        ("search without results", "/search/?q=火星移民计划", 200),
        ("search with an overlong query", "/search/?q=" + "采" * 101, 400),
    ]
    page = context.new_page()
    for label, url, status in cases:
        assert page.goto(live_server.url + url).status == status
        axe_check(page, label)
        page.set_viewport_size(PHONE)
        axe_check(page, f"{label} at {PHONE['width']}px")
        page.set_viewport_size(DESKTOP)
    context.add_cookies([{"name": "elder_mode", "value": "1", "url": live_server.url}])
    for label, url, _status in cases[:3]:
        page.goto(live_server.url + url)
        assert "elder" in page.locator("html").get_attribute("class").split()
        axe_check(page, f"{label} in elder mode")

    ctx = browser.new_context(java_script_enabled=False, locale="zh-CN", viewport=DESKTOP)
    try:
        page = ctx.new_page()
        page.goto(live_server.url + "/search/")
        page.locator(".search-suggest").get_by_role("link", name="政府采购").click()
        page.wait_for_load_state()
        assert "q=%E6%94%BF%E5%BA%9C%E9%87%87%E8%B4%AD" in page.url
        page.locator("#search-q").fill("采购")
        page.locator(".search-panel").get_by_role("button", name="搜索").click()
        page.wait_for_load_state()
        assert re.search(r"找到\s*\d+\s*条", page.locator(".result-count").inner_text())
        assert page.locator(".search-result__title a").count() > 0
        assert page.locator(".search-result mark", has_text="采购").count() > 0
    finally:
        ctx.close()
