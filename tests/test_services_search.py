"""Service guides in the site search: their own type (办事指南), the item code (事项编码) as an
identifier, and their own facets (服务对象, 网上办理, 事项类型) next to the department, on the database
fallback (SQLite and PostgreSQL) and on Elasticsearch."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings

from cms.services.models import ServiceGuidePage
from search.models import SearchEntry
from search.service import run_search
from tests.test_services import FOOD, FOOD_CODE, ID_CARD, PERMIT, SHOP, services_for_module


def facet_counts(page, name):
    facet = next((f for f in page.facets if f.name == name), None)
    return {o.value: o.count for o in facet.options} if facet else {}


def check_service_search(backend):
    """What a user sees searching guides, whichever engine answers."""
    found = run_search(FOOD)
    assert found.backend == backend, found.notices
    top = found.results[0]
    assert (top["title"], top["kind"], top["kind_label"]) == (FOOD, "service", "办事指南")
    assert FOOD_CODE in top["identifiers"]
    assert top["online_level"] == "online"

    # The item code finds its guide first, however it is typed.
    for query in (FOOD_CODE, FOOD_CODE.lower(), f"{FOOD_CODE[:18]} {FOOD_CODE[18:]}"):
        assert run_search(query).results[0]["title"] == FOOD, query

    # Every test guide has a 受理 step: the kind's own facets, with counts.
    page = run_search("受理", kind="service")
    assert sorted(r["title"] for r in page.results) == sorted([SHOP, FOOD, PERMIT, ID_CARD])
    assert facet_counts(page, "kind") == {"service": 4}
    assert facet_counts(page, "audience") == {"person": 3, "organisation": 2}
    assert facet_counts(page, "online_level") == {"full": 2, "online": 1, "booking": 1}
    assert facet_counts(page, "item_type") == {"licensing": 2, "other_power": 1, "confirmation": 1}
    assert facet_counts(page, "department") == {"czj": 2, "fgw": 1, "szfb": 1}
    labels = {f.name: f.label for f in page.facets}
    assert (labels["audience"], labels["online_level"], labels["item_type"]) == (
        "服务对象",
        "网上办理",
        "事项类型",
    )
    options = {o.value: o.label for f in page.facets for o in f.options}
    assert (options["person"], options["organisation"], options["full"]) == ("个人", "法人", "全程网办")

    # A facet's counts ignore its own filter; a guide for both audiences is found under each.
    orgs = run_search("受理", kind="service", audience="organisation")
    assert sorted(r["title"] for r in orgs.results) == sorted([PERMIT, FOOD])
    assert facet_counts(orgs, "audience") == {"person": 3, "organisation": 2}
    assert facet_counts(orgs, "online_level") == {"full": 1, "online": 1}
    both = run_search("受理", kind="service", audience=["person", "organisation"])
    assert both.total == 4
    assert [r["title"] for r in run_search("受理", online_level="booking").results] == [ID_CARD]
    assert [r["title"] for r in run_search("受理", item_type="other_power").results] == [PERMIT]


# --- database fallback ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def indexed_module(django_db_setup, django_db_blocker):
    with override_settings(ELASTICSEARCH_URL=""), services_for_module(django_db_blocker) as services:
        call_command("search_index", "process", stdout=StringIO())  # what the worker does
        yield services


@pytest.fixture
def indexed(indexed_module, db, settings):
    settings.ELASTICSEARCH_URL = ""
    return indexed_module


@pytest.mark.anydb
def test_guides_are_found_with_their_type_code_and_facets(indexed):
    check_service_search("database")


@pytest.mark.anydb
def test_a_guides_entry_holds_its_public_elements_only(indexed):
    entry = SearchEntry.objects.get(key=f"page:{indexed.food.pk}")
    assert (entry.kind, entry.url, entry.department) == ("service", indexed.food.url, "czj")
    assert (entry.audience, entry.online_level, entry.item_type) == (
        " person organisation ",
        "online",
        "licensing",
    )
    assert entry.identifiers.split() == [FOOD_CODE]
    for element in (
        "《中华人民共和国食品安全法》第三十五条",
        "营业执照",
        "只卖预包装食品需要许可证吗",
        "企业开办",
    ):
        assert element in entry.text, element
    assert "0391-6612315" not in entry.text  # contact details are on the page, not search material
    assert not SearchEntry.objects.filter(title="尚未发布的事项").exists()


@pytest.mark.anydb
def test_search_page_shows_the_guide_facets_and_item_code(indexed, client):
    html = client.get("/search/", {"q": "受理", "kind": "service"}).content.decode()
    for name, heading in (("audience", "服务对象"), ("online_level", "网上办理"), ("item_type", "事项类型")):
        assert f'<h2 class="facet__title" id="facet-{name}">{heading}</h2>' in html, heading
    assert f"事项编码：</span>{FOOD_CODE}" in html
    assert '<span class="visually-hidden">网上办理：</span>全程网办' in html
    assert "办事指南" in html
    # The facet links keep the query and toggle the option.
    assert 'href="?q=%E5%8F%97%E7%90%86&amp;kind=service&amp;audience=person"' in html


@pytest.mark.anydb
def test_unknown_service_facet_values_are_dropped_with_a_notice(indexed, client):
    response = client.get("/search/", {"q": "受理", "online_level": "teleport"})
    assert response.status_code == 200
    assert "筛选条件“网上办理”没有“teleport”这一项，已忽略。" in response.content.decode()


@pytest.mark.anydb
def test_the_api_search_takes_the_guide_facets(indexed, client):
    data = client.get("/api/search", {"q": "受理", "kind": "service", "audience": "organisation"}).json()
    assert sorted(r["title"] for r in data["results"]) == sorted([PERMIT, FOOD])
    facets = {f["name"]: {o["value"]: o["count"] for o in f["options"]} for f in data["facets"]}
    assert facets["online_level"] == {"full": 1, "online": 1}


@pytest.mark.anydb
def test_unpublishing_a_guide_removes_it_from_the_search(indexed):
    ServiceGuidePage.objects.get(pk=indexed.permit.pk).unpublish()
    call_command("search_index", "process", stdout=StringIO())
    assert PERMIT not in [r["title"] for r in run_search("受理", kind="service").results]


# --- Elasticsearch -------------------------------------------------------------------------------


@pytest.mark.anydb
def test_renaming_a_topic_reindexes_its_guides(indexed):
    from cms.services.models import ServiceTopic

    topic = ServiceTopic.objects.get(slug="qykb")
    topic.name = "开办企业一件事"
    topic.save()
    call_command("search_index", "process", stdout=StringIO())
    assert "开办企业一件事" in SearchEntry.objects.get(key=f"page:{indexed.food.pk}").text
    topic.delete()
    call_command("search_index", "process", stdout=StringIO())
    assert "开办企业一件事" not in SearchEntry.objects.get(key=f"page:{indexed.food.pk}").text
