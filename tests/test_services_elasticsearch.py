"""Service guides on a real Elasticsearch: type, item code and facets as on the database fallback.

In a module of its own: ``tests.test_services_search`` keeps a portal for the whole module (a module-scoped
fixture), which must be gone before this test builds its own."""

import uuid
from io import StringIO
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from elasticsearch import Elasticsearch

from search.indexing import rebuild_index
from tests.builders import build_portal
from tests.test_services import build_services
from tests.test_services_search import check_service_search


@pytest.fixture
def es(elasticsearch_url, settings):
    prefix = f"portal-test-{uuid.uuid4().hex[:12]}"
    settings.ELASTICSEARCH_URL = elasticsearch_url
    settings.ELASTICSEARCH_INDEX_PREFIX = prefix
    client = Elasticsearch(elasticsearch_url, request_timeout=60)
    yield SimpleNamespace(client=client, prefix=prefix)
    names = list(client.indices.get(index=f"{prefix}-*", allow_no_indices=True, ignore_unavailable=True))
    if names:
        client.indices.delete(index=",".join(names))
    client.close()


@pytest.mark.elasticsearch
def test_guides_on_elasticsearch(es, db):
    build_services(build_portal())
    call_command("search_index", "process", stdout=StringIO())
    rebuild_index(es.client)
    check_service_search("elasticsearch")
