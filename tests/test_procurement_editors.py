"""Editors publish projects and notices through their department's review, in their own folder only; the
admin refuses bad budgets and notices that break the timing rules, quoting the rule."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cms.procurement.choices import Status
from cms.procurement.models import ProcurementProject, TenderNotice
from tests import test_editors
from tests.procurement_builders import make_file, make_procurement_tree, make_project
from tests.test_editors import is_denied, login, page_form_data
from tests.test_workflow import workflow_action_url

pytestmark = pytest.mark.anydb

people = test_editors.people

SUBMIT = {"action-submit": "action-submit"}


def add_url(parent, model):
    return reverse("wagtailadmin_pages:add", args=["procurement", model, parent.pk])


def _project_data(client, folder, **overrides):
    data = page_form_data(
        client,
        add_url(folder, "procurementproject"),
        title="济源市财政局办公家具采购项目",
        slug="jycg-2026-0101",
        project_number="JYCG-2026-0101",
        category="office",
        method="open",
        budget="800000",
        summary="办公桌椅一批",
        contact_name="王老师",
        contact_phone="0391-6633100",
        **{
            "lots-TOTAL_FORMS": "1",
            "lots-INITIAL_FORMS": "0",
            "lots-MIN_NUM_FORMS": "1",
            "lots-MAX_NUM_FORMS": "1000",
            "lots-0-number": "1",
            "lots-0-name": "办公家具",
            "lots-0-budget": "800000",
            "lots-0-ORDER": "1",
        },
    )
    data.update(overrides)
    return data


def _when(days, hour=9):
    moment = timezone.localtime() + datetime.timedelta(days=days)
    return moment.replace(hour=hour, minute=30).strftime("%Y-%m-%d %H:%M")


def _tender_data(client, project, pfile, days):
    data = page_form_data(
        client,
        add_url(project, "tendernotice"),
        title=f"{project.title}招标公告",
        slug="tender",
        documents_from=(timezone.localtime() + datetime.timedelta(minutes=5)).strftime("%Y-%m-%d %H:%M"),
        documents_until=_when(9),
        bid_deadline=_when(days),
        opening_at=_when(days),
        opening_place="济源市公共资源交易中心第一开标室",
        submission="在线递交",
        **{
            "documents-TOTAL_FORMS": "1",
            "documents-INITIAL_FORMS": "0",
            "documents-MIN_NUM_FORMS": "1",
            "documents-MAX_NUM_FORMS": "1000",
            "documents-0-file": str(pfile.pk),
            "documents-0-ORDER": "1",
        },
    )
    return data


@pytest.fixture
def tree(portal):
    return make_procurement_tree(portal)


def test_editor_submits_a_project_and_a_tender_that_the_reviewer_publishes(people, portal, tree, client):
    _, folders = tree
    login(client, people["czj_editor"])
    response = client.post(
        add_url(folders["czj"], "procurementproject"), _project_data(client, folders["czj"], **SUBMIT)
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    project = ProcurementProject.objects.get(project_number="JYCG-2026-0101")
    assert not project.live and project.buyer == portal.departments["czj"]

    login(client, people["czj_reviewer"])
    assert client.post(workflow_action_url(project, "approve"), {"comment": "同意"}).status_code == 302
    project.refresh_from_db()
    assert project.live and project.status() == Status.UPCOMING

    pfile = make_file(project)
    login(client, people["czj_editor"])
    data = _tender_data(client, project, pfile, days=30) | SUBMIT
    response = client.post(add_url(project, "tendernotice"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    tender = TenderNotice.objects.get()
    login(client, people["czj_reviewer"])
    assert client.post(workflow_action_url(tender, "approve"), {"comment": "同意"}).status_code == 302
    project.refresh_from_db()
    assert project.status(project.documents_from) == Status.OPEN
    assert project.status() == Status.UPCOMING  # documents are offered from 5 minutes on
    assert pfile.published_version() is not None  # the document went out with the notice


def test_a_tender_deadline_too_early_is_refused_with_the_rule_quoted(people, portal, tree, client):
    _, folders = tree
    project = make_project(folders["czj"])
    pfile = make_file(project)
    login(client, people["czj_editor"])
    response = client.post(add_url(project, "tendernotice"), _tender_data(client, project, pfile, days=10))
    assert response.status_code == 200
    text = response.content.decode()
    assert "不得少于二十日" in text and "《中华人民共和国政府采购法》第三十五条" in text
    assert not TenderNotice.objects.exists()


@pytest.mark.parametrize(
    ("budget", "message"),
    [("-5", "预算金额必须大于0元"), ("一百万", "输入一个数字"), ("999999999999", "1000亿元")],
)
def test_bad_budgets_get_a_clear_message(people, portal, tree, client, budget, message):
    _, folders = tree
    login(client, people["czj_editor"])
    data = _project_data(client, folders["czj"], budget=budget)
    response = client.post(add_url(folders["czj"], "procurementproject"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ProcurementProject.objects.exists()


def test_lots_over_the_project_budget_are_refused(people, portal, tree, client):
    _, folders = tree
    login(client, people["czj_editor"])
    data = _project_data(client, folders["czj"], **{"lots-0-budget": "900000"})
    response = client.post(add_url(folders["czj"], "procurementproject"), data)
    assert response.status_code == 200
    assert "超过了项目预算" in response.content.decode()


def test_another_departments_editor_cannot_touch_the_project(people, portal, tree, client):
    _, folders = tree
    project = make_project(folders["czj"])
    login(client, people["fgw_editor"])
    assert is_denied(client.get(reverse("wagtailadmin_pages:edit", args=[project.pk])))
    assert is_denied(client.get(add_url(project, "tendernotice")))
    assert is_denied(client.get(add_url(folders["czj"], "procurementproject")))


def test_the_project_number_is_fixed_once_published(people, portal, tree, client):
    _, folders = tree
    project = make_project(folders["czj"])
    login(client, people["czj_editor"])
    url = reverse("wagtailadmin_pages:edit", args=[project.pk])
    data = page_form_data(client, url, project_number="JYCG-2099-9999")
    assert client.post(url, data).status_code == 302
    project.refresh_from_db()
    assert project.project_number == "JYCG-2026-0001"
    assert project.get_latest_revision_as_object().project_number == "JYCG-2026-0001"
