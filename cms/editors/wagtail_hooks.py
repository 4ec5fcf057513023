"""Keep department editors inside their department.

Page permissions already confine editors to their folder's subtree. What they do not cover is a
``department`` form field on a page *inside* the folder (the folder's own 部门, the 部门 of a guide or
an annual report): only site administrators (who may edit the Department snippets) may point such a
page at another department. Documents take their 发布机构 from the folder and have no such field.
"""

from django.shortcuts import redirect
from django.urls import reverse
from wagtail import hooks
from wagtail.admin import messages

from cms.disclosure.models import DisclosureDepartmentPage

from .groups import is_site_admin

DEPARTMENT_FIELD = "department"
REFUSED = "只有网站管理员可以更改页面的所属部门；部门信息员只能在本部门栏目内编辑。"


def folder_department_id(page):
    """The department of the folder that ``page`` is, or sits in; ``None`` outside any folder."""
    folder = DisclosureDepartmentPage.objects.ancestor_of(page, inclusive=True).only("department_id").first()
    return folder.department_id if folder else None


def refuses_department(request, page):
    if request.method != "POST" or DEPARTMENT_FIELD not in request.POST or is_site_admin(request.user):
        return False
    expected = folder_department_id(page)
    if expected is None:
        return False
    posted = request.POST.get(DEPARTMENT_FIELD, "")
    return posted not in ("", str(expected))


@hooks.register("before_edit_page")
def keep_department_on_edit(request, page):
    if refuses_department(request, page):
        messages.error(request, REFUSED)
        return redirect(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    return None


@hooks.register("before_create_page")
def keep_department_on_create(request, parent_page, page_class):
    if refuses_department(request, parent_page):
        messages.error(request, REFUSED)
        return redirect(reverse("wagtailadmin_explore", args=[parent_page.pk]))
    return None
