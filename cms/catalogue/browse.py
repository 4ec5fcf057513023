"""Browsing the public catalogue (/ziyuan/): filters, facet counts and the classification tree.

Every filter lives in the query string, so a filtered view can be bookmarked, shared and used
without JavaScript. A facet's counts ignore that facet's own filter, so its other options stay
visible with their counts. The classification is one dimension: the catalogue kind (基础/主题/部门,
``catalogue``) and a class (``class``, which takes in the class's descendants) are both ignored by the
tree's counts, so the siblings of the chosen class keep theirs.

Only identifying fields are searched (name and code): a match on the summary of a 不予开放 resource
would tell what it says.
"""

import re
from collections import Counter
from dataclasses import dataclass, fields, replace

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Q
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from cms.core.models import Department

from .choices import CatalogueKind, Openness, Sharing
from .codes import LEVEL_LENGTHS, normalize_code, parent_code, validate_class_code
from .models import ResourceClass

MAX_QUERY_LENGTH = 100
_SLUG = re.compile(r"^[a-z0-9_-]{1,40}$", re.ASCII)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class SortOrder(models.TextChoices):
    CODE = "code", _("按资源代码")
    RELEASED = "released", _("按发布日期（新→旧）")


SORT_FIELDS = {SortOrder.CODE: ("code",), SortOrder.RELEASED: ("-released_on", "code")}

# Query-string names that differ from the field names ("class" is a Python keyword).
PARAMETER_NAMES = {"class_code": "class"}


class FilterError(ValueError):
    """A filter value that cannot be understood: shown to the user, answered with 400."""


def is_page_number(text):
    return bool(re.fullmatch(r"[0-9]{1,9}", text, re.ASCII))


def _choice(query, name, choices, message):
    value = query.get(name, "").strip()
    if value and value not in choices:
        raise FilterError(message)
    return value


@dataclass(frozen=True)
class ResourceFilters:
    catalogue: str = ""
    class_code: str = ""
    department: str = ""
    sharing: str = ""
    openness: str = ""
    q: str = ""
    sort: str = SortOrder.CODE

    @classmethod
    def from_query(cls, query: QueryDict) -> "ResourceFilters":
        # A NUL reaching PostgreSQL makes it raise: refuse control characters in any parameter.
        if any(_CONTROL.search(value) for _, values in query.lists() for value in values):
            raise FilterError("参数中含有无法识别的字符")
        catalogue = _choice(query, "catalogue", CatalogueKind.values, "“目录类别”参数应为 1、2 或 3")
        class_code = normalize_code(query.get("class", ""))
        if class_code:
            try:
                validate_class_code(class_code)
            except ValidationError:
                raise FilterError("“资源分类”参数应为分类代码，例如 302001") from None
        department = query.get("department", "").strip()
        if department and not _SLUG.match(department):
            raise FilterError("“资源提供方”参数格式不正确")
        sharing = _choice(query, "sharing", Sharing.values, "“共享属性”参数不在可选范围内")
        openness = _choice(query, "openness", Openness.values, "“开放属性”参数不在可选范围内")
        q = query.get("q", "").strip()
        if len(q) > MAX_QUERY_LENGTH:
            raise FilterError(f"关键词不能超过{MAX_QUERY_LENGTH}个字")
        sort = _choice(query, "sort", SortOrder.values, "“排序”参数不在可选范围内") or SortOrder.CODE
        return cls(catalogue, class_code, department, sharing, openness, q, sort)

    def to_query(self, **changes) -> str:
        """The query string for these filters with ``changes`` applied (for links)."""
        values = replace(self, **changes) if changes else self
        query = QueryDict(mutable=True)
        for f in fields(values):
            value = getattr(values, f.name)
            if value and not (f.name == "sort" and value == SortOrder.CODE):
                query[PARAMETER_NAMES.get(f.name, f.name)] = str(value)
        return query.urlencode()

    @property
    def active(self):
        return {
            f.name: getattr(self, f.name) for f in fields(self) if f.name != "sort" and getattr(self, f.name)
        }

    @property
    def chosen_class(self):
        """The code of the chosen node of the classification tree ("" for none)."""
        return self.class_code or self.catalogue


def apply(queryset, filters: ResourceFilters, skip: str = ""):
    if skip != "classification":
        # Class codes nest by prefix (3 → 302 → 302001), so a prefix takes in the descendants.
        for prefix in (filters.catalogue, filters.class_code):
            if prefix:
                queryset = queryset.filter(classification__code__startswith=prefix)
    if filters.department and skip != "department":
        queryset = queryset.filter(department__slug=filters.department)
    if filters.sharing and skip != "sharing":
        # A closed resource's sharing attribute is not public: it can't be filtered on either.
        queryset = queryset.filter(sharing=filters.sharing).exclude(openness=Openness.CLOSED)
    if filters.openness and skip != "openness":
        queryset = queryset.filter(openness=filters.openness)
    if filters.q:
        queryset = queryset.filter(
            Q(name__icontains=filters.q) | Q(code__icontains=normalize_code(filters.q))
        )
    return queryset


def ordered(queryset, filters: ResourceFilters):
    return queryset.order_by(*SORT_FIELDS[SortOrder(filters.sort)])


def facet_counts(base, filters: ResourceFilters):
    """{"department"|"sharing"|"openness": [{value, label, count, selected}], "tree": [node, …]}."""

    def counts(dimension, key, queryset=base):
        rows = apply(queryset, filters, skip=dimension).order_by().values(key).annotate(n=Count("pk"))
        return {row[key]: row["n"] for row in rows if row[key] is not None}

    by_department = counts("department", "department__slug")
    departments = Department.objects.filter(slug__in=by_department).order_by("sort_order", "name")
    # A closed resource's sharing attribute is not public: it is not counted either.
    by_sharing = counts("sharing", "sharing", base.exclude(openness=Openness.CLOSED))
    by_openness = counts("openness", "openness")
    return {
        "department": [
            _option(d.slug, d.display_name, by_department[d.slug], filters.department) for d in departments
        ],
        "sharing": [
            _option(value, label, by_sharing[value], filters.sharing)
            for value, label in Sharing.choices
            if value in by_sharing
        ],
        "openness": [
            _option(value, label, by_openness[value], filters.openness)
            for value, label in Openness.choices
            if value in by_openness
        ],
        "tree": class_tree(counts("classification", "classification__code"), filters),
    }


def _option(value, label, count, selected):
    # Labels may be lazy translations: resolve them now, in the request's language.
    return {"value": value, "label": str(label), "count": count, "selected": str(value) == str(selected)}


def class_tree(by_class, filters: ResourceFilters):
    """The classification as a drill-down: the three catalogues, and below them only the branch on
    the way to the chosen class. Each node counts the resources of its whole subtree; empty nodes
    are left out (except the catalogues and the chosen path), so every link leads to something."""
    totals = Counter()
    for code, n in by_class.items():
        for length in LEVEL_LENGTHS.values():
            if length <= len(code):
                totals[code[:length]] += n
    chosen = filters.chosen_class
    path = {chosen[:length] for length in LEVEL_LENGTHS.values() if length <= len(chosen)}
    children = {}
    for code, name, level in ResourceClass.objects.order_by("code").values_list("code", "name", "level"):
        children.setdefault(parent_code(code), []).append((code, name, level))

    def nodes(parent):
        result = []
        for code, name, level in children.get(parent, []):
            if level > 1 and not totals[code] and code not in path:
                continue
            # A catalogue is chosen with ?catalogue=, a class below it with ?class=.
            change = (
                {"catalogue": code, "class_code": ""} if level == 1 else {"catalogue": "", "class_code": code}
            )
            result.append(
                {
                    "code": code,
                    "name": name,
                    "count": totals[code],
                    "query": filters.to_query(**change),
                    "current": code == chosen,
                    "children": nodes(code) if code in path else [],
                }
            )
        return result

    return nodes(None)
