"""The database fallback: SearchEntry rows, matched on their jieba words, with facets by GROUP BY.

Slower than Elasticsearch and with a simpler ranking (identifier, then how many query words the
title has, then date), but it takes the same parameters and answers the same shape.
"""

from django.db import connection
from django.db.models import BooleanField, Case, Count, IntegerField, Q, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Length

from search.engines.facets import build_facets
from search.engines.results import DATABASE, SearchPage, highlight, kind_label, snippet, word_pattern
from search.expansion import DATED
from search.models import SearchEntry
from search.models.entry import Kind
from search.params import FACET_NAMES, FACETS, MULTI_VALUED
from search.text import PLACE_PREFIXES

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
    "online_level",
    "notice_type",
    "status",
    "method",
)


OWNER_BONUS = 100  # as Elasticsearch's IDENTIFIER_OWNER_BOOST


def _has_words(field, words):
    q = Q()
    for word in words:
        q &= Q(**{f"{field}__contains": f" {word} "})
    return q


def tsquery(expansion):
    """The clauses as a PostgreSQL tsquery: words of an alternative AND-ed, alternatives OR-ed,
    clauses AND-ed. The words are letters and digits only (search.text), so nothing needs quoting."""
    clauses = []
    for clause in expansion.clauses:
        alternatives = ["(" + " & ".join(alt.words) + ")" for alt in clause if alt.words]
        if alternatives:
            clauses.append("(" + " | ".join(alternatives) + ")")
    return " & ".join(clauses)


def postgres_match_q(expansion):
    """The same match through the GIN indexes of migration 0002 (no whole-table LIKE scans)."""
    parts, params = [], []
    query = tsquery(expansion)
    if query:
        parts.append("to_tsvector('simple'::regconfig, words) @@ to_tsquery('simple'::regconfig, %s)")
        params.append(query)
    if expansion.identifier:
        parts.append("string_to_array(btrim(identifiers), ' ') @> ARRAY[%s]::text[]")
        params.append(expansion.identifier)
    if expansion.pinyin:
        parts.append("string_to_array(btrim(pinyin), ' ') @> ARRAY[%s]::text[]")
        params.append(expansion.pinyin)
    if expansion.names:
        parts.append("title = ANY(%s)")  # the btree index on title keeps this a bitmap OR
        params.append(whole_titles(expansion))
    q = Q(pk__in=[])
    if parts:
        sql = "(" + " OR ".join(parts) + ")"  # constant fragments; every value is a parameter
        q |= Q(RawSQL(sql, params, output_field=BooleanField()))  # noqa: S611
    if expansion.pinyin and expansion.departments:
        q |= Q(department__in=expansion.departments)
    return q


def match_q(expansion):
    """Rows matching the query: every clause (words or phrase), the identifier, or the pinyin."""
    if connection.vendor == "postgresql":
        return postgres_match_q(expansion)
    q = Q(pk__in=[])
    if expansion.clauses:
        text = Q()
        for clause in expansion.clauses:
            either = Q(pk__in=[])
            for alt in clause:
                either |= _has_words("words", alt.words)
                if len(alt.text) > 1:  # a lone character as a substring matches far too much (会 in 委员会)
                    either |= Q(title__icontains=alt.text) | Q(text__icontains=alt.text)
            text &= either
        q |= text
    if expansion.identifier:
        q |= Q(identifiers__contains=f" {expansion.identifier} ")
    if expansion.names:
        # The query is a whole title (医保局 = 济源市医疗保障局 by synonym), as Elasticsearch's `names`
        # match: found even where jieba cut the title differently (保障局, never 局 alone).
        q |= Q(title__in=whole_titles(expansion))
    if expansion.pinyin:
        q |= Q(pinyin__contains=f" {expansion.pinyin}")
        if expansion.departments:
            q |= Q(department__in=expansion.departments)
    return q


def whole_titles(expansion):
    """The titles the query names: its forms with synonyms swapped in, with or without 济源市/济源/市."""
    return [f"{prefix}{name}" for name in expansion.names for prefix in ("", *PLACE_PREFIXES)]


def filter_q(filters, date_from=None, date_to=None):
    q = Q()
    for name, values in filters.items():
        if name in MULTI_VALUED:
            either = Q(pk__in=[])
            for value in values:
                either |= Q(**{f"{name}__contains": f" {value} "})
            q &= either
            continue
        q &= Q(**{f"{name}__in": values})
    if date_from:
        q &= Q(date__gte=date_from)
    if date_to:
        q &= Q(date__lte=date_to)
    return q


def multi_counts(queryset, name):
    """{value: count} of a multi-valued facet (a closed list): one conditional count per value."""
    facet = next(f for f in FACETS if f.name == name)
    totals = queryset.aggregate(
        **{
            f"n_{value}": Count("pk", filter=Q(**{f"{name}__contains": f" {value} "}))
            for value in facet.choices.values
        }
    )
    return {value: totals[f"n_{value}"] for value in facet.choices.values if totals[f"n_{value}"]}


def _rank(expansion):
    """Higher is better, the same order of evidence as Elasticsearch's: identifier, pinyin, the
    whole title, +10 per clause in the title, then the kind priors and undated titles."""
    whens = []
    if expansion.identifier:
        has_identifier = Q(identifiers__contains=f" {expansion.identifier} ")
        # The identifier's owner before the entries that refer to it (a project before its notices).
        whens.append(When(has_identifier & Q(notice_type=""), then=Value(1000 + OWNER_BONUS)))
        whens.append(When(has_identifier, then=Value(1000)))
    if expansion.pinyin:
        whens.append(When(pinyin__contains=f" {expansion.pinyin} ", then=Value(200)))
        whens.append(When(pinyin__contains=f" {expansion.pinyin}", then=Value(50)))
    if expansion.names:
        whens.append(When(title__in=whole_titles(expansion), then=Value(100)))
    score = Case(*whens, default=Value(0), output_field=IntegerField()) if whens else Value(0)
    for clause in expansion.clauses:
        in_title = Q(pk__in=[])
        for alt in clause:
            in_title |= _has_words("title_words", alt.words)
            if len(alt.text) > 1:
                in_title |= Q(title__icontains=alt.text)
        score = score + Case(When(in_title, then=Value(10)), default=Value(0), output_field=IntegerField())
    prior = Case(
        When(kind=Kind.PAGE, then=Value(4)),
        When(kind__in=[Kind.DOCUMENT, Kind.INTERPRETATION], then=Value(2)),
        When(kind=Kind.PROCUREMENT, then=Value(-1)),  # as Elasticsearch's KIND_WEIGHTS
        default=Value(0),
        output_field=IntegerField(),
    )
    score = score + prior
    if not expansion.has_year:
        score = score - Case(
            When(title__regex=DATED.pattern, then=Value(3)), default=Value(0), output_field=IntegerField()
        )
    return score


def _title_length():
    """The title's length without the place prefix (as Elasticsearch's title_words sees it)."""
    return Case(
        When(title__startswith="济源市", then=Length("title") - 3),
        default=Length("title"),
        output_field=IntegerField(),
    )


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
        scope = dated.filter(filter_q(params.without(name)))
        if name in MULTI_VALUED:
            counts[name] = multi_counts(scope, name)
            continue
        rows = scope.values(name).annotate(n=Count("pk")).order_by()
        counts[name] = {row[name]: row["n"] for row in rows}
    page.facets = build_facets(counts, params)
    matched = dated.filter(filter_q(params.filters))
    page.total = matched.count()
    if params.sort == "date":
        ordered = matched.order_by("-date", "pk")
    else:
        ordered = matched.annotate(rank=_rank(expansion), title_length=_title_length()).order_by(
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
    return {
        "key": entry.key,
        "kind": entry.kind,
        "kind_label": kind_label(entry.kind),
        "title": entry.title,
        "title_html": highlight(entry.title, pattern),
        "url": entry.url,
        "date": entry.date,
        "department": entry.department_name,
        "identifiers": entry.identifiers.split(),
        "snippet_html": snippet(entry.text or entry.summary, pattern),
        "validity": entry.validity,
        "openness": entry.openness,
        "online_level": entry.online_level,
        "notice_type": entry.notice_type,
        "status": entry.status,
        "method": entry.method,
    }
