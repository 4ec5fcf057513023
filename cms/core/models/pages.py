from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from cms.core.blocks import CoreStoryBlock


class BasePage(Page):
    """Shared behaviour for every page type of the portal."""

    # Every page type exposes these in the headless API on top of its own fields.
    api_fields = [APIField("search_description"), APIField("last_published_at")]

    class Meta:
        abstract = True

    def get_breadcrumbs(self):
        """Ancestors below the site root, then the page itself."""
        return list(self.get_ancestors().live().filter(depth__gt=2).specific()) + [self]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["breadcrumbs"] = self.get_breadcrumbs() if self.depth > 2 else []
        return context


class ContentPage(BasePage):
    """An ordinary content page (e.g. 走进济源, 网站声明)."""

    summary = models.TextField("摘要", blank=True)
    body = StreamField(CoreStoryBlock(), verbose_name="正文", blank=True)

    content_panels = BasePage.content_panels + [FieldPanel("summary"), FieldPanel("body")]
    search_fields = BasePage.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
    ]
    api_fields = BasePage.api_fields + [APIField("summary"), APIField("body")]

    class Meta:
        verbose_name = "内容页"
        verbose_name_plural = "内容页"
