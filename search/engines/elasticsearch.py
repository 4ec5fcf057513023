"""Elasticsearch: the same parameters, better ranking, highlighting and facets in one request.

Ranking, best first: an exact identifier (文号, 索引号, 资源代码); pinyin of a name; the query's
jieba words (title ×3); its characters in order (bigram shingles, phrase-ish); for news only, a
recency decay. Facets are filter aggregations under every filter except their own (post_filter
applies the facet filters to the hits), so the other options of a facet stay visible with counts.
"""

from search.engines.facets import build_facets
from search.engines.results import (
    ELASTICSEARCH,
    SearchPage,
    highlight,
    kind_label,
    merge_marks,
    snippet,
    word_pattern,
)
from search.indexing import alias_name
from search.models.entry import Kind
from search.params import FACET_NAMES

IDENTIFIER_BOOST = 1000
IDENTIFIER_OWNER_BOOST = 100  # the identifier's owner before entries that refer to it (a project's notices)
PINYIN_BOOST = 200
NAME_BOOST = 100
# Priors by kind: sections and departments' own pages answer navigational queries; documents
# carry the policy itself, the catalogue's metadata records describe data held elsewhere.
# Procurement notices are many and alike (every one says 政府采购): they answer queries that name
# them (a project number, an item), not every query about procurement.
KIND_WEIGHTS = {Kind.PAGE: 1.5, Kind.DOCUMENT: 1.2, Kind.INTERPRETATION: 1.2, Kind.PROCUREMENT: 0.8}
DATED_WEIGHT = 0.8
PINYIN_PREFIX_BOOST = 50
DEPARTMENT_BOOST = 5
NEWS_HALF_LIFE = "180d"
FACET_SIZE = 50
SOURCE_FIELDS = [
    "kind",
    "url",
    "title",
    "summary",
    "department_name",
    "date",
    "identifiers",
    "validity",
    "openness",
    "online_level",
    "notice_type",
    "status",
    "method",
]


def _alternative(alt):
    """One way of matching: all its words (scored, title first) or its text as a phrase
    (characters in order: recall where jieba cut differently). A lone character is never a phrase:
    会 would match every 委员会."""
    words = " ".join(alt.words)
    should = [
        {"match": {"title_words": {"query": words, "operator": "and", "boost": 3}}},
        {"match": {"words": {"query": words, "operator": "and"}}},
    ]
    if len(alt.text) > 1:
        should += [
            {"match_phrase": {"title": {"query": alt.text, "boost": 0.5}}},
            {"match_phrase": {"text": {"query": alt.text, "boost": 0.2}}},
        ]
    return {"bool": {"should": should, "minimum_should_match": 1}}


def matching(expansion):
    """What a hit must match (any of the ways), unscored by the priors: also the facets' filter."""
    ways = []
    if expansion.clauses:
        clauses = [
            {"bool": {"should": [_alternative(a) for a in clause], "minimum_should_match": 1}}
            for clause in expansion.clauses
        ]
        ways.append({"bool": {"must": clauses}})
    if expansion.identifier:
        ways.append(
            {
                "constant_score": {
                    "filter": {"term": {"identifiers": expansion.identifier}},
                    "boost": IDENTIFIER_BOOST,
                }
            }
        )
        owner = {
            "bool": {
                "filter": [{"term": {"identifiers": expansion.identifier}}],
                "must_not": [{"exists": {"field": "notice_type"}}],
            }
        }
        ways.append({"constant_score": {"filter": owner, "boost": IDENTIFIER_OWNER_BOOST}})
    if expansion.names:
        ways.append(
            {"constant_score": {"filter": {"terms": {"names": expansion.names}}, "boost": NAME_BOOST}}
        )
    if expansion.pinyin:
        ways.append(
            {"constant_score": {"filter": {"term": {"pinyin": expansion.pinyin}}, "boost": PINYIN_BOOST}}
        )
        ways.append(
            {
                "constant_score": {
                    "filter": {"prefix": {"pinyin": expansion.pinyin}},
                    "boost": PINYIN_PREFIX_BOOST,
                }
            }
        )
        if expansion.departments:
            ways.append(
                {
                    "constant_score": {
                        "filter": {"terms": {"department": expansion.departments}},
                        "boost": DEPARTMENT_BOOST,
                    }
                }
            )
    return {"bool": {"should": ways, "minimum_should_match": 1}}


def match_query(expansion):
    """``matching`` ranked: phrase-like matches, kind priors, undated titles, news recency."""
    query = {
        "bool": {
            "must": [matching(expansion)],
            # the query's characters in its order: rewards phrase-like matches.
            "should": [
                {
                    "multi_match": {
                        "query": expansion.query,
                        "fields": ["title.shingles^2", "text.shingles^0.3"],
                        "type": "most_fields",
                    }
                }
            ],
        }
    }
    recency = {
        "filter": {"term": {"kind": Kind.NEWS}},
        "gauss": {"date": {"origin": "now", "scale": NEWS_HALF_LIFE, "decay": 0.5}},
    }
    functions = [recency]
    functions += [{"filter": {"term": {"kind": kind}}, "weight": w} for kind, w in KIND_WEIGHTS.items()]
    if not expansion.has_year:
        functions.append({"filter": {"term": {"dated": True}}, "weight": DATED_WEIGHT})
    return {
        "function_score": {
            "query": query,
            "functions": functions,
            "score_mode": "multiply",
            "boost_mode": "multiply",
        }
    }


def terms_filters(filters):
    return [{"terms": {name: values}} for name, values in filters.items()]


def date_filter(params):
    bounds = {}
    if params.date_from:
        bounds["gte"] = params.date_from.isoformat()
    if params.date_to:
        bounds["lte"] = params.date_to.isoformat()
    return [{"range": {"date": bounds}}] if bounds else []


def aggregations(params):
    aggs = {}
    for name in FACET_NAMES:
        terms = {"field": name, "size": FACET_SIZE}
        if name == "year":
            terms["order"] = {"_key": "desc"}
        aggs[name] = {
            "filter": {"bool": {"filter": terms_filters(params.without(name))}},
            "aggs": {"values": {"terms": terms}},
        }
    return aggs


def highlight_spec(expansion):
    phrases = expansion.phrases + expansion.words
    should = [{"match_phrase": {field: p}} for p in phrases for field in ("title", "text")]
    return {
        "pre_tags": ["<mark>"],
        "post_tags": ["</mark>"],
        "encoder": "html",
        "highlight_query": {"bool": {"should": should or [{"match_none": {}}]}},
        "fields": {
            "title": {"number_of_fragments": 0},
            "text": {"fragment_size": 120, "number_of_fragments": 1, "no_match_size": 120},
        },
    }


def hits_body(params, expansion):
    body = {
        "query": {"bool": {"must": [match_query(expansion)], "filter": date_filter(params)}},
        "post_filter": {"bool": {"filter": terms_filters(params.filters)}},
        "highlight": highlight_spec(expansion),
        "_source": SOURCE_FIELDS,
        "track_total_hits": True,
    }
    if params.sort == "date":
        body["sort"] = [{"date": {"order": "desc", "missing": "_last"}}, "_score"]
    return body


def facets_body(params, expansion):
    """The facet counts as a separate, deterministic request (no scoring, no "now"): Elasticsearch's
    shard request cache can then answer a repeated query's facets without recounting them."""
    return {
        "size": 0,
        "query": {"bool": {"filter": [matching(expansion), *date_filter(params)]}},
        "aggs": aggregations(params),
    }


def build_body(params, expansion):
    """Both requests in one body (tests and explanations use it); the engine sends them apart."""
    return {**hits_body(params, expansion), "aggs": aggregations(params)}


def search(params, expansion, client, request=None):
    page = SearchPage(
        query=params.q,
        page=params.page,
        per_page=params.per_page,
        backend=ELASTICSEARCH,
        words=expansion.words,
        sort=params.sort,
    )
    if not expansion:
        return page
    index = alias_name()
    hits_request = {**hits_body(params, expansion), "from": params.offset, "size": params.per_page}
    responses = client.msearch(
        searches=[
            {"index": index},
            hits_request,
            {"index": index, "request_cache": True},
            facets_body(params, expansion),
        ]
    )["responses"]
    for response in responses:
        if "error" in response:
            raise RuntimeError(f"Elasticsearch: {response['error']}")
    found, faceted = responses
    page.total = found["hits"]["total"]["value"]
    counts = {
        name: {b["key"]: b["doc_count"] for b in agg["values"]["buckets"]}
        for name, agg in faceted["aggregations"].items()
    }
    page.facets = build_facets(counts, params)
    hits = found["hits"]["hits"]
    if not hits and page.total and params.offset >= page.total:
        page.page = page.num_pages  # past the end: show the last page
        last = {**hits_request, "from_": (page.page - 1) * page.per_page}
        del last["from"]
        hits = client.search(index=index, **last)["hits"]["hits"]
    pattern = word_pattern(expansion.words + expansion.phrases)
    page.results = [describe(hit, pattern) for hit in hits]
    return page


def describe(hit, pattern):
    source, marks = hit["_source"], hit.get("highlight", {})
    title = merge_marks(marks["title"][0]) if marks.get("title") else highlight(source["title"], pattern)
    text = marks.get("text")
    return {
        "key": hit["_id"],
        "kind": source["kind"],
        "kind_label": kind_label(source["kind"]),
        "title": source["title"],
        "title_html": title,
        "url": source["url"],
        "date": _date(source.get("date")),
        "department": source.get("department_name") or "",
        "identifiers": source.get("identifiers") or [],
        "snippet_html": merge_marks(text[0]) if text else snippet(source.get("summary"), pattern),
        "validity": source.get("validity") or "",
        "openness": source.get("openness") or "",
        "online_level": source.get("online_level") or "",
        "notice_type": source.get("notice_type") or "",
        "status": source.get("status") or "",
        "method": source.get("method") or "",
    }


def _date(value):
    import datetime

    return datetime.date.fromisoformat(value[:10]) if value else None
