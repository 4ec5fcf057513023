from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.search import index

from cms.services.choices import Audience, TopicKind


class ServiceTopic(index.Indexed, models.Model):
    """A topic or life event to browse guides by (e.g. 生育收养, 企业开办)."""

    name = models.CharField("名称", max_length=40, unique=True)
    slug = models.SlugField("代号", max_length=40, unique=True)
    kind = models.CharField("类型", max_length=20, choices=TopicKind.choices, default=TopicKind.TOPIC)
    audience = models.CharField("服务对象", max_length=20, choices=Audience.choices, default=Audience.PERSON)
    sort_order = models.PositiveIntegerField("排序", default=100)

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("kind"),
        FieldPanel("audience"),
        FieldPanel("sort_order"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        verbose_name = "服务主题"
        verbose_name_plural = "服务主题"
        ordering = ["audience", "sort_order", "name"]

    def __str__(self):
        return self.name
