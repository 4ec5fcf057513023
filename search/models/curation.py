from django.core.exceptions import ValidationError
from django.db import models
from wagtail.admin.panels import FieldPanel

from search.text import normalize


class Synonym(models.Model):
    """A group of words that mean the same (发改委 = 发展改革委 = 发展和改革委员会): a query for any
    of them also matches the others. Expanded at query time, so editing needs no reindex."""

    terms = models.TextField(
        "同义词组",
        help_text="同一组里意思相同的词，用空格、逗号或换行分开，例如：发改委 发展改革委 发展和改革委员会",
    )
    note = models.CharField("备注", max_length=200, blank=True)

    panels = [FieldPanel("terms"), FieldPanel("note")]

    class Meta:
        verbose_name = "同义词"
        verbose_name_plural = "同义词"

    def __str__(self):
        return " = ".join(self.term_list)

    @property
    def term_list(self):
        text = normalize(self.terms).replace("，", " ").replace(",", " ").replace("、", " ").lower()
        return list(dict.fromkeys(text.split()))

    def clean(self):
        if len(self.term_list) < 2:
            raise ValidationError({"terms": "同义词组至少要有两个词。"})
        if any(len(t) > 50 for t in self.term_list):
            raise ValidationError({"terms": "每个词不超过50个字。"})
        from search.text import query_tokens

        empty = [t for t in self.term_list if not query_tokens(t)]
        if empty:
            raise ValidationError({"terms": f"“{'、'.join(empty)}”不含文字或数字，不能作为同义词。"})


class ZeroResultQuery(models.Model):
    """A query that found nothing, with how often: the editors' list of what the public looks for
    and the site does not have (or calls by another name: a synonym's cue)."""

    query = models.CharField("搜索词", max_length=100, unique=True)
    count = models.PositiveIntegerField("次数", default=0)
    first_seen = models.DateTimeField("首次出现", auto_now_add=True)
    last_seen = models.DateTimeField("最近出现", auto_now=True)

    class Meta:
        verbose_name = "无结果搜索词"
        verbose_name_plural = "无结果搜索词"
        ordering = ["-count", "-last_seen"]

    def __str__(self):
        return self.query
