"""Atom feed of the newest notices for any filter of the list: /zfcg/feed/?category=it_equipment&status=open.

The newest 50 notices belong to at most 50 projects, and those are the 50 matching projects with the
most recent ``latest_notice_at``: so the feed reads 50 projects by an indexed column and their notices
in one more query, however many projects match.
"""

from django.contrib.syndication.views import Feed
from django.http import HttpResponseBadRequest
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from cms.procurement.models import NoticePage
from cms.procurement.templatetags.procurement_tags import wan

from .filters import FilterError
from .scope import matching_projects, with_parent_path

FEED_ITEMS = 50


def newest_notices(projects, limit=None):
    """The ``limit`` (FEED_ITEMS) newest live notices of ``projects``, each with ``.project_of_feed``."""
    limit = limit or FEED_ITEMS
    recent = list(
        projects.filter(latest_notice_at__isnull=False)
        .select_related("buyer", "agency")
        .order_by("-latest_notice_at", "-pk")[:limit]
    )
    by_path = {project.path: project for project in recent}
    if not by_path:
        return []
    notices = list(
        with_parent_path(NoticePage.objects.live().public())
        .filter(parent_path__in=list(by_path))
        .order_by("-first_published_at", "-pk")
        .specific()[:limit]
    )
    for notice in notices:
        notice.project_of_feed = by_path[notice.path[: -NoticePage.steplen]]
    return notices


class NoticeFeed(Feed):
    feed_type = Atom1Feed

    def __call__(self, request, *args, **kwargs):
        try:
            self.index, self.filters, self.projects = matching_projects(request, timezone.now())
        except FilterError as error:
            return HttpResponseBadRequest(f"筛选条件有误：{error}", content_type="text/plain; charset=utf-8")
        self.request = request
        return super().__call__(request, *args, **kwargs)

    def title(self):
        words = "、".join(self.filters.describe())
        return f"{self.index.title}公告（{words}）" if words else f"{self.index.title}公告"

    def link(self):
        query = self.filters.to_query()
        return self.index.get_url(self.request) + (f"?{query}" if query else "")

    def feed_url(self):
        return self.request.get_full_path()

    def subtitle(self):
        return "采购公告、更正公告、中标（成交）结果公告、终止公告和合同公告，最新的50条"

    def items(self):
        # A notice outside every site's tree has no address, so no place in a feed.
        return [notice for notice in newest_notices(self.projects) if notice.get_url(self.request)]

    def item_title(self, item):
        return f"【{item.notice_type_label}】{item.title}"

    def item_description(self, item):
        project = item.project_of_feed
        parts = [
            f"项目编号：{project.project_number}",
            f"采购人：{project.buyer_name}",
            f"采购方式：{project.get_method_display()}",
            f"采购品目：{project.get_category_display()}",
            f"预算金额：{wan(project.budget)}",
        ]
        if project.bid_deadline:
            deadline = timezone.localtime(project.bid_deadline)
            parts.append(f"投标截止时间：{deadline:%Y-%m-%d %H:%M}")
        return escape("；".join(parts))  # Atom carries the summary as HTML

    def item_link(self, item):
        return item.get_url(self.request)

    def item_guid(self, item):
        return item.get_full_url(self.request)

    def item_author_name(self, item):
        return item.project_of_feed.buyer_name or None

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at or item.first_published_at

    def item_categories(self, item):
        project = item.project_of_feed
        return [item.notice_type_label, project.get_method_display(), project.get_category_display()]


def notice_feed(request):
    return NoticeFeed()(request)  # a new instance per request: the feed keeps the request's filters on self
