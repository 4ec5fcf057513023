"""The search's parameters, parsed once from a request's GET for both engines (and the API).

    params = SearchParams.from_query(request.GET)   # raises BadSearch (→ 400) on bad input
    params.q, params.filters {"kind": ["document"], ...}, params.page, params.sort, params.notices

Facet values that cannot exist (kind=foo) are dropped with a notice; values that could exist but
match nothing (an unknown department) simply give an empty result.
"""

import datetime
import unicodedata
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cms.catalogue.choices import CatalogueKind, Openness, Sharing
from cms.disclosure.choices import Genre, Validity
from cms.procurement.choices import BudgetBand, Method, NoticeType, Status
from cms.services.choices import Audience, ItemType, OnlineLevel
from search.models.entry import Kind

MAX_QUERY_LENGTH = 100
DEFAULT_PER_PAGE = 10
MAX_PER_PAGE = 50
MAX_PAGE = 500  # 500 × 10 results: deeper pages are not useful and cost an ever larger offset
MAX_RESULTS = 10_000  # Elasticsearch's max_result_window: no page may reach past it
MAX_VALUES = 20  # per facet


class BadSearch(ValueError):
    """Input the search cannot take; the message is for the user (Chinese) and the answer a 400."""


class QueryTooLong(BadSearch):
    def __init__(self, limit=MAX_QUERY_LENGTH):
        super().__init__(_("搜索词过长，请不要超过%(n)d个字。") % {"n": limit})


@dataclass(frozen=True)
class Facet:
    name: str
    label: str
    choices: type | None = None  # TextChoices when the values are a closed list
    multi: bool = False  # an entry may have several values (stored space-padded: " a b ")
    in_order: bool = False  # options in the choices' order (a scale: budget bands), not by count


FACETS = (
    Facet("kind", gettext_lazy("类型"), Kind),
    Facet("department", gettext_lazy("发布机构")),
    Facet("topic", gettext_lazy("主题分类")),
    Facet("year", gettext_lazy("年份")),
    Facet("genre", gettext_lazy("体裁分类"), Genre),
    Facet("validity", gettext_lazy("有效性"), Validity),
    Facet("catalogue", gettext_lazy("目录类别"), CatalogueKind),
    Facet("sharing", gettext_lazy("共享属性"), Sharing),
    Facet("openness", gettext_lazy("开放属性"), Openness),
    # Service guides (办事指南): a guide may serve both 个人 and 法人.
    Facet("audience", gettext_lazy("服务对象"), Audience, multi=True),
    Facet("online_level", gettext_lazy("网上办理"), OnlineLevel),
    Facet("item_type", gettext_lazy("事项类型"), ItemType),
    # Procurement (政府采购): a notice carries its project's status, method and budget band.
    Facet("notice_type", gettext_lazy("公告类型"), NoticeType, in_order=True),
    Facet("status", gettext_lazy("项目状态"), Status, in_order=True),
    Facet("method", gettext_lazy("采购方式"), Method),
    Facet("budget_band", gettext_lazy("预算金额"), BudgetBand, in_order=True),
)
FACET_NAMES = tuple(f.name for f in FACETS)
MULTI_VALUED = frozenset(f.name for f in FACETS if f.multi)
SORTS = ("relevance", "date")


def clean_text(value):
    """Control and other invisible characters become spaces; runs of space collapse."""
    value = "".join(" " if unicodedata.category(c)[0] == "C" else c for c in str(value or ""))
    return " ".join(value.split())


def _int(value, default, lowest, highest):
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return default
    return min(max(number, lowest), highest)


def _date(params, name, label):
    raw = clean_text(_first(params, name))
    if not raw:
        return None
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError:
        raise BadSearch(
            _("%(label)s“%(value)s”不是有效日期，请按 2025-01-31 的格式填写。")
            % {"label": label, "value": raw[:20]}
        ) from None


@dataclass
class SearchParams:
    q: str = ""
    filters: dict = field(default_factory=dict)
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    sort: str = "relevance"
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE
    notices: list = field(default_factory=list)

    @classmethod
    def from_query(cls, params, per_page=DEFAULT_PER_PAGE):
        """From a QueryDict (or a plain dict of strings/lists)."""
        q = clean_text(_first(params, "q"))
        if len(q) > MAX_QUERY_LENGTH:
            raise QueryTooLong()
        notices, filters = [], {}
        for facet in FACETS:
            values = _getlist(params, facet.name)
            values = list(dict.fromkeys(clean_text(v)[:40] for v in values if clean_text(v)))[:MAX_VALUES]
            if facet.choices is not None:
                unknown = [v for v in values if v not in facet.choices.values]
                if unknown:
                    notices.append(
                        _("筛选条件“%(label)s”没有“%(value)s”这一项，已忽略。")
                        % {"label": facet.label, "value": "、".join(unknown)}
                    )
                values = [v for v in values if v in facet.choices.values]
            if facet.name == "year":
                values = [v for v in values if v.isdigit() and 1900 <= int(v) <= 2100]
            if values:
                filters[facet.name] = values
        date_from = _date(params, "from", _("起始日期"))
        date_to = _date(params, "to", _("截止日期"))
        if date_from and date_to and date_from > date_to:
            raise BadSearch(_("起始日期不能晚于截止日期。"))
        sort = clean_text(_first(params, "sort")) or "relevance"
        if sort not in SORTS:
            sort = "relevance"
        per_page_value = _int(_first(params, "per_page") or per_page, per_page, 1, MAX_PER_PAGE)
        return cls(
            q=q,
            filters=filters,
            date_from=date_from,
            date_to=date_to,
            sort=sort,
            page=_int(_first(params, "page") or 1, 1, 1, min(MAX_PAGE, MAX_RESULTS // per_page_value)),
            per_page=per_page_value,
            notices=notices,
        )

    @property
    def offset(self):
        return (self.page - 1) * self.per_page

    def without(self, name):
        """The filters minus facet ``name``: what that facet's counts are computed under."""
        return {k: v for k, v in self.filters.items() if k != name}

    def query_items(self, **changes):
        """(name, value) pairs of these parameters with ``changes``, for building links."""
        values = {"q": self.q, **{k: list(v) for k, v in self.filters.items()}}
        if self.date_from:
            values["from"] = self.date_from.isoformat()
        if self.date_to:
            values["to"] = self.date_to.isoformat()
        if self.sort != "relevance":
            values["sort"] = self.sort
        values.update(changes)
        items = []
        for name, value in values.items():
            for v in value if isinstance(value, list) else [value]:
                if v not in (None, ""):
                    items.append((name, v))
        return items


def _first(params, name):
    value = params.get(name, "")
    return value[0] if isinstance(value, list | tuple) and value else value


def _getlist(params, name):
    if hasattr(params, "getlist"):
        return params.getlist(name)
    value = params.get(name, [])
    return value if isinstance(value, list | tuple) else [value]
