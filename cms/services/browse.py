"""Browsing the service guide (/zwfw/, /zwfw/<dept>/ and /api/zwfw/guides): filters and facet counts.

Every filter lives in the query string, so a filtered view can be bookmarked, shared and used without
JavaScript; the page and the API read the same parameters with the same Chinese messages. A facet's
counts ignore that facet's own filter, so its other options stay visible with their counts.

Keywords are not a filter here: the keyword box hands over to the site search (/search/?kind=service),
which segments Chinese, knows synonyms and finds an item by its code (事项编码).
"""

import re
from dataclasses import dataclass, fields, replace

from django.db.models import Count, Q
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from cms.core.models import Department

from .choices import Audience, ItemType, OnlineLevel
from .models import ServiceTopic

_SLUG = re.compile(r"^[a-z0-9_-]{1,40}$", re.ASCII)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
PER_PAGE = 20
MAX_PAGE = 10_000


class SortOrder:
    DEFAULT = "department"
    CHOICES = [
        ("department", _("按部门")),
        ("promised", _("按承诺时限（短→长）")),
        ("visits", _("按到现场次数（少→多）")),
        ("title", _("按事项名称")),
    ]
    FIELDS = {
        "department": ("department__sort_order", "path"),
        "promised": ("promised_days", "statutory_days", "department__sort_order", "path"),
        "visits": ("visits", "promised_days", "department__sort_order", "path"),
        "title": ("title", "pk"),
    }
    VALUES = [value for value, _label in CHOICES]


class FilterError(ValueError):
    """A filter value that cannot be understood: shown to the user, answered with 400."""


def is_page_number(text):
    return bool(re.fullmatch(r"[0-9]{1,9}", text, re.ASCII))


def read_page_number(query):
    """The ``page`` parameter as an int (1 when absent); FilterError when it is not a page number."""
    text = query.get("page", "1").strip() or "1"
    if not is_page_number(text) or not 1 <= int(text) <= MAX_PAGE:
        raise FilterError("页码应为正整数")
    return int(text)


def _choice(query, name, values, message):
    value = query.get(name, "").strip()
    if value and value not in values:
        raise FilterError(message)
    return value


def _slug(query, name, message):
    value = query.get(name, "").strip()
    if value and not _SLUG.match(value):
        raise FilterError(message)
    return value


@dataclass(frozen=True)
class GuideFilters:
    department: str = ""
    audience: str = ""
    topic: str = ""
    online_level: str = ""
    item_type: str = ""
    sort: str = SortOrder.DEFAULT

    @classmethod
    def from_query(cls, query: QueryDict) -> "GuideFilters":
        # A NUL reaching PostgreSQL makes it raise: refuse control characters in any parameter.
        if any(_CONTROL.search(value) for _, values in query.lists() for value in values):
            raise FilterError("参数中含有无法识别的字符")
        return cls(
            department=_slug(query, "department", "“实施部门”参数格式不正确"),
            audience=_choice(
                query, "audience", Audience.values, "“服务对象”参数应为 person（个人）或 organisation（法人）"
            ),
            topic=_slug(query, "topic", "“主题”参数格式不正确"),
            online_level=_choice(query, "online_level", OnlineLevel.values, "“网上办理”参数不在可选范围内"),
            item_type=_choice(query, "item_type", ItemType.values, "“事项类型”参数不在可选范围内"),
            sort=_choice(query, "sort", SortOrder.VALUES, "“排序”参数不在可选范围内") or SortOrder.DEFAULT,
        )

    def to_query(self, **changes) -> str:
        """The query string for these filters with ``changes`` applied (for links)."""
        values = replace(self, **changes) if changes else self
        query = QueryDict(mutable=True)
        for f in fields(values):
            value = getattr(values, f.name)
            if value and not (f.name == "sort" and value == SortOrder.DEFAULT):
                query[f.name] = str(value)
        return query.urlencode()

    @property
    def active(self):
        return {
            f.name: getattr(self, f.name) for f in fields(self) if f.name != "sort" and getattr(self, f.name)
        }


# Every query-string parameter the guide list reads.
PARAMETERS = frozenset(f.name for f in fields(GuideFilters)) | {"page"}

AUDIENCE_FIELDS = {Audience.PERSON: "for_persons", Audience.ORGANISATION: "for_organisations"}


def apply(queryset, filters: GuideFilters, skip: str = ""):
    if filters.department and skip != "department":
        queryset = queryset.filter(department__slug=filters.department)
    if filters.audience and skip != "audience":
        queryset = queryset.filter(**{AUDIENCE_FIELDS[Audience(filters.audience)]: True})
    if filters.topic and skip != "topic":
        queryset = queryset.filter(topics__slug=filters.topic)
    if filters.online_level and skip != "online_level":
        queryset = queryset.filter(online_level=filters.online_level)
    if filters.item_type and skip != "item_type":
        queryset = queryset.filter(item_type=filters.item_type)
    return queryset


def ordered(queryset, filters: GuideFilters):
    return queryset.order_by(*SortOrder.FIELDS[filters.sort])


def facet_counts(base, filters: GuideFilters):
    """{"department"|"audience"|"topic"|"online_level"|"item_type": [{value, label, count, selected}]}."""

    def counts(dimension, key):
        rows = (
            apply(base, filters, skip=dimension).order_by().values(key).annotate(n=Count("pk", distinct=True))
        )
        return {row[key]: row["n"] for row in rows if row[key] is not None}

    by_department = counts("department", "department__slug")
    departments = Department.objects.filter(slug__in=by_department).order_by("sort_order", "name")
    by_topic = counts("topic", "topics__slug")
    topics = ServiceTopic.objects.filter(slug__in=by_topic)  # in the topics' own order
    audience_base = apply(base, filters, skip="audience")
    by_audience = audience_base.aggregate(
        **{
            value: Count("pk", filter=Q(**{field: True}), distinct=True)
            for value, field in AUDIENCE_FIELDS.items()
        }
    )
    by_level = counts("online_level", "online_level")
    by_type = counts("item_type", "item_type")
    return {
        "department": [
            _option(d.slug, d.display_name, by_department[d.slug], filters.department) for d in departments
        ],
        "audience": [
            _option(value, label, by_audience[value], filters.audience)
            for value, label in Audience.choices
            if by_audience[value]
        ],
        "topic": [
            {
                **_option(t.slug, t.name, by_topic[t.slug], filters.topic),
                "kind": t.kind,
                "audience": t.audience,
            }
            for t in topics
        ],
        "online_level": [
            _option(value, label, by_level[value], filters.online_level)
            for value, label in reversed(OnlineLevel.choices)  # 全程网办 first
            if value in by_level
        ],
        "item_type": [
            _option(value, label, by_type[value], filters.item_type)
            for value, label in ItemType.choices
            if value in by_type
        ],
    }


def _option(value, label, count, selected):
    # Labels may be lazy translations: resolve them now, in the request's language.
    return {"value": value, "label": str(label), "count": count, "selected": str(value) == str(selected)}


def summary(queryset):
    """Headline figures of a set of guides: how many, and how many are fully online, same-day, zero-visit."""
    return queryset.order_by().aggregate(
        total=Count("pk"),
        full=Count("pk", filter=Q(online_level=OnlineLevel.FULL)),
        online=Count("pk", filter=Q(online_level__in=[OnlineLevel.ONLINE, OnlineLevel.FULL])),
        immediate=Count("pk", filter=Q(promised_days=0)),
        zero_visit=Count("pk", filter=Q(visits=0)),
    )
