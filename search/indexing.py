"""Build and query the Elasticsearch index of disclosure documents (see search.documents).

client = search.es.get_client()
rebuild_index(client)                      # new timestamped index, bulk, alias swap, drop old
search_documents(client, "政府采购")          # -> [{"id", "score", "title", ...}, ...]
"""

from django.conf import settings
from django.utils import timezone
from elasticsearch import NotFoundError
from elasticsearch.helpers import streaming_bulk
from elasticsearch_dsl import Index

from search.documents import DisclosureDocumentIndex
from search.text import normalize, plain_text, query_tokens, segment

CHUNK_SIZE = 500
EXACT_BOOST = 100  # a 发文字号 or 索引号 typed exactly beats any text match


def alias_name(prefix=None):
    prefix = prefix if prefix is not None else settings.ELASTICSEARCH_INDEX_PREFIX
    return f"{prefix.lower()}-disclosure"


def index_definition(name):
    index = Index(name)
    index.settings(**DisclosureDocumentIndex._index._settings)
    index.document(DisclosureDocumentIndex)
    return index


def create_index(client, name):
    """Create the index ``name`` with the disclosure mapping; returns the name."""
    index_definition(name).create(using=client)
    return name


def _date(value):
    return value.isoformat() if value else None


def document_to_es(page):
    """The Elasticsearch source of a DisclosureDocument."""
    department = page.department
    topic = page.topic
    numbers = " ".join(n for n in (page.document_number, page.index_number) if n)
    text = "\n".join(p for p in (numbers, page.keywords, plain_text(page)) if p)
    return {
        "page_id": page.pk,
        "url": page.get_url(),
        "title": page.title,
        "title_words": segment(page.title),
        "body": text,
        "body_words": segment(text),
        "summary": page.summary,
        "keywords": page.keyword_list,
        "index_number": page.index_number,
        "document_number": page.document_number or None,
        "department": department.slug if department else None,
        "department_name": department.name if department else None,
        "topic": topic.code if topic else None,
        "topic_name": topic.name if topic else None,
        "genre": page.genre,
        "validity": page.validity,
        "disclosure_method": page.disclosure_method,
        "written_on": _date(page.written_on),
        "published_on": _date(page.published_on),
        "expires_on": _date(page.expires_on),
    }


def bulk_index(pages, client, index=None, chunk_size=CHUNK_SIZE, progress=None):
    """Index ``pages`` (any iterable, consumed lazily) in chunks; returns how many were indexed.

    ``progress(count)`` is called after every chunk. Memory stays bounded by one chunk as long
    as ``pages`` is itself lazy (e.g. ``queryset.iterator()``).
    """
    index = index or alias_name()
    actions = (
        {"_op_type": "index", "_index": index, "_id": page.pk, "_source": document_to_es(page)}
        for page in pages
    )
    count = 0
    for _ok, _item in streaming_bulk(client, actions, chunk_size=chunk_size, max_retries=3):
        count += 1  # errors raise BulkIndexError (raise_on_error is on)
        if progress and count % chunk_size == 0:
            progress(count)
    if progress and count % chunk_size:
        progress(count)
    return count


def live_documents(chunk_size=CHUNK_SIZE):
    from cms.disclosure.models import DisclosureDocument

    return (
        DisclosureDocument.objects.live()
        .public()
        .select_related("department", "topic")
        .order_by("pk")
        .iterator(chunk_size=chunk_size)
    )


def indices_behind(client, alias):
    try:
        return sorted(client.indices.get_alias(name=alias))
    except NotFoundError:
        return []


def rebuild_index(client, prefix=None, pages=None, chunk_size=CHUNK_SIZE, progress=None):
    """Create ``<alias>-<timestamp>``, fill it, point ``<alias>`` at it, delete the old indices.

    Searches keep using the old index until the alias moves (one atomic update_aliases call).
    If anything fails before the swap, the new index is deleted and the alias is untouched.
    """
    alias = alias_name(prefix)
    name = f"{alias}-{timezone.now():%Y%m%d%H%M%S%f}"
    create_index(client, name)
    try:
        count = bulk_index(
            live_documents(chunk_size) if pages is None else pages,
            client,
            index=name,
            chunk_size=chunk_size,
            progress=progress,
        )
        client.indices.refresh(index=name)
        old = indices_behind(client, alias)
        if not old and client.indices.exists(index=alias):
            client.indices.delete(index=alias)  # a concrete index squats the alias name
        actions = [{"remove": {"index": i, "alias": alias}} for i in old]
        client.indices.update_aliases(actions=[*actions, {"add": {"index": name, "alias": alias}}])
    except BaseException:
        client.indices.delete(index=name, ignore_unavailable=True)
        raise
    for index in old:
        client.indices.delete(index=index, ignore_unavailable=True)
    return {"alias": alias, "index": name, "count": count, "deleted": old}


def build_query(query):
    """The query DSL for a user's query, or None when it has nothing to search for."""
    raw = " ".join(normalize(query).split())
    words = " ".join(query_tokens(raw))
    if not words and not raw:
        return None
    must = [
        {"term": {"document_number": {"value": raw, "boost": EXACT_BOOST}}},
        {"term": {"index_number": {"value": raw, "boost": EXACT_BOOST}}},
    ]
    if words:
        must += [
            # jieba words: the precise match, scored, title first.
            {
                "multi_match": {
                    "query": words,
                    "fields": ["title_words^3", "body_words"],
                    "type": "cross_fields",
                    "operator": "and",
                    "boost": 2,
                }
            },
            # every character present: recall for text jieba cut differently. A small constant
            # score, so a document with the characters but not the words (采集…购买 for 采购)
            # never outranks one with the words.
            {
                "constant_score": {
                    "boost": 0.1,
                    "filter": {
                        "multi_match": {
                            "query": raw,
                            "fields": ["title", "body"],
                            "type": "cross_fields",
                            "operator": "and",
                        }
                    },
                }
            },
        ]
    return {
        "bool": {
            "must": [{"bool": {"should": must, "minimum_should_match": 1}}],
            # character bigrams in the query's order: phrase-ish ranking.
            "should": [
                {
                    "multi_match": {
                        "query": raw,
                        "fields": ["title.shingles^2", "body.shingles"],
                        "type": "most_fields",
                    }
                }
            ],
        }
    }


def search_documents(client, query, index=None, size=10, offset=0):
    """Disclosure documents matching ``query``, best first: dicts of the indexed fields + id, score."""
    body = build_query(query)
    if body is None:
        return []
    response = client.search(
        index=index or alias_name(),
        query=body,
        size=size,
        from_=offset,
        source_excludes=["title_words", "body_words", "body"],
    )
    return [
        {"id": int(hit["_id"]), "score": hit["_score"], **hit["_source"]} for hit in response["hits"]["hits"]
    ]
