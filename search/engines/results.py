"""What both engines return: a page of results with facets, ready for the template and the API."""

import re
from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

SNIPPET_LENGTH = 120
DATABASE, ELASTICSEARCH = "database", "elasticsearch"


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool = False


@dataclass
class FacetResult:
    name: str
    label: str
    options: list = field(default_factory=list)

    @property
    def selected(self):
        return [o for o in self.options if o.selected]


@dataclass
class SearchPage:
    query: str
    results: list = field(default_factory=list)
    total: int = 0
    page: int = 1
    per_page: int = 10
    backend: str = DATABASE
    words: list = field(default_factory=list)
    facets: list = field(default_factory=list)
    best_bets: list = field(default_factory=list)
    notices: list = field(default_factory=list)
    sort: str = "relevance"

    @property
    def num_pages(self):
        return max(1, -(-self.total // self.per_page))

    @property
    def has_previous(self):
        return self.page > 1

    @property
    def has_next(self):
        return self.page < self.num_pages

    @property
    def first_number(self):
        return (self.page - 1) * self.per_page + 1

    @property
    def page_links(self):
        """Page numbers to link, with "…" for gaps: [1, 2, 3, "…", 9, 10]."""
        if self.num_pages <= 1:
            return []
        paginator = Paginator(range(self.num_pages), 1)
        return list(paginator.get_elided_page_range(self.page, on_each_side=2, on_ends=1))


def word_pattern(words):
    """A regex matching runs of the query words (longest first), case-insensitive."""
    words = [w for w in words if w]
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
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + length < len(text) else ""
    return format_html("{}{}{}", prefix, highlight(piece, pattern), suffix)


def merge_marks(html):
    """Elasticsearch marks CJK text a character at a time: join adjacent marks into one."""
    return mark_safe(html.replace("</mark><mark>", ""))  # noqa: S308 - ES output with encoder=html


def kind_label(kind):
    """The type's name; a kind a later content type adds without a label shows as 网页."""
    from search.models.entry import Kind

    try:
        return str(Kind(kind).label)
    except ValueError:
        return str(Kind.PAGE.label)
