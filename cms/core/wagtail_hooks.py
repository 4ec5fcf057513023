from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Department, Topic


class DepartmentViewSet(SnippetViewSet):
    model = Department
    icon = "group"
    menu_label = "部门"
    menu_order = 200
    add_to_admin_menu = True
    list_display = ["name", "short_name", "org_code", "parent"]
    search_fields = ["name", "short_name", "org_code"]


class TopicViewSet(SnippetViewSet):
    model = Topic
    icon = "folder-open-inverse"
    menu_label = "主题分类"
    list_display = ["code", "name", "parent"]
    list_filter = ["parent"]


register_snippet(DepartmentViewSet)
register_snippet(TopicViewSet)
