"""The back office in a real browser: axe-core (WCAG 2.1 AA) on the queue, a case page (also with a form
in error), the dashboard and the working-day calendar; the error summary takes the focus and links to its
field. As an officer of 市财政局, logged in through a session cookie made before the browser starts.

Screenshots for a visual review: PORTAL_SCREENSHOTS=/tmp/shots pytest tests/browser/test_backoffice_browser.py
"""

import os
import shutil
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.browser.test_pages_a11y import CHROMIUM_ARGS, DESKTOP, axe_check
from tests.conftest import CHROMIUM, need_server

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SHOTS = os.environ.get("PORTAL_SCREENSHOTS")
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def office(portal):
    """Cases of 市财政局 in a few states, an officer's session, and every address the test visits."""
    from cms.casework.workflow import perform
    from cms.editors.groups import ensure_supervisor_group
    from tests.casework_builders import (
        make_application,
        make_guide,
        make_officer,
        make_request,
        make_service_tree,
    )

    _, folders = make_service_tree(portal)
    ensure_supervisor_group()
    guide = make_guide(folders["czj"], title="代理记账机构审批", item_code="CZJ-1", promised_days=5)
    officer = make_officer(portal.departments["czj"], "czj_officer")
    app, _ = make_application(
        guide, form_data=[{"name": "place", "label": "经营场所", "value": "济水大街1号"}]
    )
    perform(app, "assign", user=officer, assignee=officer)
    perform(app, "accept", user=officer)
    perform(app, "request_supplement", user=officer, reason="请补充经营场所使用证明")
    make_application(guide, submission_key="second", applicant_name="赵强")
    request, _ = make_request(portal.departments["czj"])
    perform(request, "extend", user=officer, reason="需要调阅档案", days=10)
    answered, _ = make_request(portal.departments["czj"], submission_key="answered")
    perform(
        answered,
        "reply",
        user=officer,
        reply_kind="disclosed",
        attachment=SimpleUploadedFile("答复书.pdf", PDF),
    )
    client = Client()
    client.force_login(officer)
    return {
        "session": client.cookies["sessionid"].value,
        "urls": {
            "queue": reverse("casework_applications:index"),
            "requests": reverse("casework_requests:index") + "?deadline=open",
            "case": reverse("casework_applications:case", args=[app.pk]),
            "request": reverse("casework_requests:case", args=[request.pk]),
            "dashboard": reverse("casework_dashboard:index"),
            "calendar": reverse("casework_calendar:month") + "?month=2026-02",
            "home": reverse("wagtailadmin_home"),
        },
        "tracking_number": app.tracking_number,
    }


@pytest.fixture
def context(office, live_server):
    if not shutil.which(CHROMIUM):
        need_server("Chromium", f"{CHROMIUM} is not installed (scripts/chromium.sh)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        ctx = browser.new_context(locale="zh-CN", viewport=DESKTOP)
        ctx.add_cookies([{"name": "sessionid", "value": office["session"], "url": live_server.url}])
        yield ctx
        ctx.close()
        browser.close()


def shot(page, name):
    if SHOTS:
        # The admin scrolls inside its own container: a tall window shows the whole page.
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.set_viewport_size({"width": DESKTOP["width"], "height": 3200})
        page.screenshot(path=f"{SHOTS}/backoffice-{name}.png")
        page.set_viewport_size(DESKTOP)


@pytest.mark.parametrize("key", ["home", "queue", "requests", "case", "request", "dashboard", "calendar"])
def test_back_office_pages_have_no_serious_axe_violations(office, live_server, context, key):
    page = context.new_page()
    response = page.goto(live_server.url + office["urls"][key])
    assert response.status == 200, key
    if key == "case":
        for summary in page.locator("details.casework-action > summary").all():
            summary.click()  # every action form open
    shot(page, key)
    axe_check(page, f"back office: {key}")


def test_an_invalid_action_shows_a_linked_error_summary_with_the_focus(office, live_server, context):
    page = context.new_page()
    page.goto(live_server.url + office["urls"]["case"])
    assert office["tracking_number"] in page.locator("main h2.w-h1").first.inner_text()
    # Waiting for the applicant's supplement: only assignment is left to the officer (supply and withdraw
    # are the applicant's; accept, review and decisions wait for the supplement).
    assert page.locator("details.casework-action > summary").all_inner_texts() == ["分配承办人"]
    page.goto(live_server.url + office["urls"]["request"])
    reply = page.locator("details.casework-action", has=page.locator("summary", has_text="答复"))
    reply.locator("summary").click()
    reply.get_by_role("button", name="答复", exact=True).click()
    page.wait_for_load_state()
    summary = page.locator(".casework-errors[role=alert]")
    assert summary.is_visible()
    assert page.evaluate("document.activeElement.classList.contains('casework-errors')")
    assert "请选择答复类型" in summary.inner_text() and "请上传答复文书" in summary.inner_text()
    summary.get_by_role("link", name="答复类型：请选择答复类型").click()
    assert page.evaluate("document.activeElement.id") == "id_reply-reply_kind"
    described = page.locator("#id_reply-reply_kind").get_attribute("aria-describedby")
    assert "id_reply-reply_kind-errors" in described
    shot(page, "errors")
    axe_check(page, "back office: a form in error")
