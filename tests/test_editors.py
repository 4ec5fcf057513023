"""Least-privilege editing: department groups, collections, and what an editor can and cannot reach."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.models import Collection, GroupPagePermission, Page, WorkflowPage
from wagtail.permission_policies.collections import CollectionPermissionPolicy
from wagtail.test.utils.form_data import querydict_from_html

from cms.core.models import Department, Topic
from cms.disclosure.models import DisclosureDepartmentPage, DisclosureDocument
from cms.editors.groups import (
    SITE_ADMIN_GROUP,
    ensure_site_admin_group,
    page_permission,
)
from cms.editors.provision import setup_department

pytestmark = pytest.mark.anydb

PASSWORD = "济源-test-pw-2025"


# --- helpers shared with test_workflow.py ----------------------------------------------


def make_user(username, *group_names, email=None):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(
        username=username, email=email or f"{username}@jiyuan.gov.cn", password=PASSWORD
    )
    user.groups.add(*Group.objects.filter(name__in=group_names))
    assert user.groups.count() == len(group_names), f"missing group among {group_names}"
    return user


def login(client, user):
    client.force_login(user)
    return client


def is_denied(response):
    """Wagtail answers a permission denial with a redirect to the admin home (or a plain 403)."""
    if response.status_code == 403:
        return True
    return response.status_code == 302 and response.url == reverse("wagtailadmin_home")


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def add_document_url(folder):
    return reverse("wagtailadmin_pages:add", args=["disclosure", "disclosuredocument", folder.pk])


def page_form_data(client, url, **overrides):
    """The page form as the browser would post it: read from the rendered form, then overridden.

    StreamFields and the comments formset are built by JavaScript, so their management fields
    are added here (the builders' documents have an empty body).
    """
    response = client.get(url)
    assert response.status_code == 200, response
    form = querydict_from_html(response.content.decode(), form_id="page-edit-form")
    data = {key: value.strip() for key, value in form.items() if "__prefix__" not in key}
    data.update(
        {
            "body-count": "0",
            "comments-TOTAL_FORMS": "0",
            "comments-INITIAL_FORMS": "0",
            "comments-MIN_NUM_FORMS": "0",
            "comments-MAX_NUM_FORMS": "1000",
        }
    )
    data.update(overrides)
    return data


def new_document_data(client, folder, title, slug, **overrides):
    return page_form_data(
        client,
        add_document_url(folder),
        title=title,
        slug=slug,
        topic=str(Topic.objects.get(code="03").pk),
        written_on="2025-06-01",
        **overrides,
    )


@pytest.fixture
def people(portal):
    """An editor and a reviewer for 市财政局 and 市发展改革委, and a site administrator."""
    ensure_site_admin_group()
    return {
        "czj_editor": make_user("czj_editor", "市财政局编辑"),
        "czj_reviewer": make_user("czj_reviewer", "市财政局审核"),
        "fgw_editor": make_user("fgw_editor", "市发展改革委编辑"),
        "fgw_reviewer": make_user("fgw_reviewer", "市发展改革委审核"),
        "site_admin": make_user("site_admin", SITE_ADMIN_GROUP),
    }


def doc_in(portal, slug):
    return next(d for d in portal.documents if d.get_parent().pk == portal.folders[slug].pk)


def page_actions(group, page):
    return set(
        GroupPagePermission.objects.filter(group=group, page=page).values_list(
            "permission__codename", flat=True
        )
    )


# --- groups, collections, workflows ----------------------------------------------------


def test_each_department_folder_gets_least_privilege_groups(portal):
    folder = portal.folders["czj"]
    editors = Group.objects.get(name="市财政局编辑")
    reviewers = Group.objects.get(name="市财政局审核")

    assert page_actions(editors, folder) == {"add_page", "change_page"}
    assert page_actions(reviewers, folder) == {"add_page", "change_page", "publish_page", "lock_page"}
    # Nowhere else in the tree.
    assert (
        not GroupPagePermission.objects.filter(group__in=[editors, reviewers]).exclude(page=folder).exists()
    )
    for group in (editors, reviewers):
        assert group.permissions.filter(codename="access_admin").exists()

    collection = Collection.objects.get(name="济源市财政局")
    assert collection.get_parent() == Collection.get_first_root_node()
    policy = CollectionPermissionPolicy(get_document_model())
    editor = make_user("czj_files", "市财政局编辑")
    for action in ("add", "change", "choose"):
        assert list(policy.collections_user_has_permission_for(editor, action)) == [collection]
    assert not policy.collections_user_has_permission_for(editor, "delete").exists()

    link = WorkflowPage.objects.get(page=folder)
    assert link.workflow.name == "市财政局审核流程"
    tasks = list(link.workflow.tasks.specific())
    assert [t.name for t in tasks] == ["市财政局部门审核"]
    assert list(tasks[0].groups.all()) == [reviewers]


def test_setup_is_idempotent_and_repairs_extra_permissions(portal):
    folder = portal.folders["czj"]
    assert not setup_department(folder)  # the signal already did everything

    editors = Group.objects.get(name="市财政局编辑")
    GroupPagePermission.objects.create(group=editors, page=folder, permission=page_permission("publish"))
    GroupPagePermission.objects.create(group=editors, page=portal.home, permission=page_permission("change"))
    changes = setup_department(folder)
    assert len(changes.removed) == 2 and not changes.created
    assert page_actions(editors, folder) == {"add_page", "change_page"}
    assert Group.objects.filter(name="市财政局编辑").count() == 1
    assert Collection.objects.filter(name="济源市财政局").count() == 1


def test_setup_editors_command_prints_what_it_created(portal, capsys):
    call_command("setup_editors")
    first = capsys.readouterr().out
    assert "用户组 网站管理员" in first
    assert "济源市财政局: 无变化" in first

    call_command("setup_editors")
    second = capsys.readouterr().out
    assert "+ " not in second and "- " not in second
    assert "完成：0 项变更" in second


def test_a_new_department_folder_is_set_up_automatically(portal):
    dept = Department.objects.create(
        slug="jyj", name="济源市教育局", short_name="市教育局", org_code="005423199"
    )
    portal.xxgk.add_child(instance=DisclosureDepartmentPage(title=dept.name, slug="jyj", department=dept))
    folder = DisclosureDepartmentPage.objects.get(department=dept)

    assert page_actions(Group.objects.get(name="市教育局编辑"), folder) == {"add_page", "change_page"}
    assert Collection.objects.filter(name="济源市教育局").exists()
    assert WorkflowPage.objects.get(page=folder).workflow.name == "市教育局审核流程"


def test_site_admin_group(people, portal, client):
    group = Group.objects.get(name=SITE_ADMIN_GROUP)
    root = Page.get_first_root_node()
    assert page_actions(group, root) == {
        "add_page",
        "bulk_delete_page",
        "change_page",
        "lock_page",
        "publish_page",
        "unlock_page",
    }
    admin = people["site_admin"]
    for perm in (
        "core.change_department",
        "core.add_topic",
        "core.change_sitesettings",
        "core.change_navigationsettings",
        "wagtailcore.change_workflow",
    ):
        assert admin.has_perm(perm), perm
    assert not admin.is_superuser and not admin.has_perm("auth.change_group")
    # Wagtail's user form would let a user editor grant superuser status: accounts stay with superusers.
    assert not admin.has_perm("auth.add_user") and not admin.has_perm("auth.change_user")

    login(client, admin)
    assert client.get(edit_url(doc_in(portal, "fgw"))).status_code == 200
    settings_url = reverse("wagtailsettings:edit", args=["core", "sitesettings", portal.site.pk])
    assert client.get(settings_url).status_code == 200
    assert client.get(reverse("wagtailusers_users:add")).status_code in (302, 403)


# --- what an editor can and cannot do ----------------------------------------------------


def test_editor_edits_own_department_documents(people, portal, client):
    login(client, people["czj_editor"])
    response = client.get(edit_url(doc_in(portal, "czj")))
    assert response.status_code == 200
    html = response.content.decode()
    assert "提交给市财政局审核流程" in html  # the department's workflow, in Chinese
    assert 'name="action-publish"' not in html


def test_editor_creates_a_document_in_own_folder(people, portal, client):
    login(client, people["czj_editor"])
    folder = portal.folders["czj"]
    data = new_document_data(client, folder, "济源市财政局关于开展财会监督检查的通知", "cwjd-2025")
    response = client.post(add_document_url(folder), data)
    assert response.status_code == 302, response.content.decode()[:2000]

    doc = DisclosureDocument.objects.get(slug="cwjd-2025")
    assert doc.get_parent().pk == folder.pk
    assert doc.department == portal.departments["czj"]  # derived from the folder
    assert doc.owner == people["czj_editor"]
    assert not doc.live and doc.index_number is None


def test_editor_is_refused_another_departments_documents_and_folder(people, portal, client):
    login(client, people["czj_editor"])
    fgw_doc, fgw_folder = doc_in(portal, "fgw"), portal.folders["fgw"]

    assert is_denied(client.get(edit_url(fgw_doc)))
    assert is_denied(client.get(add_document_url(fgw_folder)))

    own = new_document_data(client, portal.folders["czj"], "越权文件", "yuequan")
    response = client.post(add_document_url(fgw_folder), own)
    assert is_denied(response)
    assert not DisclosureDocument.objects.filter(slug="yuequan").exists()

    response = client.post(edit_url(fgw_doc), {"title": "被篡改的标题"})
    assert is_denied(response)
    fgw_doc.refresh_from_db()
    assert fgw_doc.title != "被篡改的标题"
    assert fgw_doc.get_latest_revision().as_object().title != "被篡改的标题"


def test_editor_cannot_move_a_document_out_of_the_department(people, portal, client):
    editor = people["czj_editor"]
    login(client, editor)
    czj_folder, fgw_folder = portal.folders["czj"], portal.folders["fgw"]
    client.post(add_document_url(czj_folder), new_document_data(client, czj_folder, "草稿文件", "caogao"))
    draft = DisclosureDocument.objects.get(slug="caogao")
    live = doc_in(portal, "czj")

    # Wagtail's move rules follow page permissions: "add" (and "publish" for live pages) at the destination.
    assert not draft.permissions_for_user(editor).can_move_to(fgw_folder)
    assert not live.permissions_for_user(editor).can_move()  # moving live pages needs publish rights

    move_confirm = reverse("wagtailadmin_pages:move_confirm", args=[draft.pk, fgw_folder.pk])
    assert is_denied(client.post(move_confirm))
    draft.refresh_from_db()
    assert draft.get_parent().pk == czj_folder.pk
    assert draft.department == portal.departments["czj"]

    # The explorer does not open another department's folder: it sends the editor to their own.
    response = client.get(reverse("wagtailadmin_explore", args=[fgw_folder.pk]))
    assert response.status_code == 302
    assert response.url == reverse("wagtailadmin_explore", args=[czj_folder.pk])


def test_editor_cannot_reassign_the_department_of_their_folder(people, portal, client):
    login(client, people["czj_editor"])
    folder = portal.folders["czj"]
    spare = Department.objects.create(
        slug="spare", name="济源市备用局", short_name="备用局", org_code="005423188"
    )
    data = page_form_data(client, edit_url(folder), department=str(spare.pk))
    response = client.post(edit_url(folder), data, follow=True)
    assert response.redirect_chain == [(edit_url(folder), 302)]
    assert "只有网站管理员可以更改页面的所属部门" in response.content.decode()
    folder.refresh_from_db()
    assert folder.department == portal.departments["czj"]
    assert folder.get_latest_revision().as_object().department_id == portal.departments["czj"].pk

    # The same form without the change goes through (as a draft).
    data = page_form_data(client, edit_url(folder), intro="财政预决算、政府采购信息")
    assert client.post(edit_url(folder), data).status_code == 302
    folder.refresh_from_db()
    assert folder.get_latest_revision().as_object().intro == "财政预决算、政府采购信息"


def test_editor_cannot_publish_a_document_directly(people, portal, client):
    editor = people["czj_editor"]
    login(client, editor)
    folder = portal.folders["czj"]
    assert not folder.permissions_for_user(editor).can_publish_subpage()

    data = new_document_data(
        client, folder, "直接发布的尝试", "zhijie", **{"action-publish": "action-publish"}
    )
    client.post(add_document_url(folder), data)
    doc = DisclosureDocument.objects.get(slug="zhijie")
    assert not doc.live and doc.index_number is None
    assert doc.first_published_at is None

    live = doc_in(portal, "czj")
    data = page_form_data(
        client, edit_url(live), title="未经审核的新标题", **{"action-publish": "action-publish"}
    )
    client.post(edit_url(live), data)
    live.refresh_from_db()
    assert live.title != "未经审核的新标题"  # the live page did not change
    assert live.has_unpublished_changes
    assert live.get_latest_revision().as_object().title == "未经审核的新标题"  # kept as a draft


def test_documents_ignore_a_posted_department(people, portal, client):
    login(client, people["czj_editor"])
    folder = portal.folders["czj"]
    data = new_document_data(
        client, folder, "部门字段测试", "bumen", department=str(portal.departments["fgw"].pk)
    )
    client.post(add_document_url(folder), data)
    # Either the guard refuses the post or the form ignores the field: never an fgw document in czj.
    assert not DisclosureDocument.objects.filter(department=portal.departments["fgw"], slug="bumen").exists()


def test_workflow_submit_button_is_offered_to_editors(people, portal, client):
    login(client, people["czj_editor"])
    html = client.get(add_document_url(portal.folders["czj"])).content.decode()
    assert 'name="action-submit"' in html
    assert 'name="action-publish"' not in html


def test_scheduled_publishing_fields_are_offered(people, portal, client):
    login(client, people["czj_editor"])
    data = page_form_data(client, edit_url(doc_in(portal, "czj")))
    assert "go_live_at" in data and "expire_at" in data
