"""索引号: generated from a configurable pattern, unique, never changed once issued."""

import string

from django.conf import settings
from django.db import models, transaction


class _Wildcard:
    def __format__(self, spec):
        return "*"


class IndexNumberSequence(models.Model):
    """The last sequence number issued within one scope (the pattern minus its {seq})."""

    scope = models.CharField(max_length=120, unique=True)
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "索引号序列"
        verbose_name_plural = "索引号序列"

    def __str__(self):
        return f"{self.scope} → {self.last_value}"


def pattern_fields(pattern):
    return {name for _, name, _, _ in string.Formatter().parse(pattern) if name}


def index_number_parts(document):
    department = document.department
    published = document.published_on or document.written_on
    topic = document.topic
    return {
        "org": department.org_code,
        "dept": department.slug,
        "topic": topic.top.code if topic else "00",
        "year": published.year,
    }


def assign_index_number(document, pattern=None):
    """Issue the next index number for ``document``; safe under concurrent publishing.

    The row lock on the sequence serialises publishers in the same scope on
    PostgreSQL; SQLite serialises writers anyway. The unique constraint on
    ``index_number`` is the last line of defence.
    """
    pattern = pattern or settings.DISCLOSURE_INDEX_NUMBER_PATTERN
    if "seq" not in pattern_fields(pattern):
        raise ValueError("索引号格式必须包含 {seq}")
    parts = index_number_parts(document)
    scope = pattern.format(seq=_Wildcard(), **parts)
    with transaction.atomic():
        IndexNumberSequence.objects.get_or_create(scope=scope)
        sequence = IndexNumberSequence.objects.select_for_update().get(scope=scope)
        sequence.last_value += 1
        sequence.save(update_fields=["last_value"])
    return pattern.format(seq=sequence.last_value, **parts)
