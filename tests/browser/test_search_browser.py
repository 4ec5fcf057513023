"""/search/ in a real browser: axe-core finds nothing on a results page with facets (desktop and phone,
panels open), and the suggestions combobox works with the keyboard under the real CSP.

Debian's Chromium through Playwright, as in test_pages_a11y.py. Everything the database must hold is
built (and the index queue applied) in the fixture, before the browser starts: no ORM call may happen
while Playwright's event loop runs in this thread.

Screenshots for a visual review:
    PORTAL_SCREENSHOTS=/tmp/shots pytest tests/browser/test_search_browser.py -k axe
"""

import datetime
import os
import shutil
from io import StringIO
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from django.core.management import call_command

from tests.browser.content import enrich_portal
from tests.browser.test_pages_a11y import CHROMIUM_ARGS, DESKTOP, PHONE, axe_check
from tests.builders import make_resource
from tests.conftest import CHROMIUM, need_server

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

RESULTS = "/search/?q=采购"
FILTERED = "/search/?q=采购&kind=document&kind=bogus&department=czj&from=2020-01-01"
BUSY = "/search/?q=公告"  # twelve departments: the 发布机构 facet has "更多"
DEPARTMENTS = [
    ("jyj", "教育局"),
    ("gaj", "公安局"),
    ("mzj", "民政局"),
    ("sfj", "司法局"),
    ("rsj", "人力资源和社会保障局"),
    ("zrj", "自然资源和规划局"),
    ("sthj", "生态环境局"),
    ("zjj", "住房和城乡建设局"),
    ("jtj", "交通运输局"),
    ("nyj", "农业农村局"),
    ("swj", "商务局"),
    ("wglj", "文化广电和旅游局"),
]
SHOTS = os.environ.get("PORTAL_SCREENSHOTS")  # a directory for a visual review (panels open)


@pytest.fixture
def search_content(portal, settings):
    from wagtail.contrib.search_promotions.models import Query, SearchPromotion

    from cms.core.models import Department
    from search.models import SearchEntry
    from search.service import suggest
    from search.text import segment

    settings.ELASTICSEARCH_URL = ""
    enrich_portal(portal)
    make_resource(
        portal.departments["czj"],
        "政府采购项目信息",
        "202001/000001",
        [("项目编号", "C", "")],
        summary="全市政府采购项目",
        openness="conditional",
    )
    SearchPromotion.objects.create(
        query=Query.get("采购"),
        page=portal.xxgk,
        sort_order=0,
        description="政府采购信息在信息公开目录中发布。",
    )
    rows = []
    for i, (slug, name) in enumerate(DEPARTMENTS):
        Department.objects.create(
            slug=slug,
            name=f"济源市{name}",
            short_name=f"市{name}",
            org_code=f"0054232{i:02d}",
            sort_order=10 + i,
        )
        title = f"{name}关于第{i + 1}批项目的公告"
        rows.append(
            SearchEntry(
                key=f"test:{i}",
                kind="page",
                url=f"/xxgk/?n={i}",
                title=title,
                title_words=f" {segment(title)} ",
                words=f" {segment(title)} ",
                department=slug,
                department_name=f"济源市{name}",
                date=datetime.date(2025, 1, 1 + i),
                year=2025,
            )
        )
    SearchEntry.objects.bulk_create(rows)
    call_command("search_index", "process", stdout=StringIO())  # the worker, in the live server's database
    portal.suggestions = suggest("采购")
    assert portal.suggestions, "the suggestion API has something to offer"
    return portal


@pytest.fixture
def browser(search_content, live_server):
    if not shutil.which(CHROMIUM):
        need_server("Chromium", f"{CHROMIUM} is not installed (scripts/chromium.sh)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def open_panels(page):
    """Open every visible closed <details> (facets, 更多, 高级筛选) so that axe checks what they hold.
    (Locators are lazy: re-query after each click, a nested one only shows once its parent is open.)"""
    closed = page.locator("details:not([open]) > summary:visible")
    for _ in range(20):
        if not closed.count():
            return
        closed.first.click()
    raise AssertionError("a <details> does not open")


def no_violations(page, label):
    violations = axe_check(page, label)
    assert violations == [], [f"{v['id']}: {v['help']}" for v in violations]


def test_results_with_facets_have_no_axe_violations(search_content, live_server, browser):
    ctx = browser.new_context(bypass_csp=True, locale="zh-CN", viewport=DESKTOP)
    try:
        page = ctx.new_page()
        for url in (RESULTS, FILTERED, BUSY):
            for width, viewport in (("1280", DESKTOP), ("390", PHONE)):
                page.set_viewport_size(viewport)
                assert page.goto(live_server.url + url).status == 200
                page.wait_for_load_state("load")
                panel = page.locator("details.search-facets")
                # Wide screens: the script opens the facet panel as the side column; phones: collapsed.
                assert panel.evaluate("d => d.open") == (width == "1280"), (url, width)
                no_violations(page, f"{url} at {width}px")
                open_panels(page)
                assert panel.evaluate("d => d.open")
                no_violations(page, f"{url} at {width}px, panels open")
                if SHOTS:
                    name = f"search-{(RESULTS, FILTERED, BUSY).index(url)}-{width}.png"
                    page.screenshot(path=str(Path(SHOTS) / name), full_page=True)
                extra = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
                assert extra <= 1, f"{url} at {width}px scrolls sideways by {extra}px"
        page.set_viewport_size(DESKTOP)
        page.goto(live_server.url + RESULTS)
        assert page.locator("section.best-bets").is_visible()
        assert page.locator(".search-facets a[aria-current=true]").count() == 0
        page.goto(live_server.url + FILTERED)
        assert page.locator(".search-notices").inner_text().count("已忽略") == 1
        assert page.locator(".search-facets a[aria-current=true]").count() == 2

        ctx.add_cookies([{"name": "elder_mode", "value": "1", "url": live_server.url}])
        for url in (RESULTS, FILTERED):
            page.goto(live_server.url + url)
            assert "elder" in page.locator("html").get_attribute("class").split()
            open_panels(page)
            no_violations(page, f"{url} in elder mode")
            if SHOTS:
                page.screenshot(path=str(Path(SHOTS) / f"search-{(RESULTS, FILTERED).index(url)}-elder.png"))
            small = page.evaluate(
                "() => Math.min(...[...document.querySelectorAll("
                "'.facet-links a, .sort-switch a, .search-facets summary')]"
                ".filter(e => e.offsetParent).map(e => e.getBoundingClientRect().height))"
            )
            assert small >= 44, f"elder mode: click targets of at least 44px, smallest is {small}"
    finally:
        ctx.close()


def test_suggestions_combobox_works_with_the_keyboard(search_content, live_server, browser):
    """Under the real CSP (no bypass): type, see the list and hear the count, ArrowDown, Enter opens it."""
    ctx = browser.new_context(locale="zh-CN", viewport=DESKTOP)
    first = search_content.suggestions[0]
    try:
        page = ctx.new_page()
        errors = []
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(live_server.url + "/search/")
        page.wait_for_load_state("load")
        box = page.locator("#search-q")
        assert box.get_attribute("role") == "combobox"
        assert box.get_attribute("aria-expanded") == "false"
        listbox = page.locator("#" + box.get_attribute("aria-controls"))
        assert listbox.get_attribute("role") == "listbox" and listbox.is_hidden()

        box.focus()
        page.keyboard.type("采购")
        listbox.locator("[role=option]").first.wait_for(state="visible")
        assert box.get_attribute("aria-expanded") == "true"
        options = listbox.locator("[role=option]")
        assert options.count() == len(search_content.suggestions)
        assert first["title"] in options.first.inner_text()
        status = page.locator(".search-panel [role=status][aria-live=polite]")
        page.wait_for_function(
            "el => el.textContent.includes('条搜索提示')", arg=status.element_handle(), timeout=3000
        )
        assert f"有 {options.count()} 条搜索提示" in status.inner_text()
        assert box.get_attribute("aria-activedescendant") is None

        page.keyboard.press("ArrowDown")
        if SHOTS:
            page.screenshot(path=str(Path(SHOTS) / "search-suggestions.png"))
        first_id = options.first.get_attribute("id")
        assert box.get_attribute("aria-activedescendant") == first_id
        assert options.first.get_attribute("aria-selected") == "true"
        assert page.evaluate("document.activeElement.id") == "search-q", "focus stays in the input"
        if options.count() > 1:
            page.keyboard.press("ArrowDown")
            assert box.get_attribute("aria-activedescendant") == options.nth(1).get_attribute("id")
            page.keyboard.press("ArrowUp")
            assert box.get_attribute("aria-activedescendant") == first_id

        page.keyboard.press("Escape")
        assert listbox.is_hidden() and box.get_attribute("aria-expanded") == "false"
        assert box.get_attribute("aria-activedescendant") is None
        assert box.input_value() == "采购", "Escape closes the list and keeps the text"

        page.keyboard.press("ArrowDown")  # opens the list again on the first option
        assert listbox.is_visible()
        assert box.get_attribute("aria-activedescendant") == first_id
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert unquote(urlsplit(page.url).path) == unquote(urlsplit(first["url"]).path)
        assert not errors, errors
    finally:
        ctx.close()


def test_enter_without_a_highlighted_suggestion_submits_the_search(search_content, live_server, browser):
    ctx = browser.new_context(locale="zh-CN", viewport=PHONE)
    try:
        page = ctx.new_page()
        page.goto(live_server.url + "/search/")
        page.wait_for_load_state("load")
        header = page.locator("#site-search-q")
        assert header.get_attribute("role") == "combobox", "the header's search box gets suggestions too"
        box = page.locator("#search-q")
        box.focus()
        page.keyboard.type("采购")
        page.locator("#search-q-listbox [role=option]").first.wait_for(state="visible")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert "/search/?q=" in page.url
        assert page.locator("ol.search-results li").count() > 1
    finally:
        ctx.close()


def test_search_and_facets_work_without_javascript(search_content, live_server, browser):
    ctx = browser.new_context(java_script_enabled=False, locale="zh-CN", viewport=DESKTOP)
    try:
        page = ctx.new_page()
        page.goto(live_server.url + "/search/")
        assert page.locator("[role=combobox]").count() == 0
        page.locator("#search-q").fill("采购")
        page.locator(".search-panel").get_by_role("button", name="搜索").click()
        page.wait_for_load_state()
        total = page.locator("ol.search-results li").count()
        assert total > 1
        page.locator("details.search-facets > summary").click()  # closed without the script
        page.locator("section[aria-labelledby=facet-kind] a.facet-option", has_text="信息资源").click()
        page.wait_for_load_state()
        assert "kind=resource" in page.url
        assert 0 < page.locator("ol.search-results li").count() < total
        assert page.locator(".search-active").get_by_role("link").first.inner_text().count("信息资源") == 1
        page.get_by_role("link", name="清除全部筛选").first.click()
        page.wait_for_load_state()
        assert page.locator("ol.search-results li").count() == total
    finally:
        ctx.close()
