"""The database search backend for Chinese: modelsearch's per-database backend, with every
indexed value and every query segmented by jieba (search.text) into space-separated words.

SQLite FTS5 (unicode61) and PostgreSQL tsvector ('simple' config: no stemming, no stop words)
both split on spaces, so the segmented words become the index terms; a query for 采购 matches
the term 采购 of "政府 采购 政府采购". Multi-word queries are ANDed unless operator="or".

Only values and queries change; modelsearch still owns the tables, the ranking and
``manage.py update_index`` (which rebuilds this index through ``add_items``).
"""

from django.db import connection
from modelsearch.backends.base import EmptySearchResults
from modelsearch.index import RelatedFields
from modelsearch.query import And, Boost, Fuzzy, MatchAll, Not, Or, Phrase, PlainText

from search.text import query_tokens, segment

# For the search page's notice: results come from the database, not Elasticsearch.
NAME = "database"


def _segmenting_indexer(module):
    """Make ``module.ObjectIndexer`` segment the values it extracts, for segmenting backends only.

    modelsearch's index classes build their ObjectIndexer by module-global name, with no hook to
    pass another class; the subclass installed here behaves exactly like the original unless the
    backend says ``segment_text = True``, so other backends are unaffected.
    """
    base = module.ObjectIndexer
    if getattr(base, "jieba_segmenting", False):
        return

    class SegmentingObjectIndexer(base):
        jieba_segmenting = True

        def __init__(self, obj, backend):
            super().__init__(obj, backend)
            self.segment_text = getattr(backend, "segment_text", False)

        def prepare_field(self, obj, field):
            for item in super().prepare_field(obj, field):
                # RelatedFields recurse through this method, so their values are already segmented.
                if self.segment_text and not isinstance(field, RelatedFields):
                    item = (*item[:-1], segment(item[-1]))
                yield item

    module.ObjectIndexer = SegmentingObjectIndexer


def segment_query(query, operator=None):
    """The query with its text replaced by jieba words, or None when nothing searchable is left."""
    if isinstance(query, str):
        query = PlainText(query, operator=operator or PlainText.DEFAULT_OPERATOR)
    if isinstance(query, (PlainText, Phrase, Fuzzy)):
        words = " ".join(query_tokens(query.query_string))
        if not words:
            return None
        if isinstance(query, Phrase):
            return Phrase(segment(query.query_string))
        if isinstance(query, Fuzzy):
            return Fuzzy(words, operator=query.operator, unaccent=query.unaccent)
        return PlainText(words, operator=query.operator, boost=query.boost)
    if isinstance(query, (And, Or)):
        parts = [p for p in (segment_query(q) for q in query.subqueries) if p is not None]
        return type(query)(parts) if parts else None
    if isinstance(query, (Not, Boost)):
        inner = segment_query(query.subquery)
        if inner is None:
            return None
        return Not(inner) if isinstance(query, Not) else Boost(inner, query.boost)
    return query  # MatchAll and anything newer pass through unchanged


class SegmentedSearchMixin:
    segment_text = True

    def _search(self, query_compiler_class, query, model_or_queryset, **kwargs):
        if not isinstance(query, MatchAll):
            query = segment_query(query, operator=kwargs.get("operator"))
            if query is None:
                return EmptySearchResults()
        return super()._search(query_compiler_class, query, model_or_queryset, **kwargs)


def _sqlite_backend():
    from modelsearch.backends.database.sqlite import sqlite

    _segmenting_indexer(sqlite)

    class SegmentedSQLiteSearchBackend(SegmentedSearchMixin, sqlite.SQLiteSearchBackend):
        pass

    return SegmentedSQLiteSearchBackend


def _postgres_backend():
    from modelsearch.backends.database.postgres import postgres

    _segmenting_indexer(postgres)

    class SegmentedPostgresSearchBackend(SegmentedSearchMixin, postgres.PostgresSearchBackend):
        def __init__(self, params):
            # 'simple': lower-case only. A language config would stem or drop our words.
            super().__init__({"SEARCH_CONFIG": "simple", **params})

    return SegmentedPostgresSearchBackend


def _fallback_backend():
    # Substring matching on the model fields (no index): segmented words ANDed still work.
    from modelsearch.backends.database.fallback import DatabaseSearchBackend

    class SegmentedFallbackSearchBackend(SegmentedSearchMixin, DatabaseSearchBackend):
        pass

    return SegmentedFallbackSearchBackend


_classes = {}


def backend_class():
    """The segmenting backend class for the default database's vendor."""
    if connection.vendor == "postgresql":
        kind, factory = "postgresql", _postgres_backend
    elif connection.vendor == "sqlite" and _sqlite_fts_available():
        kind, factory = "sqlite", _sqlite_backend
    else:
        kind, factory = "fallback", _fallback_backend
    if kind not in _classes:
        _classes[kind] = factory()
    return _classes[kind]


_fts = {}


def _sqlite_fts_available():
    """FTS5 compiled in and its table migrated (remembered once true, like modelsearch does)."""
    from modelsearch.backends.database.sqlite.utils import fts5_available, fts_table_exists

    if not _fts.get(connection.alias):
        _fts[connection.alias] = fts5_available() and fts_table_exists()
    return _fts[connection.alias]


def SearchBackend(params):  # noqa: N802 - modelsearch looks the backend up by this name
    return backend_class()(params)
