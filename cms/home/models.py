from django.db import models
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, PageChooserPanel
from wagtail.api import APIField

from cms.core.models import BasePage


class HomePage(BasePage):
    """A site's home: news and notices, the main entries and the latest disclosure documents."""

    intro = models.CharField("欢迎语", max_length=200, blank=True)
    news_index = models.ForeignKey(
        "news.NewsIndexPage",
        verbose_name="政务动态栏目",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    notice_index = models.ForeignKey(
        "news.NewsIndexPage",
        verbose_name="通知公告栏目",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    disclosure_index = models.ForeignKey(
        "disclosure.DisclosureIndexPage",
        verbose_name="信息公开目录",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    services_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name="政务服务入口",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    procurement_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name="政府采购入口",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    content_panels = BasePage.content_panels + [
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                PageChooserPanel("news_index"),
                PageChooserPanel("notice_index"),
                PageChooserPanel("disclosure_index"),
                PageChooserPanel("services_page"),
                PageChooserPanel("procurement_page"),
            ],
            heading="首页栏目",
        ),
    ]
    api_fields = BasePage.api_fields + [APIField("intro")]
    max_count_per_parent = 1

    class Meta:
        verbose_name = "首页"
        verbose_name_plural = "首页"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["news"] = self.news_index.articles()[:8] if self.news_index_id else []
        context["notices"] = self.notice_index.articles()[:8] if self.notice_index_id else []
        context["latest_documents"] = (
            self.disclosure_index.documents().order_by("-published_on", "-pk")[:10]
            if self.disclosure_index_id
            else []
        )
        return context
