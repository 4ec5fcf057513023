"""The disclosure catalogue's filters, shared by the HTML listing, the Atom feed and the API.

Every filter lives in the query string, so a filtered view can be bookmarked,
shared and used without JavaScript. Facet counts for one dimension ignore that
dimension's own filter, so the other options stay visible with their counts.
"""

import re
from dataclasses import dataclass, fields, replace  # noqa: F401 - replace is re-exported

from django.db.models import Case, CharField, Count, Exists, F, OuterRef, Q, Value, When
from django.db.models.functions import Coalesce, ExtractYear
from django.http import QueryDict
from django.utils import timezone

from cms.core.models import Department, Topic

from .choices import Genre, SortOrder, Validity

SORT_FIELDS = {
    SortOrder.NEWEST: ("-published_on", "-pk"),
    SortOrder.OLDEST: ("published_on", "pk"),
    SortOrder.WRITTEN: ("-written_on", "-pk"),
    SortOrder.TITLE: ("title", "pk"),
}
MAX_QUERY_LENGTH = 100
_SLUG = re.compile(r"^[a-z0-9_-]{1,40}$", re.ASCII)
_TOPIC = re.compile(r"^[0-9]{2,8}$", re.ASCII)
_YEAR = re.compile(r"^[0-9]{4}$", re.ASCII)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def is_page_number(text):
    return bool(re.fullmatch(r"[0-9]{1,9}", text, re.ASCII))


class FilterError(ValueError):
    """A filter value that cannot be understood: shown to the user, answered with 400."""


@dataclass(frozen=True)
class CatalogueFilters:
    department: str = ""
    topic: str = ""
    genre: str = ""
    year: int | None = None
    validity: str = ""
    q: str = ""
    sort: str = SortOrder.NEWEST

    @classmethod
    def from_query(cls, query: QueryDict) -> "CatalogueFilters":
        # A NUL reaching PostgreSQL makes it raise: refuse control characters in any parameter.
        if any(_CONTROL.search(value) for _, values in query.lists() for value in values):
            raise FilterError("参数中含有无法识别的字符")
        department = query.get("department", "").strip()
        if department and not _SLUG.match(department):
            raise FilterError("“发布机构”参数格式不正确")
        topic = query.get("topic", "").strip()
        if topic and not _TOPIC.match(topic):
            raise FilterError("“主题分类”参数应为分类代码，例如 01")
        genre = query.get("genre", "").strip()
        if genre and genre not in Genre.values:
            raise FilterError("“体裁分类”参数不在可选范围内")
        year_text = query.get("year", "").strip()
        year = None
        if year_text:
            if not _YEAR.match(year_text) or not 1949 <= int(year_text) <= 2100:
                raise FilterError("“年份”参数应为四位数字年份，例如 2025")
            year = int(year_text)
        validity = query.get("validity", "").strip()
        if validity and validity not in Validity.values:
            raise FilterError("“有效性”参数不在可选范围内")
        q = query.get("q", "").strip()
        if len(q) > MAX_QUERY_LENGTH:
            raise FilterError(f"关键词不能超过{MAX_QUERY_LENGTH}个字")
        sort = query.get("sort", "").strip() or SortOrder.NEWEST
        if sort not in SortOrder.values:
            raise FilterError("“排序”参数不在可选范围内")
        return cls(department, topic, genre, year, validity, q, sort)

    def to_query(self, **changes) -> str:
        """The query string for these filters with ``changes`` applied (for links)."""
        values = replace(self, **changes) if changes else self
        query = QueryDict(mutable=True)
        for f in fields(values):
            value = getattr(values, f.name)
            if value and not (f.name == "sort" and value == SortOrder.NEWEST):
                query[f.name] = str(value)
        return query.urlencode()

    @property
    def active(self):
        return {
            f.name: getattr(self, f.name) for f in fields(self) if f.name != "sort" and getattr(self, f.name)
        }


# Every query-string parameter the catalogue reads (the API must not treat them as field filters).
PARAMETERS = frozenset(f.name for f in fields(CatalogueFilters))


def with_validity(queryset):
    """Annotate the validity the public sees today (see DisclosureDocument.current_validity)."""
    from .models import DisclosureDocument

    today = timezone.localdate()
    live = DisclosureDocument.objects.live().public()
    return queryset.annotate(
        shown_validity=Case(
            When(Exists(live.filter(repeals=OuterRef("pk"))), then=Value(Validity.REPEALED)),
            When(Exists(live.filter(amends=OuterRef("pk"))), then=Value(Validity.AMENDED)),
            When(validity=Validity.VALID, expires_on__lt=today, then=Value(Validity.EXPIRED)),
            default=F("validity"),
            output_field=CharField(),
        ),
        top_topic=Coalesce(F("topic__parent__code"), F("topic__code")),
        year=ExtractYear("published_on"),
    )


def apply(queryset, filters: CatalogueFilters, skip: str = ""):
    if filters.department and skip != "department":
        queryset = queryset.filter(department__slug=filters.department)
    if filters.topic and skip != "topic":
        queryset = queryset.filter(Q(topic__code=filters.topic) | Q(topic__parent__code=filters.topic))
    if filters.genre and skip != "genre":
        queryset = queryset.filter(genre=filters.genre)
    if filters.year and skip != "year":
        queryset = queryset.filter(year=filters.year)
    if filters.validity and skip != "validity":
        queryset = queryset.filter(shown_validity=filters.validity)
    if filters.q:
        q = filters.q
        queryset = queryset.filter(
            Q(title__icontains=q)
            | Q(document_number__icontains=q)
            | Q(index_number__icontains=q)
            | Q(keywords__icontains=q)
        )
    return queryset


def ordered(queryset, filters: CatalogueFilters):
    return queryset.order_by(*SORT_FIELDS[SortOrder(filters.sort)])


def facet_counts(base, filters: CatalogueFilters):
    """For each dimension: [{value, label, count, selected}] in a stable, readable order."""
    result = {}

    def counts(dimension, key):
        rows = apply(base, filters, skip=dimension).order_by().values(key).annotate(n=Count("pk"))
        return {row[key]: row["n"] for row in rows if row[key] is not None}

    by_department = counts("department", "department__slug")
    departments = Department.objects.filter(slug__in=by_department).order_by("sort_order", "name")
    result["department"] = [
        _option(d.slug, d.display_name, by_department[d.slug], filters.department) for d in departments
    ]
    by_topic = counts("topic", "top_topic")
    topics = Topic.objects.filter(parent__isnull=True, code__in=by_topic).order_by("code")
    result["topic"] = [_option(t.code, t.name, by_topic[t.code], filters.topic) for t in topics]
    by_genre = counts("genre", "genre")
    result["genre"] = [
        _option(value, label, by_genre[value], filters.genre)
        for value, label in Genre.choices
        if value in by_genre
    ]
    by_year = counts("year", "year")
    result["year"] = [
        _option(year, f"{year}年", by_year[year], filters.year) for year in sorted(by_year, reverse=True)
    ]
    by_validity = counts("validity", "shown_validity")
    result["validity"] = [
        _option(value, label, by_validity[value], filters.validity)
        for value, label in Validity.choices
        if value in by_validity
    ]
    return result


def _option(value, label, count, selected):
    # Labels may be lazy translations: resolve them now, in the request's language.
    return {"value": value, "label": str(label), "count": count, "selected": str(value) == str(selected)}
