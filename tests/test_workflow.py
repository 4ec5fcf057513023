"""The department review workflow, driven through the Wagtail admin as editors and reviewers use it."""

import datetime
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageLogEntry, Revision, WorkflowState
from wagtail.users.models import UserProfile

from cms.disclosure.models import DisclosureDocument
from tests import test_editors
from tests.test_editors import (
    add_document_url,
    doc_in,
    edit_url,
    is_denied,
    login,
    new_document_data,
    page_form_data,
)

pytestmark = pytest.mark.anydb

people = test_editors.people  # the fixture: editors and reviewers of 市财政局 and 市发展改革委

SUBMIT = {"action-submit": "action-submit"}


def workflow_action_url(page, action):
    task_state = page.current_workflow_task_state
    assert task_state is not None, "the page is not awaiting review"
    return reverse("wagtailadmin_pages:workflow_action", args=[page.pk, action, task_state.pk])


def submit_new_document(client, portal, slug, **fields):
    folder = portal.folders["czj"]
    data = new_document_data(client, folder, f"济源市财政局关于{slug}的通知", slug, **SUBMIT, **fields)
    response = client.post(add_document_url(folder), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return DisclosureDocument.objects.get(slug=slug)


def test_editor_submits_and_department_reviewer_publishes(people, portal, client):
    login(client, people["czj_editor"])
    mail.outbox.clear()
    doc = submit_new_document(client, portal, "zfcg")

    assert not doc.live and doc.index_number is None
    state = doc.current_workflow_state
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.workflow.name == "市财政局审核流程"
    assert doc.current_workflow_task.name == "市财政局部门审核"
    assert state.requested_by == people["czj_editor"]
    # The department's reviewers are told; other departments' reviewers are not.
    recipients = {address for message in mail.outbox for address in message.to}
    assert "czj_reviewer@jiyuan.gov.cn" in recipients
    assert "fgw_reviewer@jiyuan.gov.cn" not in recipients

    # The reviewer sees it awaiting review on the dashboard.
    login(client, people["czj_reviewer"])
    assert doc.title in client.get(reverse("wagtailadmin_home")).content.decode()

    response = client.post(workflow_action_url(doc, "approve"), {"comment": "同意发布"})
    assert response.status_code == 302
    doc.refresh_from_db()
    assert doc.live and not doc.has_unpublished_changes
    assert doc.index_number and doc.index_number.startswith("005423101/")
    assert doc.published_on == timezone.localdate()
    assert doc.current_workflow_state is None
    assert WorkflowState.objects.get(pk=state.pk).status == WorkflowState.STATUS_APPROVED
    assert client.get(doc.url).status_code == 200  # the public can read it


def test_reviewer_of_another_department_cannot_approve(people, portal, client):
    login(client, people["czj_editor"])
    doc = submit_new_document(client, portal, "kuabumen")
    approve = workflow_action_url(doc, "approve")

    login(client, people["fgw_reviewer"])
    assert is_denied(client.post(approve, {"comment": ""}))
    assert is_denied(client.get(edit_url(doc)))
    # An editor of the same department cannot approve their own work either.
    login(client, people["czj_editor"])
    assert is_denied(client.post(approve, {"comment": ""}))

    doc.refresh_from_db()
    assert not doc.live and doc.index_number is None
    assert doc.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS


def test_rejection_sends_the_page_back_to_the_editor(people, portal, client):
    login(client, people["czj_editor"])
    doc = submit_new_document(client, portal, "tuihui")

    login(client, people["czj_reviewer"])
    client.post(workflow_action_url(doc, "reject"), {"comment": "请补充发文字号"})
    doc.refresh_from_db()
    assert not doc.live
    assert doc.current_workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES

    # The editor corrects the draft and resubmits; the same workflow resumes.
    login(client, people["czj_editor"])
    data = page_form_data(client, edit_url(doc), document_number="济财办〔2025〕9号", **SUBMIT)
    assert client.post(edit_url(doc), data).status_code == 302
    doc.refresh_from_db()
    assert doc.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS

    login(client, people["czj_reviewer"])
    client.post(workflow_action_url(doc, "approve"), {"comment": ""})
    doc.refresh_from_db()
    assert doc.live and doc.document_number == "济财办〔2025〕9号" and doc.index_number


def test_changes_to_a_live_document_go_through_review(people, portal, client):
    live = doc_in(portal, "czj")
    index_number = live.index_number
    login(client, people["czj_editor"])
    data = page_form_data(client, edit_url(live), title="修订后的标题", **SUBMIT)
    client.post(edit_url(live), data)
    live.refresh_from_db()
    assert live.title != "修订后的标题" and live.workflow_in_progress

    login(client, people["czj_reviewer"])
    client.post(workflow_action_url(live, "approve"), {"comment": ""})
    live.refresh_from_db()
    assert live.title == "修订后的标题"
    assert live.index_number == index_number  # issued once, never changed


def test_scheduled_publication_goes_live_through_publish_scheduled(people, portal, client):
    login(client, people["czj_editor"])
    go_live = timezone.localtime() + datetime.timedelta(days=2)
    doc = submit_new_document(client, portal, "dingshi", go_live_at=go_live.strftime("%Y-%m-%d %H:%M"))

    login(client, people["czj_reviewer"])
    client.post(workflow_action_url(doc, "approve"), {"comment": ""})
    doc.refresh_from_db()
    assert not doc.live and doc.index_number is None  # approved, waiting for its time
    revision = Revision.page_revisions.get(object_id=str(doc.pk), approved_go_live_at__isnull=False)

    call_command("publish_scheduled")
    doc.refresh_from_db()
    assert not doc.live  # not yet

    # Time passes (the cron/worker runs the command every minute): two days and a minute later...
    later = go_live + datetime.timedelta(minutes=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        call_command("publish_scheduled")
    doc.refresh_from_db()
    assert doc.live and doc.index_number
    assert doc.first_published_at == later
    assert revision.pk == doc.live_revision_id
    assert PageLogEntry.objects.filter(page=doc, action="wagtail.publish.scheduled").exists()


def test_history_shows_the_audit_log_in_chinese(people, portal, client):
    login(client, people["czj_editor"])
    doc = submit_new_document(client, portal, "lishi")
    login(client, people["czj_reviewer"])
    client.post(workflow_action_url(doc, "approve"), {"comment": "同意"})

    entries = PageLogEntry.objects.filter(page=doc)
    actions = set(entries.values_list("action", flat=True))
    assert {
        "wagtail.create",
        "wagtail.workflow.start",
        "wagtail.workflow.approve",
        "wagtail.publish",
    } <= actions
    assert entries.get(action="wagtail.create").user == people["czj_editor"]
    assert entries.get(action="wagtail.publish").user == people["czj_reviewer"]

    response = client.get(reverse("wagtailadmin_pages:history", args=[doc.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "已发布" in html and "已创建" in html  # the log's action labels, translated
    assert "czj_editor" in html and "czj_reviewer" in html

    # The editor sees the same history; a user's own language preference switches it to English.
    profile = UserProfile.get_for_user(people["czj_editor"])
    profile.preferred_language = "en"
    profile.save()
    login(client, people["czj_editor"])
    html = client.get(reverse("wagtailadmin_pages:history", args=[doc.pk])).content.decode()
    assert "Published" in html and "已发布" not in html

    # Site-wide audit log (报告 → 网站历史) for the site administrator.
    login(client, people["site_admin"])
    response = client.get(reverse("wagtailadmin_reports:site_history"))
    assert response.status_code == 200
    assert doc.title in response.content.decode()
