"""Admin: 站内搜索 › 同义词 (synonyms, editable) and 无结果搜索词 (what the public searched for in vain).
Best bets are Wagtail's own promoted search results (wagtail.contrib.search_promotions)."""

from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from search.models import Synonym, ZeroResultQuery


class SynonymViewSet(ModelViewSet):
    model = Synonym
    icon = "list-ul"
    menu_label = "同义词"
    add_to_admin_menu = False
    list_display = ["__str__", "note"]
    search_fields = ["terms", "note"]
    form_fields = ["terms", "note"]


class ReadAndClearPolicy(ModelPermissionPolicy):
    """Rows written by the public's searches: administrators may view and delete, never add or edit."""

    def user_has_permission(self, user, action):
        return action not in ("add", "change") and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


class ZeroResultQueryViewSet(ModelViewSet):
    """A list to read (and clear), not to write: the rows come from the public's searches."""

    model = ZeroResultQuery
    icon = "warning"
    menu_label = "无结果搜索词"
    list_display = ["query", "count", "first_seen", "last_seen"]
    list_filter = []
    search_fields = ["query"]
    ordering = ["-count", "-last_seen"]
    form_fields = ["query"]


register_permission_policy(ZeroResultQuery, ReadAndClearPolicy(ZeroResultQuery))


class SearchViewSetGroup(ViewSetGroup):
    menu_label = "站内搜索"
    menu_icon = "search"
    menu_order = 320
    items = (SynonymViewSet("synonyms"), ZeroResultQueryViewSet("zero_results"))


@hooks.register("register_admin_viewset")
def register_search_viewsets():
    return SearchViewSetGroup()
