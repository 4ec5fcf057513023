from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import models
from django.http import Http404
from django.utils import timezone
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.search import index

from cms.core.blocks import CoreStoryBlock
from cms.core.models import BasePage
from cms.core.serializers import DepartmentField


class NewsIndexPage(BasePage):
    """A news column, e.g. 政务动态 or 通知公告; lists its own articles, newest first."""

    intro = models.TextField("栏目介绍", blank=True)
    per_page = 20

    subpage_types = ["news.NewsPage"]
    content_panels = BasePage.content_panels + [FieldPanel("intro")]
    api_fields = BasePage.api_fields + [APIField("intro")]

    class Meta:
        verbose_name = "新闻栏目"
        verbose_name_plural = "新闻栏目"

    def articles(self):
        return (
            NewsPage.objects.live()
            .public()
            .child_of(self)
            .select_related("department")
            .order_by("-date", "-pk")
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        paginator = Paginator(self.articles(), self.per_page)
        try:
            context["articles"] = paginator.page(request.GET.get("page", 1))
        except (EmptyPage, PageNotAnInteger) as exc:
            raise Http404("页码超出范围") from exc
        return context


class NewsPage(BasePage):
    date = models.DateField("发布日期", default=timezone.localdate)
    department = models.ForeignKey(
        "core.Department",
        verbose_name="发布机构",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="news",
    )
    source = models.CharField("来源", max_length=100, blank=True)
    summary = models.TextField("摘要", blank=True)
    body = StreamField(CoreStoryBlock(), verbose_name="正文", blank=True)

    parent_page_types = ["news.NewsIndexPage"]
    subpage_types = []
    content_panels = BasePage.content_panels + [
        FieldPanel("date"),
        FieldPanel("department"),
        FieldPanel("source"),
        FieldPanel("summary"),
        FieldPanel("body"),
    ]
    search_fields = BasePage.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("date"),
    ]
    api_fields = BasePage.api_fields + [
        APIField("date"),
        APIField("department", serializer=DepartmentField()),
        APIField("source"),
        APIField("summary"),
        APIField("body"),
    ]

    class Meta:
        verbose_name = "新闻"
        verbose_name_plural = "新闻"
        ordering = ["-date"]
