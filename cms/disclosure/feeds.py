"""Atom feed of the catalogue for any filter combination (/xxgk/feed/?department=czj&year=2025)."""

from datetime import datetime, time

from django.contrib.syndication.views import Feed
from django.http import HttpResponseBadRequest
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from . import catalogue

FEED_ITEMS = 50


class CatalogueFeed(Feed):
    feed_type = Atom1Feed

    def __init__(self, index_page):
        super().__init__()
        self.index_page = index_page

    def __call__(self, request, *args, **kwargs):
        try:
            self.filters = catalogue.CatalogueFilters.from_query(request.GET)
        except catalogue.FilterError as error:
            return HttpResponseBadRequest(str(error), content_type="text/plain; charset=utf-8")
        self.request = request
        return super().__call__(request, *args, **kwargs)

    def title(self):
        active = "、".join(str(v) for v in self.filters.active.values())
        name = f"{self.index_page.title}"
        return f"{name}（{active}）" if active else name

    def link(self):
        query = self.filters.to_query()
        return self.index_page.url + (f"?{query}" if query else "")

    def feed_url(self):
        return self.request.get_full_path()

    def subtitle(self):
        return "政府信息公开目录最新发布的文件"

    def items(self):
        _, results = self.index_page.filtered_documents(self.filters)
        return results[:FEED_ITEMS]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        parts = [f"索引号：{item.index_number}", f"发布机构：{item.department}"]
        if item.document_number:
            parts.append(f"发文字号：{item.document_number}")
        if item.summary:
            parts.append(item.summary)
        return escape("；".join(parts))  # Atom carries the summary as HTML

    def item_link(self, item):
        return item.url

    def item_guid(self, item):
        return self.request.build_absolute_uri(item.url)

    def item_author_name(self, item):
        return item.department.name if item.department_id else None

    def item_pubdate(self, item):
        return timezone.make_aware(datetime.combine(item.published_on, time(9)))

    def item_updateddate(self, item):
        return item.last_published_at or self.item_pubdate(item)

    def item_categories(self, item):
        return [item.get_genre_display(), item.topic.name]
