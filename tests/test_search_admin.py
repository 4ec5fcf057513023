"""Editors' side of the search: synonyms and the list of queries that found nothing (admin), the
statistics behind it, and who may see them."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from cms.editors.groups import SITE_ADMIN_GROUP, ensure_site_admin_group
from search import queue
from search.models import Synonym, ZeroResultQuery
from search.service import query_log, run_search
from tests.test_editors import is_denied, login, make_user


@pytest.fixture
def indexed(portal, settings):
    settings.ELASTICSEARCH_URL = ""
    call_command("search_index", "process", verbosity=0)
    return portal


@pytest.fixture
def site_admin(indexed):
    ensure_site_admin_group()
    return make_user("site_admin", SITE_ADMIN_GROUP)


def test_queries_that_found_nothing_are_counted_for_editors(indexed, client, site_admin):
    for query in ("火星移民政策", "火星移民政策", "采购", "量子纠缠补贴"):
        client.get("/search/", {"q": query})
    query_log.flush()  # the counts are batched per process; flushing is what a full batch does
    assert dict(ZeroResultQuery.objects.values_list("query", "count")) == {
        "火星移民政策": 2,
        "量子纠缠补贴": 1,
    }
    from wagtail.contrib.search_promotions.models import Query

    assert Query.get("采购").hits == 1

    login(client, site_admin)
    html = client.get(reverse("zero_results:index")).content.decode()
    assert html.index("火星移民政策") < html.index("量子纠缠补贴")  # most frequent first
    assert client.get(reverse("zero_results:add")).status_code in (302, 403, 404)  # nothing to add by hand


def test_a_synonym_added_in_the_admin_works_at_once(indexed, client, site_admin):
    assert run_search("财务局").total == 0
    login(client, site_admin)
    response = client.post(reverse("synonyms:add"), {"terms": "财务局 财政局", "note": "常见误称"})
    assert response.status_code == 302, response.content.decode()[:500]
    assert Synonym.objects.get().term_list == ["财务局", "财政局"]
    queue.process()
    assert run_search("财务局").total >= 1  # no reindex: expanded at query time


def test_a_synonym_needs_two_words(indexed, client, site_admin):
    login(client, site_admin)
    response = client.post(reverse("synonyms:add"), {"terms": "财政局"})
    assert response.status_code == 200 and "至少要有两个词" in response.content.decode()


def test_department_editors_cannot_manage_search(indexed, client):
    editor = make_user("czj_editor", "市财政局编辑")
    login(client, editor)
    assert is_denied(client.get(reverse("synonyms:index")))
    assert is_denied(client.get(reverse("zero_results:index")))


def test_site_administrators_manage_best_bets(indexed, client, site_admin):
    login(client, site_admin)
    assert client.get(reverse("wagtailsearchpromotions:index")).status_code == 200
    assert client.get(reverse("synonyms:index")).status_code == 200
    assert client.get(reverse("zero_results:index")).status_code == 200
