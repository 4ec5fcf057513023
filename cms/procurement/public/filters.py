"""The project list's filters, read from the query string by /zfcg/, /zfcg/<dept>/, the Atom feed
(/zfcg/feed/) and the iCalendar file (/zfcg/deadlines.ics), with the same Chinese messages.

Parameters: method, status, buyer (department slug), category, band (a BudgetBand), budget_min and
budget_max (万元), published_from and published_to (YYYY-MM-DD), q (title or project number), sort, page.

Status: no value means every project. ``open`` (正在招标) is every project still accepting bids, so it
INCLUDES the ones closing within 72 hours; ``closing`` (即将截止) is only those. A supplier who picks
正在招标 must not miss a tender because it is about to close.

Publication date: the date of the project's latest live notice (``latest_notice_at``); a project without
any notice yet (采购意向 only) counts from its own page's first publication. The same date sorts "latest".
"""

import datetime
import re
import unicodedata
from dataclasses import dataclass, fields, replace
from decimal import Decimal, InvalidOperation

from django.db.models import Case, CharField, Count, F, Q, Value, When
from django.db.models.functions import Coalesce
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cms.core.models import Department
from cms.procurement.choices import BAND_LIMITS, MAX_BUDGET, BudgetBand, Category, Method, Status
from cms.procurement.status import status_expression, status_filter

PER_PAGE = 20
MAX_PAGE = 10_000
MAX_QUERY_LENGTH = 100
MAX_WAN = MAX_BUDGET / 10000  # 1000亿元 in 万元
_SLUG = re.compile(r"^[a-z0-9_-]{1,40}$", re.ASCII)
_AMOUNT = re.compile(r"^[0-9]{1,12}(\.[0-9]{1,6})?$", re.ASCII)
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$", re.ASCII)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
EARLIEST_DATE = datetime.date(2000, 1, 1)
LATEST_DATE = datetime.date(2100, 12, 31)

# The facet's own labels: 正在招标 says that it includes 即将截止.
STATUS_LABELS = {
    Status.UPCOMING: _("即将开始"),
    Status.OPEN: _("正在招标（含即将截止）"),
    Status.CLOSING: _("即将截止（72小时内）"),
    Status.CLOSED: _("已截止（待公布结果）"),
    Status.AWARDED: _("已成交"),
    Status.TERMINATED: _("已终止"),
}

FIELD_LABELS = {
    "method": _("采购方式"),
    "status": _("项目状态"),
    "buyer": _("采购人"),
    "category": _("采购品目"),
    "band": _("预算区间"),
    "budget_min": _("最低预算"),
    "budget_max": _("最高预算"),
    "published_from": _("发布日期（起）"),
    "published_to": _("发布日期（止）"),
    "q": _("关键词"),
    "sort": _("排序"),
    "page": _("页码"),
}


class SortOrder:
    LATEST = "latest"
    CHOICES = [
        ("latest", _("最新发布")),
        ("deadline", _("投标截止时间（最近的在前）")),
        ("budget_desc", _("预算金额（高→低）")),
        ("budget_asc", _("预算金额（低→高）")),
    ]
    VALUES = [value for value, _label in CHOICES]


class FilterError(ValueError):
    """Filter values that cannot be understood: shown to the user (each linked to its field), answered
    with 400. ``errors`` is a list of (parameter name, message)."""

    def __init__(self, errors):
        self.errors = list(errors)
        super().__init__("；".join(message for _name, message in self.errors))


@dataclass(frozen=True)
class ProjectFilters:
    method: str = ""
    status: str = ""
    buyer: str = ""
    category: str = ""
    band: str = ""
    budget_min: Decimal | None = None
    budget_max: Decimal | None = None
    published_from: datetime.date | None = None
    published_to: datetime.date | None = None
    q: str = ""
    sort: str = SortOrder.LATEST

    @classmethod
    def from_query(cls, query: QueryDict) -> "ProjectFilters":
        """Every problem at once (FilterError), so the form can point at each field."""
        if any(_CONTROL.search(value) for _, values in query.lists() for value in values):
            raise FilterError([("", "参数中含有无法识别的字符")])
        reader = _Reader(query)
        values = {
            "method": reader.choice("method", Method.values, "“采购方式”不在可选范围内"),
            "status": reader.choice("status", Status.values, "“项目状态”不在可选范围内"),
            "buyer": reader.slug("buyer", "“采购人”参数格式不正确"),
            "category": reader.choice("category", Category.values, "“采购品目”不在可选范围内"),
            "band": reader.choice("band", BudgetBand.values, "“预算区间”不在可选范围内"),
            "budget_min": reader.amount("budget_min", "最低预算"),
            "budget_max": reader.amount("budget_max", "最高预算"),
            "published_from": reader.date("published_from", "发布日期（起）"),
            "published_to": reader.date("published_to", "发布日期（止）"),
            "q": reader.keywords("q"),
            "sort": reader.choice("sort", SortOrder.VALUES, "“排序”不在可选范围内") or SortOrder.LATEST,
        }
        low, high = values["budget_min"], values["budget_max"]
        if low is not None and high is not None and low > high:
            reader.fail("budget_max", "最高预算不能低于最低预算")
        start, end = values["published_from"], values["published_to"]
        if start and end and start > end:
            reader.fail("published_to", "发布日期的结束日期不能早于开始日期")
        if reader.errors:
            raise FilterError(reader.errors)
        return cls(**values)

    def to_query(self, **changes) -> str:
        """The query string for these filters with ``changes`` applied (for links)."""
        values = replace(self, **changes) if changes else self
        query = QueryDict(mutable=True)
        for f in fields(values):
            value = getattr(values, f.name)
            if value in (None, "") or (f.name == "sort" and value == SortOrder.LATEST):
                continue
            query[f.name] = _format(value)
        return query.urlencode()

    def form_values(self):
        """The filters as the form's fields show them (strings)."""
        return {
            f.name: "" if getattr(self, f.name) is None else _format(getattr(self, f.name))
            for f in fields(self)
        }

    @property
    def active(self):
        return {
            f.name: getattr(self, f.name)
            for f in fields(self)
            if f.name != "sort" and getattr(self, f.name) not in (None, "")
        }

    def describe(self):
        """The active filters in words, e.g. ["公开招标", "信息化设备"] (the feed's and calendar's names)."""
        words = []
        if self.status:
            words.append(str(STATUS_LABELS[Status(self.status)]))
        if self.method:
            words.append(str(Method(self.method).label))
        if self.category:
            words.append(str(Category(self.category).label))
        if self.buyer:
            department = Department.objects.filter(slug=self.buyer).first()
            words.append(department.display_name if department else self.buyer)
        if self.band:
            words.append(str(BudgetBand(self.band).label))
        if self.budget_min is not None and self.budget_max is not None:
            words.append(f"预算{_format(self.budget_min)}–{_format(self.budget_max)}万元")
        elif self.budget_min is not None:
            words.append(f"预算{_format(self.budget_min)}万元以上")
        elif self.budget_max is not None:
            words.append(f"预算{_format(self.budget_max)}万元以下")
        if self.published_from or self.published_to:
            start = self.published_from.isoformat() if self.published_from else ""
            end = self.published_to.isoformat() if self.published_to else ""
            words.append(
                f"发布于{start}至{end}" if start and end else f"发布于{start or end}{'起' if start else '前'}"
            )
        if self.q:
            words.append(f"“{self.q}”")
        return words


def chips(filters: ProjectFilters, fixed=()):
    """The active filters as removable labels: [{"label", "query"}] ("query" is the list without it)."""
    names = {
        "method": lambda v: Method(v).label,
        "status": lambda v: STATUS_LABELS[Status(v)],
        "category": lambda v: Category(v).label,
        "band": lambda v: BudgetBand(v).label,
        "buyer": lambda v: getattr(Department.objects.filter(slug=v).first(), "display_name", v),
        "budget_min": lambda v: f"预算≥{_format(v)}万元",
        "budget_max": lambda v: f"预算≤{_format(v)}万元",
        "published_from": lambda v: f"{v.isoformat()}起发布",
        "published_to": lambda v: f"{v.isoformat()}前发布",
        "q": lambda v: f"“{v}”",
    }
    return [
        {"label": str(names[name](value)), "query": filters.to_query(**{name: None})}
        for name, value in filters.active.items()
        if name not in fixed
    ]


# Every query-string parameter the list reads.
PARAMETERS = frozenset(f.name for f in fields(ProjectFilters)) | {"page"}


def _format(value):
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


class _Reader:
    def __init__(self, query):
        self.query = query
        self.errors = []

    def fail(self, name, message):
        self.errors.append((name, message))

    def text(self, name):
        return unicodedata.normalize("NFKC", self.query.get(name, "")).strip()

    def choice(self, name, values, message):
        value = self.text(name)
        if value and value not in values:
            self.fail(name, message)
            return ""
        return value

    def slug(self, name, message):
        value = self.text(name)
        if value and not _SLUG.match(value):
            self.fail(name, message)
            return ""
        return value

    def amount(self, name, label):
        """An amount in 万元 (full-width digits and thousands separators accepted)."""
        text = self.text(name).replace(",", "").removesuffix("万元").removesuffix("万").strip()
        if not text:
            return None
        if text.startswith("-"):
            self.fail(name, f"{label}不能为负数")
            return None
        if not _AMOUNT.match(text):
            self.fail(name, f"{label}应为以万元为单位的数字，例如 50 或 120.5")
            return None
        try:
            amount = Decimal(text)
        except InvalidOperation:  # pragma: no cover - the pattern already refuses it
            self.fail(name, f"{label}应为以万元为单位的数字")
            return None
        if amount > MAX_WAN:
            self.fail(name, f"{label}超过1000亿元（{format(MAX_WAN, 'f')}万元），请检查是否多输入了位数")
            return None
        return amount

    def date(self, name, label):
        text = self.text(name)
        if not text:
            return None
        try:
            value = datetime.date.fromisoformat(text) if _DATE.match(text) else None
        except ValueError:
            value = None
        if value is None:
            self.fail(name, f"{label}应为有效日期，格式如 2026-03-01")
            return None
        if not EARLIEST_DATE <= value <= LATEST_DATE:
            self.fail(name, f"{label}应在2000年至2100年之间")
            return None
        return value

    def keywords(self, name):
        value = " ".join(self.text(name).split())
        if len(value) > MAX_QUERY_LENGTH:
            self.fail(name, f"关键词不能超过{MAX_QUERY_LENGTH}个字")
            return ""
        return value


def read_page_number(query):
    """The ``page`` parameter (1 when absent); FilterError when it is not a page number."""
    text = unicodedata.normalize("NFKC", query.get("page", "")).strip() or "1"
    if not re.fullmatch(r"[0-9]{1,9}", text, re.ASCII) or not 1 <= int(text) <= MAX_PAGE:
        raise FilterError([("page", "页码应为正整数")])
    return int(text)


# --- querying -------------------------------------------------------------------------------------


def published_expression():
    return Coalesce(F("latest_notice_at"), F("first_published_at"))


def band_expression():
    whens = []
    for band, low, high in BAND_LIMITS:
        condition = Q(budget__gte=low) if high is None else Q(budget__gte=low, budget__lt=high)
        whens.append(When(condition, then=Value(band.value)))
    return Case(*whens, default=Value(""), output_field=CharField())


def _band_q(band):
    for value, low, high in BAND_LIMITS:
        if value == band:
            return Q(budget__gte=low) if high is None else Q(budget__gte=low, budget__lt=high)
    raise ValueError(band)


def _status_q(status, now):
    if status == Status.OPEN:  # 正在招标 includes 即将截止 (module docstring)
        return status_filter(Status.OPEN, now) | status_filter(Status.CLOSING, now)
    return status_filter(status, now)


def local_midnight(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def apply(queryset, filters: ProjectFilters, now, skip: str = ""):
    """``queryset`` narrowed by every filter except ``skip`` (a facet's counts ignore its own filter)."""
    if filters.method and skip != "method":
        queryset = queryset.filter(method=filters.method)
    if filters.status and skip != "status":
        queryset = queryset.filter(_status_q(filters.status, now))
    if filters.buyer and skip != "buyer":
        queryset = queryset.filter(buyer__slug=filters.buyer)
    if filters.category and skip != "category":
        queryset = queryset.filter(category=filters.category)
    if filters.band and skip != "band":
        queryset = queryset.filter(_band_q(filters.band))
    if filters.budget_min is not None:
        queryset = queryset.filter(budget__gte=filters.budget_min * 10000)
    if filters.budget_max is not None:
        queryset = queryset.filter(budget__lte=filters.budget_max * 10000)
    if filters.published_from or filters.published_to:
        queryset = queryset.alias(published=published_expression())
        if filters.published_from:
            queryset = queryset.filter(published__gte=local_midnight(filters.published_from))
        if filters.published_to:
            end = local_midnight(filters.published_to + datetime.timedelta(days=1))
            queryset = queryset.filter(published__lt=end)
    for word in filters.q.split():
        queryset = queryset.filter(Q(title__icontains=word) | Q(project_number__icontains=word))
    return queryset


def ordered(queryset, filters: ProjectFilters, now):
    if filters.sort == "deadline":
        # Deadlines still ahead first, soonest first; then the passed ones, most recent first.
        ahead = Case(
            When(
                terminated_at__isnull=True,
                awarded_at__isnull=True,
                bid_deadline__gt=now,
                then=F("bid_deadline"),
            ),
            default=None,
        )
        return queryset.alias(ahead=ahead).order_by(
            F("ahead").asc(nulls_last=True), F("bid_deadline").desc(nulls_last=True), "-pk"
        )
    if filters.sort == "budget_desc":
        return queryset.order_by("-budget", "-pk")
    if filters.sort == "budget_asc":
        return queryset.order_by("budget", "pk")
    return queryset.alias(published=published_expression()).order_by(
        F("published").desc(nulls_last=True), "-pk"
    )


def facet_counts(base, filters: ProjectFilters, now):
    """{"method"|"status"|"buyer"|"category"|"band": [{value, label, count, selected}]}: one GROUP BY each;
    and "total", the number of projects under all the filters (read off the status counts: no COUNT query)."""

    def grouped(dimension, key, expression=None):
        queryset = apply(base, filters, now, skip=dimension).order_by()
        if expression is not None:
            queryset = queryset.annotate(**{key: expression})
        return {row[key]: row["n"] for row in queryset.values(key).annotate(n=Count("pk")) if row[key]}

    by_method = grouped("method", "method")
    by_category = grouped("category", "category")
    by_band = grouped("band", "facet_band", band_expression())
    by_status = grouped("status", "facet_status", status_expression(now))
    every_status = sum(by_status.values())  # the status facet ignores only the status filter
    by_status[Status.OPEN.value] = by_status.get(Status.OPEN.value, 0) + by_status.get(
        Status.CLOSING.value, 0
    )
    by_buyer = grouped("buyer", "buyer_id")  # by id: no join in the count; the few names come apart
    buyers = Department.objects.filter(pk__in=by_buyer).order_by("sort_order", "name")
    return {
        "total": by_status.get(filters.status, 0) if filters.status else every_status,
        "method": [
            _option(value, label, by_method[value], filters.method)
            for value, label in Method.choices
            if value in by_method or value == filters.method
        ],
        "status": [
            _option(value, STATUS_LABELS[value], by_status.get(value, 0), filters.status)
            for value in Status.values
            if by_status.get(value) or value == filters.status
        ],
        "buyer": [_option(d.slug, d.display_name, by_buyer[d.pk], filters.buyer) for d in buyers],
        "category": [
            _option(value, label, by_category[value], filters.category)
            for value, label in Category.choices
            if value in by_category or value == filters.category
        ],
        "band": [
            _option(value, label, by_band.get(value, 0), filters.band)
            for value, label in BudgetBand.choices
            if value in by_band or value == filters.band
        ],
    }


def _option(value, label, count, selected):
    # Labels may be lazy translations: resolve them now, in the request's language.
    return {"value": value, "label": str(label), "count": count, "selected": str(value) == str(selected)}
