"""Least privilege for casework: officers' and supervisors' groups, and the service-guide folders that a
department's editors and reviewers work in beside their disclosure folder."""

import pytest
from django.contrib.auth.models import AnonymousUser, Group, Permission
from django.core.management import call_command
from django.urls import reverse
from wagtail.models import GroupPagePermission, WorkflowPage

from cms.core.models import Department
from cms.editors.groups import (
    SITE_ADMIN_GROUP,
    SUPERVISOR_GROUP,
    ensure_site_admin_group,
    ensure_supervisor_group,
    officer_departments,
)
from cms.editors.provision import setup_department
from cms.services.models import ServiceDepartmentPage
from tests.casework_builders import make_guide, make_service_tree
from tests.test_editors import is_denied, make_user, page_actions

pytestmark = pytest.mark.anydb


def codenames(group):
    return {
        f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")
    }


@pytest.fixture
def zwfw(portal):
    index, folders = make_service_tree(portal)
    return index, folders


def test_officers_supervisors_and_site_administrators_groups(zwfw, capsys):
    officers = Group.objects.get(name="市财政局承办")
    assert codenames(officers) == {
        "wagtailadmin.access_admin",
        "applications.handle_application",
        "disclosure_requests.handle_disclosurerequest",
    }
    assert not GroupPagePermission.objects.filter(group=officers).exists()
    # An extra permission is taken away again by the next setup.
    officers.permissions.add(Permission.objects.get(codename="change_department"))
    changes = setup_department(zwfw[1]["czj"])
    assert changes.removed == ["权限 市财政局承办: core.change_department"]
    assert "core.change_department" not in codenames(officers)

    supervisors, _ = ensure_supervisor_group()
    assert supervisors.name == SUPERVISOR_GROUP
    assert codenames(supervisors) == {
        "wagtailadmin.access_admin",
        "applications.view_application",
        "disclosure_requests.view_disclosurerequest",
    }
    site_admins, _ = ensure_site_admin_group()
    assert site_admins.name == SITE_ADMIN_GROUP
    assert {
        "casework.add_calendaroverride",
        "casework.change_calendaroverride",
        "casework.delete_calendaroverride",
        "applications.view_application",
    } <= codenames(site_admins)
    assert "applications.handle_application" not in codenames(site_admins)

    call_command("setup_editors")
    assert "效能监察: 无变化" in capsys.readouterr().out
    call_command("setup_editors")
    assert "完成：0 项变更" in capsys.readouterr().out


def test_editors_and_reviewers_work_in_both_folders_with_the_workflow_also_in_new_ones(portal, zwfw):
    editors, reviewers = Group.objects.get(name="市财政局编辑"), Group.objects.get(name="市财政局审核")
    for folder in (portal.folders["czj"], zwfw[1]["czj"]):
        assert page_actions(editors, folder) == {"add_page", "change_page"}
        assert page_actions(reviewers, folder) == {"add_page", "change_page", "publish_page", "lock_page"}
        assert WorkflowPage.objects.get(page=folder).workflow.name == "市财政局审核流程"
    assert GroupPagePermission.objects.filter(group=editors).count() == 4
    assert not setup_department(portal.folders["czj"])  # idempotent

    # A service folder created later is set up by its signal.
    index, _ = zwfw
    dept = Department.objects.create(
        slug="jyj", name="济源市教育局", short_name="市教育局", org_code="005423199"
    )
    index.add_child(instance=ServiceDepartmentPage(title=dept.name, slug="jyj", department=dept))
    folder = ServiceDepartmentPage.objects.get(department=dept)
    assert page_actions(Group.objects.get(name="市教育局编辑"), folder) == {"add_page", "change_page"}
    assert WorkflowPage.objects.get(page=folder).workflow.name == "市教育局审核流程"
    assert Group.objects.filter(name="市教育局承办").exists()


def test_an_editor_edits_guides_of_their_own_department_only(portal, zwfw, client):
    _, folders = zwfw
    own = make_guide(folders["czj"], item_code="CZJ-1")
    other = make_guide(folders["fgw"], title="企业投资项目备案", item_code="FGW-1")
    client.force_login(make_user("czj_editor", "市财政局编辑"))
    assert client.get(reverse("wagtailadmin_pages:edit", args=[own.pk])).status_code == 200
    assert is_denied(client.get(reverse("wagtailadmin_pages:edit", args=[other.pk])))


def test_officer_departments(portal, zwfw, django_user_model):
    both = make_user("both", "市财政局承办", "市发展改革委承办")
    assert set(officer_departments(both)) == {portal.departments["czj"], portal.departments["fgw"]}
    editor = make_user("czj_editor", "市财政局编辑")
    assert not officer_departments(editor).exists()
    root = django_user_model.objects.create_superuser("root", "root@jiyuan.gov.cn", "pw-root-1")
    assert not officer_departments(root).exists()  # superusers are not officers by default
    assert not officer_departments(AnonymousUser()).exists()
    both.is_active = False
    assert not officer_departments(both).exists()
