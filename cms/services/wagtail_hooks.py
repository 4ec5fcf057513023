"""Admin: topics and life events (服务主题) as snippets; the guides themselves are pages under /zwfw/."""

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import ServiceTopic


class ServiceTopicViewSet(SnippetViewSet):
    model = ServiceTopic
    icon = "tag"
    menu_label = "服务主题"
    list_display = ["name", "slug", "kind", "audience", "sort_order"]
    list_filter = ["kind", "audience"]
    search_fields = ["name"]
    ordering = ["audience", "sort_order", "name"]


register_snippet(ServiceTopicViewSet)
