"""The catalogue in the Wagtail admin: each department edits its own resources, site admins everything."""

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.urls import reverse
from wagtail.permissions import policy_registry
from wagtail.test.utils.form_data import querydict_from_html

from cms.catalogue.models import DataItem, Resource, ResourceClass
from cms.catalogue.permissions import ResourcePermissionPolicy
from cms.core.models import Department
from cms.editors.groups import departments_of, ensure_site_admin_group
from cms.editors.provision import setup_department
from tests import test_catalogue_public, test_editors
from tests.test_editors import is_denied, login, make_user

pytestmark = pytest.mark.anydb

people = test_editors.people  # editors and reviewers of 市财政局 and 市发展改革委, and a site administrator
catalogue = test_catalogue_public.catalogue  # five resources of 市财政局, 市发展改革委 and 市政府办公室

INDEX = reverse("catalogue_resources:index")
ADD = reverse("catalogue_resources:add")
CLASSES = reverse("catalogue_classes:index")
RESOURCE_PERMISSIONS = {"add_resource", "change_resource", "delete_resource", "view_resource"}


def url(name, resource):
    return reverse(f"catalogue_resources:{name}", args=[resource.pk])


def form_data(client, address, **overrides):
    """The admin form as a browser posts it: read from the rendered page, then overridden."""
    response = client.get(address)
    assert response.status_code == 200, response
    form = querydict_from_html(response.content.decode(), form_id="w-editor-form")
    data = {key: value.strip() for key, value in form.items() if "__prefix__" not in key}
    data.update(overrides)
    return data


def new_resource(**overrides):
    """Fields of a new 市财政局 resource with one data item."""
    data = {
        "name": "政府采购合同信息",
        "code": "202001/000031",
        "classification": str(ResourceClass.objects.get(code="202001").pk),
        "summary": "政府采购合同的主要条款。",
        "resource_format": "database",
        "sharing": "conditional",
        "sharing_method": "interface",
        "sharing_conditions": "用于审计监督",
        "openness": "open",
        "update_cycle": "monthly",
        "released_on": "2025-06-01",
        "related_codes": "302002/000001，104002/000001",
        "data_items-TOTAL_FORMS": "1",
        "data_items-INITIAL_FORMS": "0",
        "data_items-MIN_NUM_FORMS": "0",
        "data_items-MAX_NUM_FORMS": "1000",
        "data_items-0-name": "合同编号",
        "data_items-0-data_type": "C",
        "data_items-0-description": "",
        "data_items-0-ORDER": "1",
        "data_items-0-id": "",
    }
    data.update(overrides)
    return data


# --- groups and departments_of -------------------------------------------------------------------


def test_department_groups_may_edit_resources_and_site_admins_the_classification(people):
    for name in ("市财政局编辑", "市财政局审核"):
        codenames = set(Group.objects.get(name=name).permissions.values_list("codename", flat=True))
        assert codenames >= RESOURCE_PERMISSIONS, name
        assert not {c for c in codenames if c.endswith("resourceclass")}, name
    admin = people["site_admin"]
    for action in ("add", "change", "delete", "view"):
        assert admin.has_perm(f"catalogue.{action}_resource")
        assert admin.has_perm(f"catalogue.{action}_resourceclass")


def test_setup_stays_idempotent(portal, people):
    assert not setup_department(portal.folders["czj"])
    _, changes = ensure_site_admin_group()
    assert not changes


def test_departments_of(people, portal, django_user_model):
    assert list(departments_of(people["czj_editor"])) == [portal.departments["czj"]]
    assert list(departments_of(people["fgw_reviewer"])) == [portal.departments["fgw"]]
    both = make_user("both", "市财政局编辑", "市发展改革委审核")
    assert set(departments_of(both)) == {portal.departments["czj"], portal.departments["fgw"]}
    assert departments_of(people["site_admin"]).count() == Department.objects.count() == 3
    root = django_user_model.objects.create_superuser("root", "root@jiyuan.gov.cn", "pw")
    assert departments_of(root).count() == 3
    assert not departments_of(AnonymousUser()).exists()
    people["czj_editor"].is_active = False
    assert not departments_of(people["czj_editor"]).exists()


def test_departments_of_follows_the_full_name_when_there_is_no_short_name(db):
    dept = Department.objects.create(slug="jyj", name="济源市教育局", org_code="005423199")
    Group.objects.create(name="济源市教育局编辑")
    assert list(departments_of(make_user("jyj_editor", "济源市教育局编辑"))) == [dept]


# --- an editor stays inside the department --------------------------------------------------------


def test_editor_lists_only_own_department_resources(people, catalogue, client):
    login(client, people["czj_editor"])
    html = client.get(INDEX).content.decode()
    assert "部门预算公开信息" in html and "财政收支月报" in html
    for other in ("重大项目审批信息", "项目审查内部意见", "政务服务事项目录"):
        assert other not in html, other
    # The list filter offers the editor's department only.
    assert "市财政局" in html and "济源市发展和改革委员会" not in html
    # Searching does not reach past the department either.
    assert "重大项目审批信息" not in client.get(INDEX, {"q": "重大项目"}).content.decode()


def test_editor_cannot_open_another_departments_resource(people, catalogue, client):
    login(client, people["czj_editor"])
    other = catalogue.projects
    for name in ("edit", "delete", "history", "usage"):
        assert client.get(url(name, other)).status_code == 404, name
    response = client.post(url("edit", other), new_resource(name="改掉别人的资源", code=other.code))
    assert response.status_code == 404
    assert client.post(url("delete", other)).status_code == 404
    other.refresh_from_db()
    assert other.name == "重大项目审批信息"


def test_editor_edits_own_resource_but_cannot_move_it_to_another_department(people, catalogue, client):
    login(client, people["czj_editor"])
    own = catalogue.budget
    address = url("edit", own)
    html = client.get(address).content.decode()
    department = html[html.index('name="department"') :]
    department = department[: department.index("</select>")]
    assert "济源市财政局" in department and "济源市发展和改革委员会" not in department

    data = form_data(client, address, name="部门预算与决算公开信息")
    assert data["related_codes"] == "", "a JSON list is edited as lines of codes"
    response = client.post(address, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    own.refresh_from_db()
    assert own.name == "部门预算与决算公开信息"
    assert own.data_items.count() == 2, "the data items were kept"

    fgw = portal_department(catalogue, "fgw")
    response = client.post(address, form_data(client, address, department=str(fgw.pk)))
    assert response.status_code == 200, "the form comes back with an error"
    own.refresh_from_db()
    assert own.department.slug == "czj"


def portal_department(catalogue, slug):
    return catalogue.portal.departments[slug]


def test_editor_creates_a_resource_for_own_department(people, catalogue, client):
    login(client, people["czj_editor"])
    czj = portal_department(catalogue, "czj")
    html = client.get(ADD).content.decode()
    assert f'<option value="{czj.pk}" selected>济源市财政局</option>' in html, "the only choice, preselected"

    response = client.post(ADD, new_resource(department=str(czj.pk)))
    assert response.status_code == 302, response.content.decode()[:3000]
    created = Resource.objects.get(code="202001/000031")
    assert created.department == czj
    assert created.related_codes == ["302002/000001", "104002/000001"]
    assert list(created.data_items.values_list("name", "data_type")) == [("合同编号", "C")]
    # …and it is on the public catalogue at once.
    assert client.get("/ziyuan/202001/000031/").status_code == 200


def test_editor_cannot_create_a_resource_for_another_department(people, catalogue, client):
    login(client, people["czj_editor"])
    fgw = portal_department(catalogue, "fgw")
    response = client.post(ADD, new_resource(department=str(fgw.pk)))
    assert response.status_code == 200
    assert not Resource.objects.filter(code="202001/000031").exists()
    assert not DataItem.objects.filter(name="合同编号").exists()


def test_the_model_rules_still_apply(people, catalogue, client):
    login(client, people["czj_editor"])
    czj = portal_department(catalogue, "czj")
    response = client.post(ADD, new_resource(department=str(czj.pk), code="202002/000031"))
    assert response.status_code == 200
    assert "与所选资源分类“202001”不一致" in response.content.decode()
    response = client.post(ADD, new_resource(department=str(czj.pk), related_codes="abc"))
    assert "关联资源代码格式不正确" in response.content.decode()
    assert not Resource.objects.filter(code__startswith="20200").exists()


def test_editors_have_no_classification_admin(people, catalogue, client):
    login(client, people["czj_editor"])
    assert is_denied(client.get(CLASSES))
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert INDEX in home and CLASSES not in home, "the menu offers resources, not the classification"


def test_the_policy_names_who_may_edit_a_resource(people, catalogue):
    policy = policy_registry.get_by_type(Resource)
    assert isinstance(policy, ResourcePermissionPolicy)
    users = set(policy.users_with_permission_for_instance("change", catalogue.projects))
    assert {people["fgw_editor"], people["fgw_reviewer"], people["site_admin"]} <= users
    assert people["czj_editor"] not in users and people["czj_reviewer"] not in users
    assert policy.user_has_permission_for_instance(people["czj_reviewer"], "delete", catalogue.budget)
    assert not policy.user_has_permission_for_instance(people["czj_reviewer"], "delete", catalogue.projects)


def test_a_user_without_a_department_sees_no_resources(portal, catalogue, client):
    group = Group.objects.create(name="资源目录只读")
    group.permissions.add(*Group.objects.get(name="市财政局编辑").permissions.all())
    login(client, make_user("nobody", "资源目录只读"))
    html = client.get(INDEX).content.decode()
    assert "部门预算公开信息" not in html and "重大项目审批信息" not in html
    assert client.get(url("edit", catalogue.budget)).status_code == 404


# --- site administrators -------------------------------------------------------------------------


def test_site_admin_reaches_every_department(people, catalogue, client):
    login(client, people["site_admin"])
    html = client.get(INDEX).content.decode()
    for name in ("部门预算公开信息", "重大项目审批信息", "项目审查内部意见", "政务服务事项目录"):
        assert name in html
    assert client.get(url("edit", catalogue.projects)).status_code == 200
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert INDEX in home and CLASSES in home


def test_admin_list_filters(people, catalogue, client):
    login(client, people["site_admin"])

    def names(**query):
        html = client.get(INDEX, query).content.decode()
        return {r.name for r in Resource.objects.all() if r.name in html}

    fgw = portal_department(catalogue, "fgw")
    assert names(department=fgw.pk) == {"重大项目审批信息", "项目审查内部意见"}
    assert names(catalogue="1") == {"财政收支月报"}
    assert names(openness="closed") == {"项目审查内部意见"}
    assert names(sharing="none", catalogue="2") == {"政务服务事项目录"}


def test_site_admin_manages_the_classification(people, db, client):
    login(client, people["site_admin"])
    assert "302001" in client.get(CLASSES).content.decode()

    add = reverse("catalogue_classes:add")
    response = client.post(add, {"code": "302001001", "name": "重大项目审批"})
    assert response.status_code == 302
    node = ResourceClass.objects.get(code="302001001")
    assert node.level == 4 and node.parent.code == "302001"

    response = client.post(add, {"code": "399001", "name": "没有上级"})
    assert response.status_code == 200
    assert "上级分类“399”不存在" in response.content.decode()

    # The code is the class's place in the tree: fixed once created.
    edit = reverse("catalogue_classes:edit", args=[node.pk])
    response = client.post(edit, {"code": "302002001", "name": "重大项目审批事项"})
    assert response.status_code == 302
    node.refresh_from_db()
    assert (node.code, node.name) == ("302001001", "重大项目审批事项")


def test_a_class_in_use_is_not_deleted(people, catalogue, client):
    login(client, people["site_admin"])
    used = ResourceClass.objects.get(code="302001")
    response = client.post(reverse("catalogue_classes:delete", args=[used.pk]))
    assert response.status_code in (302, 403)
    assert ResourceClass.objects.filter(code="302001").exists()

    unused = ResourceClass.objects.get(code="304003")
    response = client.post(reverse("catalogue_classes:delete", args=[unused.pk]))
    assert response.status_code == 302
    assert not ResourceClass.objects.filter(code="304003").exists()
