"""Search quality over the demo content: the judgement set (tests/search_judgements.py) must keep
its nDCG@10 and top-3 recall, on the database fallback (SQLite and PostgreSQL) and on
Elasticsearch. The floors sit a little under what was measured when they were set (README);
raise them when ranking improves, never lower them to make a change pass."""

import uuid
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from search import entries
from search.quality import evaluate
from search.service import run_search
from tests.search_judgements import JUDGEMENTS

FLOORS = {
    # engine: (mean nDCG@10, mean top-3 recall)
    "sqlite": (0.93, 0.92),  # measured 0.952, 0.946
    "postgresql": (0.91, 0.90),  # measured 0.931, 0.924 (full-text index: no substring recall)
    "elasticsearch": (0.89, 0.87),  # measured 0.913, 0.891
}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The whole demo site, loaded once for the module inside a transaction rolled back at the end."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("load_demo", stdout=StringIO())
            entries.rebuild(processes=1)
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def titles(query):
    return [r["title"] for r in run_search(query, per_page=10).results]


def check(engine, backend):
    mean_ndcg, recall3, scores = evaluate(JUDGEMENTS, titles)
    floor_ndcg, floor_recall = FLOORS[engine]
    report = "\n".join(f"  {s.ndcg:.2f} {s.query} → {' | '.join(s.top)}" for s in scores if s.ndcg < 0.8)
    print(f"\n{engine}: nDCG@10 {mean_ndcg:.3f}, top-3 recall {recall3:.3f}")  # shown with -s
    assert run_search("政府采购").backend == backend
    assert mean_ndcg >= floor_ndcg, f"{engine} nDCG@10 {mean_ndcg:.3f} < {floor_ndcg}\n{report}"
    assert recall3 >= floor_recall, f"{engine} top-3 recall {recall3:.3f} < {floor_recall}\n{report}"


def test_judgement_set_is_big_enough_and_names_real_items():
    assert len(JUDGEMENTS) >= 40
    assert all(query and expected for query, expected in JUDGEMENTS)


@pytest.mark.anydb
def test_fallback_quality(demo, db, settings):
    settings.ELASTICSEARCH_URL = ""
    check(connection.vendor, "database")


@pytest.mark.elasticsearch
def test_elasticsearch_quality(demo, db, settings, elasticsearch_url):
    from elasticsearch import Elasticsearch

    from search.indexing import rebuild_index

    prefix = f"portal-test-{uuid.uuid4().hex[:12]}"
    settings.ELASTICSEARCH_URL = elasticsearch_url
    settings.ELASTICSEARCH_INDEX_PREFIX = prefix
    client = Elasticsearch(elasticsearch_url, request_timeout=60)
    try:
        rebuild_index(client)
        check("elasticsearch", "elasticsearch")
    finally:
        names = list(client.indices.get(index=f"{prefix}-*", allow_no_indices=True, ignore_unavailable=True))
        if names:
            client.indices.delete(index=",".join(names))
        client.close()
