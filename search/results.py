"""Site search over live public pages through the database fallback (jieba-segmented).

    run_search("政府采购", page=1, per_page=10) -> SearchPage(results=[{...}], total=1, ...)
    search_results(request)                      -> the same as a JSON-ready dict (for the API)

Both raise QueryTooLong for queries over MAX_QUERY_LENGTH characters (the view answers 400).
"""

import re
import unicodedata
from dataclasses import asdict, dataclass, field

from django.core.paginator import Paginator
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from wagtail.models import Page

from search.backends.segmented import NAME as DATABASE_BACKEND
from search.text import plain_text, query_tokens

MAX_QUERY_LENGTH = 100
DEFAULT_PER_PAGE = 10
MAX_PER_PAGE = 50
MAX_PAGE = 1000  # deeper pages are not useful and cost an ever larger OFFSET
SNIPPET_LENGTH = 120


class QueryTooLong(ValueError):
    def __init__(self, limit=MAX_QUERY_LENGTH):
        super().__init__(f"搜索词过长，请不要超过{limit}个字。")


@dataclass
class SearchPage:
    query: str
    results: list = field(default_factory=list)
    total: int = 0
    page: int = 1
    num_pages: int = 1
    per_page: int = DEFAULT_PER_PAGE
    backend: str = DATABASE_BACKEND
    words: list = field(default_factory=list)

    @property
    def has_previous(self):
        return self.page > 1

    @property
    def has_next(self):
        return self.page < self.num_pages

    @property
    def first_number(self):
        """The ordinal of the first result on this page (for <ol start>)."""
        return (self.page - 1) * self.per_page + 1

    @property
    def page_links(self):
        """Page numbers to link, with "…" for gaps: [1, 2, 3, "…", 9, 10]."""
        if self.num_pages <= 1:
            return []
        paginator = Paginator(range(self.num_pages), 1)
        return list(paginator.get_elided_page_range(self.page, on_each_side=2, on_ends=1))

    def as_dict(self):
        data = asdict(self)
        for item in data["results"]:
            item["snippet_html"] = str(item["snippet_html"])
            item["title_html"] = str(item["title_html"])
            item["date"] = item["date"].isoformat() if item["date"] else None
        data.update(has_previous=self.has_previous, has_next=self.has_next)
        return data


def clean_query(query):
    """Control and other invisible characters become spaces; runs of space collapse."""
    query = "".join(" " if unicodedata.category(c)[0] == "C" else c for c in str(query or ""))
    return " ".join(query.split())


def parse_int(value, default, lowest, highest):
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return default
    return min(max(number, lowest), highest)


def word_pattern(words):
    """A regex matching runs of the query words (longest first), case-insensitive."""
    if not words:
        return None
    alternatives = "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))
    return re.compile(f"(?:{alternatives})+", re.IGNORECASE)


def highlight(text, pattern):
    """``text`` HTML-escaped, with the matches of ``pattern`` in <mark>."""
    if pattern is None:
        return escape(text)
    out, position = [], 0
    for match in pattern.finditer(text):
        out.append(escape(text[position : match.start()]))
        out.append(format_html("<mark>{}</mark>", match.group()))
        position = match.end()
    out.append(escape(text[position:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece above is escaped


def snippet(text, pattern, length=SNIPPET_LENGTH):
    """About ``length`` characters around the first match, highlighted."""
    text = " ".join((text or "").split())
    if not text:
        return ""
    match = pattern.search(text) if pattern else None
    start = max(0, match.start() - length // 4) if match else 0
    piece = text[start : start + length]
    html = highlight(piece, pattern)
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + length < len(text) else ""
    return format_html("{}{}{}", prefix, html, suffix)


def page_date(page):
    for name in ("published_on", "date"):
        value = getattr(page, name, None)
        if value:
            return value
    stamp = page.last_published_at or page.first_published_at
    return timezone.localdate(stamp) if stamp else None


def describe(page, pattern, request=None):
    department = getattr(page, "department", None)
    return {
        "id": page.pk,
        "title": page.title,
        "title_html": highlight(page.title, pattern),
        "url": page.get_url(request=request),
        "type": page._meta.model_name,
        "type_label": str(page._meta.verbose_name),
        "date": page_date(page),
        "department": department.name if department else "",
        "snippet_html": snippet(plain_text(page), pattern),
    }


def searchable_pages(site=None):
    pages = Page.objects.live().public().specific()
    if site is not None:
        pages = pages.in_site(site)
    return pages


def run_search(query, page=1, per_page=DEFAULT_PER_PAGE, *, request=None, site=None):
    query = clean_query(query)
    if len(query) > MAX_QUERY_LENGTH:
        raise QueryTooLong()
    page = parse_int(page, 1, 1, MAX_PAGE)
    per_page = parse_int(per_page, DEFAULT_PER_PAGE, 1, MAX_PER_PAGE)
    words = query_tokens(query)
    if not words:
        return SearchPage(query=query, per_page=per_page, words=words)
    results = searchable_pages(site).search(query, operator="and")
    paginator = Paginator(results, per_page)
    current = paginator.get_page(page)  # out-of-range pages show the last one
    pattern = word_pattern(words)
    return SearchPage(
        query=query,
        results=[describe(p, pattern, request) for p in current.object_list],
        total=paginator.count,
        page=current.number,
        num_pages=paginator.num_pages,
        per_page=per_page,
        words=words,
    )


def search_results(request_or_params, per_page=DEFAULT_PER_PAGE):
    """``run_search`` driven by a request's GET (or any mapping): q, page, per_page → dict."""
    request = request_or_params if hasattr(request_or_params, "GET") else None
    params = request.GET if request is not None else request_or_params
    site = None
    if request is not None:
        from wagtail.models import Site

        site = Site.find_for_request(request)
    return run_search(
        params.get("q", ""),
        params.get("page", 1),
        params.get("per_page", per_page),
        request=request,
        site=site,
    ).as_dict()
