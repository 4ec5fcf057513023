"""The site search's front door: pick the engine, fall back, pin best bets, log what found nothing.

    page = site_search(SearchParams.from_query(request.GET), request)   # -> SearchPage
    suggest("财政")                                                     # -> [{"title", "url", "kind"}]

Elasticsearch answers when it is configured and reachable; otherwise (or when it fails mid-query)
the database fallback answers the same parameters, and the page says so. After a failure,
Elasticsearch is left alone for ``COOLDOWN`` seconds so a dead cluster does not slow every search.
"""

import atexit
import logging
import threading
import time
from collections import Counter

from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from search import es
from search.engines import database
from search.engines import elasticsearch as es_engine
from search.expansion import expand
from search.models import SearchEntry, ZeroResultQuery
from search.sources import is_searchable_page

logger = logging.getLogger(__name__)
COOLDOWN = 30
DOWN_KEY = "search:elasticsearch-down"
QUERY_TIMEOUT = 5
LOG_BATCH = 50
LOG_SECONDS = 30
SUGGEST_SIZE = 8


def fallback_notice():
    return _("全文检索服务暂时不可用，以下结果来自数据库检索，排序可能与平时不同。")


def _client():
    if cache.get(DOWN_KEY):
        return None, True
    client = es.shared_client(request_timeout=QUERY_TIMEOUT, max_retries=0)
    return client, False


def is_outage(error):
    """Unreachable, timing out or failing as a whole (5xx), as opposed to refusing one request."""
    from elasticsearch import TransportError

    status = getattr(getattr(error, "meta", None), "status", None)
    return isinstance(error, TransportError) or (status is not None and status >= 500)


def _mark_down(error):
    logger.warning("Elasticsearch unavailable, answering from the database: %s", error)
    cache.set(DOWN_KEY, True, COOLDOWN)


def site_search(params, request=None):
    expansion = expand(params.q)
    client, down = _client()
    page = None
    if client is not None:
        try:
            page = es_engine.search(params, expansion, client, request)
        except Exception as error:  # noqa: BLE001 - any engine failure falls back, never a 500
            if is_outage(error):
                _mark_down(error)  # leave it alone for a while
            else:  # one request it refused: answer this one from the database, keep using it
                logger.exception("Elasticsearch refused a search; answered from the database")
            down = True
    if page is None:
        page = database.search(params, expansion, request)
        if down:
            page.notices.append(fallback_notice())
    page.notices[:0] = params.notices
    if params.q and params.page == 1 and not params.filters:
        page.best_bets = best_bets(params.q)
        query_log.add(params.q, page.total)
    return page


def best_bets(query):
    """Editors' promoted results for this query (wagtail.contrib.search_promotions)."""
    from wagtail.contrib.search_promotions.models import SearchPromotion

    promotions = SearchPromotion.objects.filter(query__query_string=query.lower().strip()).select_related(
        "page"
    )
    bets = []
    for promotion in promotions.order_by("sort_order"):
        page = promotion.page
        if page is not None and not is_searchable_page(page):
            continue  # unpublished or behind a view restriction
        bets.append(
            {
                "title": promotion.external_link_text
                or (page.title if page else promotion.external_link_url),
                "url": page.url if page else promotion.external_link_url,
                "description": promotion.description,
            }
        )
    return bets


class QueryLog:
    """Counts of searches (search_promotions' daily hits, the editors' popular queries) and of
    searches that found nothing, buffered per process and written in one transaction every
    ``LOG_BATCH`` searches or ``LOG_SECONDS``: statistics must not cost every search a write and
    a row lock. A crash loses at most one batch of counts, never anything a user submitted."""

    def __init__(self):
        self.lock = threading.Lock()
        self.hits, self.misses = Counter(), Counter()
        self.since = time.monotonic()

    def add(self, query, total):
        with self.lock:
            self.hits[query] += 1
            if total == 0:
                self.misses[query] += 1
            due = sum(self.hits.values()) >= LOG_BATCH or time.monotonic() - self.since >= LOG_SECONDS
        if due:
            self.flush()

    def reset(self):
        """Forget what is buffered (tests: each starts with its own database)."""
        with self.lock:
            self.hits, self.misses, self.since = Counter(), Counter(), time.monotonic()

    def flush(self):
        with self.lock:
            hits, misses = self.hits, self.misses
            self.hits, self.misses, self.since = Counter(), Counter(), time.monotonic()
        if hits:
            try:
                _write(hits, misses)
            except Exception:  # noqa: BLE001 - statistics; the search itself succeeded
                logger.exception("could not write search statistics")


def _write(hits, misses):
    from django.utils import timezone
    from wagtail.contrib.search_promotions.models import Query, QueryDailyHits

    today = timezone.localdate()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:  # statistics, not records: don't wait for the disk
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
        # Sorted: every process locks the rows in the same order, so two flushes never deadlock.
        for query, count in sorted(hits.items()):
            daily, _ = QueryDailyHits.objects.get_or_create(query=Query.get(query), date=today)
            QueryDailyHits.objects.filter(pk=daily.pk).update(hits=F("hits") + count)
        for query, count in sorted(misses.items()):
            if not ZeroResultQuery.objects.filter(query=query).update(count=F("count") + count):
                try:
                    with transaction.atomic():
                        ZeroResultQuery.objects.create(query=query, count=count)
                except IntegrityError:  # another process created it meanwhile
                    ZeroResultQuery.objects.filter(query=query).update(count=F("count") + count)


query_log = QueryLog()


def suggest(prefix, size=SUGGEST_SIZE):
    """Titles to offer while the user types ``prefix``."""
    from search.params import clean_text

    prefix = clean_text(prefix)[:40]
    if not prefix:
        return []
    client, _down = _client()
    if client is not None:
        try:
            return es_engine_suggest(client, prefix, size)
        except Exception as error:  # noqa: BLE001
            if is_outage(error):
                _mark_down(error)
    return database_suggest(prefix, size)


def es_engine_suggest(client, prefix, size):
    from search.indexing import alias_name

    response = client.search(
        index=alias_name(),
        suggest={
            "titles": {
                "prefix": prefix.lower(),
                "completion": {"field": "suggest", "size": size, "skip_duplicates": True},
            }
        },
        source=["title", "url", "kind"],
    )
    options = response["suggest"]["titles"][0]["options"]
    seen, out = set(), []
    for option in options:
        source = option["_source"]
        if source["url"] not in seen:
            seen.add(source["url"])
            out.append({"title": source["title"], "url": source["url"], "kind": source["kind"]})
    return out


def database_suggest(prefix, size):
    from django.db.models import Q
    from django.db.models.functions import Length

    lowered = prefix.lower()
    rows = (
        SearchEntry.objects.filter(
            Q(title__startswith=prefix) | Q(title__contains=prefix) | Q(pinyin__contains=f" {lowered}")
        )
        .annotate(title_length=Length("title"))
        .order_by("title_length", "-date")
        .values("title", "url", "kind")[:size]
    )
    return list(rows)


def run_search(q="", page=1, per_page=10, **filters):
    """``site_search`` from plain arguments (tests, benchmarks, shell): filters as lists or strings."""
    from search.params import SearchParams

    params = {"q": q, "page": str(page), "per_page": str(per_page)}
    params.update({name: value if isinstance(value, list) else [value] for name, value in filters.items()})
    return site_search(SearchParams.from_query(params))


atexit.register(query_log.flush)  # a worker that stops cleanly writes what it counted
