"""Procurement in the site search on a real Elasticsearch: the same checks as on the database fallback, the
clock's status changes reaching the index, and an index built before procurement existed taking its fields.

In a module of its own: ``tests.test_procurement_search`` keeps a portal for the whole module (a module-scoped
fixture), which must be gone before these tests build their own."""

import uuid
from types import SimpleNamespace

import pytest
from elasticsearch import Elasticsearch
from elasticsearch_dsl import Index

from search.documents import SiteEntryIndex
from search.indexing import alias_name
from search.models import IndexUpdate
from search.service import run_search
from tests.builders import build_portal
from tests.procurement_builders import make_procurement_tree, make_project, make_tender
from tests.test_procurement_search import (
    OFFICE,
    build_procurement,
    check_procurement_search,
    facet_counts,
    move_clock,
    process,
    refresh_status,
    titles,
)

pytestmark = pytest.mark.elasticsearch
PROCUREMENT_FIELDS = ("notice_type", "status", "method", "budget_band")


@pytest.fixture
def es(elasticsearch_url, settings):
    prefix = f"{settings.ELASTICSEARCH_INDEX_PREFIX}-{uuid.uuid4().hex[:12]}"
    settings.ELASTICSEARCH_URL = elasticsearch_url
    settings.ELASTICSEARCH_INDEX_PREFIX = prefix
    client = Elasticsearch(elasticsearch_url, request_timeout=60)
    yield SimpleNamespace(client=client, prefix=prefix)
    names = list(client.indices.get(index=f"{prefix}-*", allow_no_indices=True, ignore_unavailable=True))
    if names:
        client.indices.delete(index=",".join(names))
    client.close()


def test_procurement_on_elasticsearch(es, db):
    data = build_procurement(build_portal())
    process()  # no index yet: the worker builds the whole of it
    check_procurement_search(data, "elasticsearch")

    # The clock moves the office furniture tender to 即将截止; the scheduler's run re-indexes it.
    move_clock(data.office, hours=27 * 24 + 1)
    assert run_search("JYCG-2026-0001", status="closing").total == 0
    refresh_status()
    process()
    closing = run_search("JYCG-2026-0001", status="closing")
    assert closing.backend == "elasticsearch"
    assert titles(closing)[0] == OFFICE
    assert {r["status"] for r in closing.results} == {"closing"}
    assert facet_counts(run_search("采购", kind="procurement"), "status")["closing"] == 2 + 3


def test_an_index_built_before_procurement_takes_its_fields(es, db):
    """An index from before this release has no procurement fields, and its mapping is strict: the
    worker adds them instead of failing every procurement update until someone rebuilds."""
    old = f"{alias_name()}-old"
    index = Index(old)
    index.settings(**SiteEntryIndex._index._settings)
    index.document(SiteEntryIndex)
    body = index.to_dict()
    for name in PROCUREMENT_FIELDS:
        del body["mappings"]["properties"][name]
    es.client.indices.create(index=old, settings=body["settings"], mappings=body["mappings"])
    es.client.indices.put_alias(index=old, name=alias_name())
    portal = build_portal()
    _, folders = make_procurement_tree(portal)
    project = make_project(folders["fgw"], "JYCG-2026-0201", "济源市发展和改革委员会课题研究服务采购项目")
    make_tender(project, days=25)
    process()
    assert not IndexUpdate.objects.filter(done_at__isnull=True).exists()
    live = es.client.indices.get_mapping(index=old)[old]["mappings"]["properties"]
    assert {name: live[name]["type"] for name in PROCUREMENT_FIELDS} == dict.fromkeys(
        PROCUREMENT_FIELDS, "keyword"
    )
    found = run_search("JYCG-2026-0201", status="open")
    assert found.backend == "elasticsearch"
    assert titles(found)[0] == project.title
    assert facet_counts(found, "method") == {"open": 2}
