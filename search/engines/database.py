"""The database fallback: SearchEntry rows, matched on their jieba words, with facets by GROUP BY.

Slower than Elasticsearch and with a simpler ranking (identifier, then how many query words the
title has, then date), but it takes the same parameters and answers the same shape.
"""

from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.db.models.functions import Length

from search.engines.facets import build_facets
from search.engines.results import DATABASE, SearchPage, highlight, snippet, word_pattern
from search.models import SearchEntry
from search.params import FACET_NAMES

LIST_FIELDS = (
    "key",
    "kind",
    "url",
    "title",
    "summary",
    "text",
    "department_name",
    "date",
    "identifiers",
    "validity",
    "openness",
)


def _has_words(field, words):
    q = Q()
    for word in words:
        q &= Q(**{f"{field}__contains": f" {word} "})
    return q


def match_q(expansion):
    """Rows matching the query: every clause (words or phrase), the identifier, or the pinyin."""
    q = Q(pk__in=[])
    if expansion.clauses:
        text = Q()
        for clause in expansion.clauses:
            either = Q(pk__in=[])
            for alt in clause:
                either |= (
                    _has_words("words", alt.words)
                    | Q(title__icontains=alt.text)
                    | Q(text__icontains=alt.text)
                )
            text &= either
        q |= text
    if expansion.identifier:
        q |= Q(identifiers__contains=f" {expansion.identifier} ")
    if expansion.pinyin:
        q |= Q(pinyin__contains=f" {expansion.pinyin}")
        if expansion.departments:
            q |= Q(department__in=expansion.departments)
    return q


def filter_q(filters, date_from=None, date_to=None):
    q = Q()
    for name, values in filters.items():
        q &= Q(**{f"{name}__in": values})
    if date_from:
        q &= Q(date__gte=date_from)
    if date_to:
        q &= Q(date__lte=date_to)
    return q


def _rank(expansion):
    """Higher is better: exact identifier 1000, pinyin 100/50, +10 per query word in the title."""
    whens = []
    if expansion.identifier:
        whens.append(When(identifiers__contains=f" {expansion.identifier} ", then=Value(1000)))
    if expansion.pinyin:
        whens.append(When(pinyin__contains=f" {expansion.pinyin} ", then=Value(100)))
        whens.append(When(pinyin__contains=f" {expansion.pinyin}", then=Value(50)))
    score = Case(*whens, default=Value(0), output_field=IntegerField()) if whens else Value(0)
    for clause in expansion.clauses:
        in_title = Q(pk__in=[])
        for alt in clause:
            in_title |= _has_words("title_words", alt.words) | Q(title__icontains=alt.text)
        score = score + Case(When(in_title, then=Value(10)), default=Value(0), output_field=IntegerField())
    return score


def search(params, expansion, request=None):
    page = SearchPage(
        query=params.q,
        page=params.page,
        per_page=params.per_page,
        backend=DATABASE,
        words=expansion.words,
        sort=params.sort,
    )
    if not expansion:
        return page
    base = SearchEntry.objects.filter(match_q(expansion))
    dated = base.filter(filter_q({}, params.date_from, params.date_to))
    counts = {}
    for name in FACET_NAMES:
        rows = dated.filter(filter_q(params.without(name))).values(name).annotate(n=Count("pk")).order_by()
        counts[name] = {row[name]: row["n"] for row in rows}
    page.facets = build_facets(counts, params)
    matched = dated.filter(filter_q(params.filters))
    page.total = matched.count()
    if params.sort == "date":
        ordered = matched.order_by("-date", "pk")
    else:
        ordered = matched.annotate(rank=_rank(expansion), title_length=Length("title")).order_by(
            "-rank", "title_length", "-date", "pk"
        )
    if page.total and params.offset >= page.total:
        page.page = page.num_pages  # past the end: show the last page, as the paginator would
    offset = (page.page - 1) * page.per_page
    rows = ordered.only(*LIST_FIELDS)[offset : offset + page.per_page]
    pattern = word_pattern(expansion.words + expansion.phrases)
    page.results = [describe(entry, pattern) for entry in rows]
    return page


def describe(entry, pattern):
    from search.models.entry import Kind

    return {
        "key": entry.key,
        "kind": entry.kind,
        "kind_label": str(Kind(entry.kind).label),
        "title": entry.title,
        "title_html": highlight(entry.title, pattern),
        "url": entry.url,
        "date": entry.date,
        "department": entry.department_name,
        "identifiers": entry.identifiers.split(),
        "snippet_html": snippet(entry.text or entry.summary, pattern),
        "validity": entry.validity,
        "openness": entry.openness,
    }
