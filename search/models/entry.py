from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    """What a search result is; the 类型 facet."""

    DOCUMENT = "document", _("政府文件")
    INTERPRETATION = "interpretation", _("政策解读")
    RESOURCE = "resource", _("信息资源")
    NEWS = "news", _("新闻动态")
    SERVICE = "service", _("办事指南")
    PROCUREMENT = "procurement", _("政府采购")
    PAGE = "page", _("网页")


class SearchEntry(models.Model):
    """One published item as the site search sees it: public fields only, already segmented.

    The database fallback queries these rows; Elasticsearch gets a copy of them through the index
    queue. Both engines therefore see exactly the same text, and a hidden field (a closed
    resource's data items) never gets here in the first place. ``key`` is ``page:<id>`` or
    ``resource:<id>``.
    """

    key = models.CharField(max_length=40, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, db_index=True)
    url = models.CharField(max_length=500)
    title = models.CharField(max_length=300)
    summary = models.TextField(blank=True)
    text = models.TextField(blank=True, help_text="公开的正文纯文本（用于摘要和高亮）")
    identifiers = models.CharField(max_length=300, blank=True, help_text="文号、索引号、资源代码（规范化）")
    title_words = models.TextField(blank=True)
    words = models.TextField(blank=True, help_text="jieba 分词：标题、编号、关键词、正文")
    pinyin = models.TextField(blank=True, help_text="标题和部门名称的全拼与首字母")
    department = models.CharField(max_length=40, blank=True, db_index=True)
    department_name = models.CharField(max_length=100, blank=True)
    topic = models.CharField(max_length=8, blank=True, db_index=True)
    topic_name = models.CharField(max_length=50, blank=True)
    date = models.DateField(null=True, blank=True, db_index=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True, db_index=True)
    # The type's own facets; blank where they do not apply.
    genre = models.CharField(max_length=20, blank=True)
    validity = models.CharField(max_length=20, blank=True)
    catalogue = models.CharField(max_length=2, blank=True)
    classification = models.CharField(max_length=9, blank=True)
    sharing = models.CharField(max_length=20, blank=True)
    openness = models.CharField(max_length=20, blank=True)
    # A service guide's: audience holds every audience served, space-padded (" person organisation ").
    audience = models.CharField(max_length=40, blank=True)
    online_level = models.CharField(max_length=20, blank=True)
    item_type = models.CharField(max_length=20, blank=True)
    # A procurement project's and its notices' (the project's status, method and budget band, so a
    # notice is found under its project's status); notice_type is blank on the project itself.
    notice_type = models.CharField(max_length=20, blank=True)
    status = models.CharField(max_length=20, blank=True)
    method = models.CharField(max_length=20, blank=True)
    budget_band = models.CharField(max_length=20, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "搜索条目"
        verbose_name_plural = "搜索条目"
        # title: exact-name matches (search.engines.database.whole_titles) without a scan.
        indexes = [
            models.Index(fields=["kind", "date"]),
            models.Index(fields=["title"], name="search_entry_title"),
        ]

    def __str__(self):
        return f"{self.key} {self.title}"
