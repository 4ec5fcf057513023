"""The site search on a real Elasticsearch: core-analysis mapping, Chinese words, identifiers,
pinyin, synonyms, facets, highlighting, suggestions; the index queue through an outage; the
rebuild's alias swap. Needs ELASTICSEARCH_URL (scripts/elasticsearch.sh); every test uses its own
index prefix and deletes its indices afterwards."""

import datetime
import uuid
from io import StringIO
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from elasticsearch import Elasticsearch

from cms.news.models import NewsPage
from search import queue
from search.documents import CORE_ANALYZERS, CORE_FILTERS, CORE_TOKENIZERS
from search.entries import enrich
from search.indexing import alias_name, rebuild_index
from search.models import IndexUpdate, SearchEntry, Synonym
from search.service import run_search, suggest
from tests.builders import add, make_document, make_resource

pytestmark = pytest.mark.elasticsearch

PROCUREMENT = "济源市财政局关于做好2025年政府采购工作的通知"
OPENNESS = "济源市人民政府关于进一步推进政务公开工作的通知"
PROJECTS = "济源市发展和改革委员会关于推进重大项目建设的意见"
SUBJECTS = ["农村道路养护", "校园食品安全", "防汛抗旱", "文物保护", "数据采集与购买服务", "就业创业补贴"]
DEAD_URL = "http://127.0.0.1:9"  # nothing listens on the discard port


@pytest.fixture
def es(elasticsearch_url, settings):
    prefix = f"portal-test-{uuid.uuid4().hex[:12]}"
    settings.ELASTICSEARCH_URL = elasticsearch_url
    settings.ELASTICSEARCH_INDEX_PREFIX = prefix
    client = Elasticsearch(elasticsearch_url, request_timeout=60)
    yield SimpleNamespace(client=client, prefix=prefix, alias=f"{prefix}-site", url=elasticsearch_url)
    # Wildcard deletes are refused by default (action.destructive_requires_name): delete by name.
    names = list(client.indices.get(index=f"{prefix}-*", allow_no_indices=True, ignore_unavailable=True))
    if names:
        client.indices.delete(index=",".join(names))
    client.close()


@pytest.fixture
def site(es, portal):
    """The portal with a resource catalogue and some noise, indexed through the queue."""
    czj, fgw = portal.departments["czj"], portal.departments["fgw"]
    portal.procurement_resource = make_resource(
        czj,
        "政府采购项目信息",
        "202001/000001",
        [("项目编号", "C", ""), ("预算金额", "Y", "元")],
        summary="全市政府采购项目",
    )
    portal.closed_resource = make_resource(
        fgw,
        "重点项目投资计划明细",
        "302001/000007",
        [("投资人身份证号码", "C", "敏感")],
        summary="含投资主体的保密信息",
        openness="closed",
    )
    noise = []
    for i in range(120):
        subject = SUBJECTS[i % len(SUBJECTS)]
        body = f"为做好{subject}工作，现将有关事项通知如下。" + (
            "所需经费按规定程序采购。" if i % 7 == 0 else ""
        )
        fields = {
            "kind": "document",
            "url": f"/noise/{i}/",
            "title": f"关于做好{subject}工作的通知（{i}）",
            "summary": "",
            "text": body,
            "identifiers": [f"济政〔2024〕{100 + i}号"],
            "pinyin": [],
            "department": "szfb",
            "department_name": "济源市人民政府办公室",
            "topic": "01",
            "topic_name": "综合政务",
            "date": datetime.date(2024, 1, 1) + datetime.timedelta(days=i),
            "genre": "tongzhi",
            "validity": "valid",
        }
        noise.append(SearchEntry(key=f"noise:{i}", **enrich(fields)))
    SearchEntry.objects.bulk_create(noise)
    queue.process()  # the worker: the portal's pages and resources
    rebuild_index(es.client)  # and the noise rows, which no signal knows about
    return portal


def titles(query, **filters):
    page = run_search(query, **filters)
    assert page.backend == "elasticsearch", page.notices
    return [r["title"] for r in page.results]


# --- the mapping -------------------------------------------------------------------------


def test_mapping_uses_only_core_analysis(es, db):
    rebuild_index(es.client)
    name = next(iter(es.client.indices.get_alias(name=es.alias)))
    settings = es.client.indices.get_settings(index=name)[name]["settings"]["index"]
    analysis = settings.get("analysis", {})
    for spec in analysis.get("analyzer", {}).values():
        assert spec["tokenizer"] in CORE_TOKENIZERS
        assert set(spec.get("filter", [])) <= CORE_FILTERS | set(analysis.get("filter", {}))
    for spec in analysis.get("filter", {}).values():
        assert spec["type"] in CORE_FILTERS
    mapping = es.client.indices.get_mapping(index=name)[name]["mappings"]
    assert mapping["dynamic"] == "strict"

    def analyzers(properties):
        for field in properties.values():
            yield from (field[k] for k in ("analyzer", "search_analyzer") if k in field)
            yield from analyzers(field.get("fields", {}))

    custom = set(analysis.get("analyzer", {}))
    assert set(analyzers(mapping["properties"])) <= CORE_ANALYZERS | custom


# --- ranking -------------------------------------------------------------------------------


def test_chinese_word_finds_the_procurement_items_first(site):
    found = titles("政府采购")
    assert set(found[:2]) == {PROCUREMENT, "政府采购项目信息"}
    # "采购" only in a noise body ranks below both title matches, and 采集…购买 is not a match.
    assert "关于做好数据采集与购买服务工作的通知（4）" not in found


def test_exact_identifiers_come_first_whatever_the_brackets(site):
    for query in ("济财购〔2025〕3号", "济财购[2025]3号", "济财购（2025）3号", "济财购 [2025] 3号"):
        assert titles(query)[0] == PROCUREMENT, query
    assert titles(site.documents[3].index_number)[0] == OPENNESS
    assert titles("202001/000001")[0] == "政府采购项目信息"
    assert titles("济政〔2024〕105号")[0] == "关于做好就业创业补贴工作的通知（5）"


def test_pinyin_initials_find_the_department_and_resource_names(site):
    page = run_search("czj")
    assert page.results[0]["title"] == "济源市财政局"  # the department's own page
    assert {r["department"] for r in page.results} == {"济源市财政局"}
    assert titles("zfcgxmxx")[0] == "政府采购项目信息"
    assert titles("zhengfucaigou")[0] == "政府采购项目信息"


def test_synonyms_expand_the_query(site):
    assert PROJECTS not in titles("发改委")
    Synonym.objects.create(terms="发改委 发展和改革委员会 发展改革委")
    assert PROJECTS in titles("发改委")


def test_news_recency_boost_applies_to_news_only(site):
    today = datetime.date.today()
    add(
        site.news_index, NewsPage(title="防汛物资储备检查情况通报", date=today - datetime.timedelta(days=900))
    )
    add(site.news_index, NewsPage(title="防汛物资储备检查工作部署", date=today - datetime.timedelta(days=3)))
    queue.process()
    found = titles("防汛物资储备")
    assert found.index("防汛物资储备检查工作部署") < found.index("防汛物资储备检查情况通报")


def test_highlighting_marks_whole_chinese_words(site):
    page = run_search("政府采购")
    html = {r["title"]: str(r["title_html"]) for r in page.results}
    assert "<mark>政府采购</mark>" in html[PROCUREMENT]
    assert "<mark>" in str(page.results[0]["snippet_html"]) or not page.results[0]["snippet_html"]


# --- facets and filters ------------------------------------------------------------------------


def counts(page, name):
    facet = next((f for f in page.facets if f.name == name), None)
    return {o.value: o.count for o in facet.options} if facet else {}


def test_facet_counts_ignore_their_own_filter(site):
    everything = run_search("通知")
    kinds = counts(everything, "kind")
    departments = counts(everything, "department")
    only_czj = run_search("通知", department="czj")
    assert only_czj.total == departments["czj"] < everything.total
    assert counts(only_czj, "department") == departments  # other departments stay visible
    assert sum(counts(only_czj, "kind").values()) == departments["czj"]  # other facets narrow
    assert counts(run_search("通知", kind="document"), "kind") == kinds


def test_type_facets_and_date_range(site):
    resources = run_search("项目", kind="resource")
    assert {r["kind"] for r in resources.results} == {"resource"}
    assert counts(resources, "openness")
    early = run_search("通知", **{"from": "2024-01-01", "to": "2024-01-31"})
    assert early.total == 31 and all(r["date"].month == 1 for r in early.results)


def test_sort_by_date_and_pagination(site):
    page = run_search("通知", sort="date", per_page=5)
    dates = [r["date"] for r in page.results]
    assert dates == sorted(dates, reverse=True)
    last = run_search("通知", page=999, per_page=5)
    assert last.page == last.num_pages and last.results


# --- openness -----------------------------------------------------------------------------------


def test_what_openness_hides_is_not_searchable(site):
    assert titles("重点项目投资计划明细") == ["重点项目投资计划明细"]  # the name is public
    assert titles("投资人身份证号码") == []
    assert titles("保密信息") == []


# --- bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        '"',
        "*",
        "采购*",
        "(采购",
        "title:采购",
        "采购 AND 公开",
        '{"query": 1}',
        "\\",
        "/",
        "a~2",
        "[1 TO 5]",
        "采购^100",
        "?",
        "<mark>",
        "🙂",
        "ＡＮＤ",
    ],
)
def test_query_syntax_never_reaches_elasticsearch_as_syntax(site, query, client):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    assert "elasticsearch" not in response.content.decode().lower().replace("elasticsearch 不可用", "")
    assert run_search(query).backend == "elasticsearch"  # no failure, no fallback


def test_unknown_facet_values_and_deep_pages_are_harmless(site, client):
    page = run_search("通知", kind="bogus", department="nope")
    assert page.total == 0 and page.notices
    assert client.get("/search/", {"q": "通知", "page": "100000"}).status_code == 200
    assert client.get("/api/search", {"q": "通知", "year": "abc"}).status_code == 200


# --- suggestions ---------------------------------------------------------------------------------


def test_suggestions_as_you_type(site):
    assert "政府采购项目信息" in [s["title"] for s in suggest("政府采")]
    assert "政府采购项目信息" in [s["title"] for s in suggest("采购项")]  # from a word inside
    assert "济源市财政局" in [s["title"] for s in suggest("czj")]
    assert suggest("") == []


# --- the queue and the outage --------------------------------------------------------------------


def test_publishing_queues_an_update_in_the_same_transaction(site):
    document = make_document(site.folders["fgw"], "关于开展秋季森林防火检查的通知")
    pending = IndexUpdate.objects.filter(key=f"page:{document.pk}", done_at__isnull=True)
    assert pending.exists()
    assert titles("森林防火") == []
    queue.process()
    assert titles("森林防火") == ["关于开展秋季森林防火检查的通知"]
    assert not pending.exists()


def test_unpublish_move_and_delete_reach_the_index(site):
    document = site.documents[0]
    document.unpublish()
    queue.process()
    assert PROCUREMENT not in titles("政府采购")
    document.save_revision().publish()
    document.move(site.folders["fgw"], pos="last-child")
    queue.process()
    moved = run_search("济财购〔2025〕3号").results[0]
    assert moved["url"].startswith(site.folders["fgw"].url)
    document.refresh_from_db()
    document.delete()
    site.procurement_resource.delete()
    queue.process()
    assert titles("政府采购") == []


def test_resource_edits_reach_the_index(site):
    resource = site.procurement_resource
    resource.name = "政府采购合同信息"
    resource.save()
    queue.process()
    assert titles("采购合同")[0] == "政府采购合同信息"


def test_outage_falls_back_and_the_index_converges_afterwards(site, es, settings, client):
    settings.ELASTICSEARCH_URL = DEAD_URL
    document = make_document(site.folders["czj"], "关于做好冬季供暖保障工作的通知")
    summary = queue.process()
    assert summary["failed"] and "Connection" in summary["error"]
    update = IndexUpdate.objects.get(key=f"page:{document.pk}")
    assert update.done_at is None and update.attempts == 1
    # The public still gets answers: from the database, with a notice, never a 500.
    response = client.get("/search/", {"q": "供暖"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "关于做好冬季<mark>供暖</mark>保障工作的通知" in html and "数据库检索" in html
    api = client.get("/api/search", {"q": "供暖"}).json()
    assert api["backend"] == "database" and api["notices"]
    # Elasticsearch is back: the next run (the worker's retry or the scheduler's sweep) catches up.
    settings.ELASTICSEARCH_URL = es.url
    cache.clear()  # the cool-down after the failure
    assert queue.process()["failed"] == 0
    assert titles("供暖") == ["关于做好冬季供暖保障工作的通知"]
    assert not IndexUpdate.objects.filter(done_at__isnull=True).exists()


def test_health_endpoint_reports_elasticsearch_and_the_backlog(site, settings, client):
    data = client.get("/healthz/").json()
    assert data["status"] == "ok" and data["elasticsearch"] == "ok"
    assert data["index_queue"]["pending"] == 0
    settings.ELASTICSEARCH_URL = DEAD_URL
    make_document(site.folders["czj"], "关于健康检查的通知")
    response = client.get("/healthz/")
    assert response.status_code == 200
    data = response.json()
    assert data["status"] == "degraded" and data["elasticsearch"] == "unavailable"
    assert data["index_queue"]["pending"] == 1


# --- rebuild ---------------------------------------------------------------------------------------


def test_rebuild_command_swaps_the_alias_and_searches_keep_working(site):
    before = set(es_indices())
    out = StringIO()
    call_command("search_index", "rebuild", "--chunk-size", "50", stdout=out)
    after = es_indices()
    assert after and not set(after) & before
    assert "别名" in out.getvalue() and "已写入" in out.getvalue()
    assert titles("政府采购")[0] in {PROCUREMENT, "政府采购项目信息"}


def es_indices():
    from search.es import get_client

    return list(get_client().indices.get_alias(name=alias_name()))


def test_rebuild_replays_changes_made_while_it_ran(site, es):
    from search import indexing

    original = indexing.bulk_index

    def slow_bulk(*args, **kwargs):
        count = original(*args, **kwargs)
        make_document(site.folders["czj"], "关于重建期间发布的通知")  # lands in the old index
        queue.process()
        return count

    indexing.bulk_index = slow_bulk
    try:
        rebuild_index(es.client)
    finally:
        indexing.bulk_index = original
    assert titles("重建期间") == ["关于重建期间发布的通知"]


def test_rebuild_without_url_or_server_fails_clearly(settings, db):
    settings.ELASTICSEARCH_URL = ""
    with pytest.raises(CommandError, match="ELASTICSEARCH_URL 未设置"):
        call_command("search_index", "rebuild", stdout=StringIO())
    settings.ELASTICSEARCH_URL = DEAD_URL
    with pytest.raises(CommandError, match="无法连接 Elasticsearch"):
        call_command("search_index", "rebuild", stdout=StringIO())


def test_alias_name_is_lowercase_prefix_plus_site(settings):
    settings.ELASTICSEARCH_INDEX_PREFIX = "Portal"
    assert alias_name() == "portal-site"


def test_a_lost_index_is_rebuilt_whole_by_the_worker(site, es):
    for name in es_indices():
        es.client.indices.delete(index=name)
    make_document(site.folders["czj"], "关于做好春季森林防火工作的通知")
    assert queue.process()["failed"] == 0
    es.client.indices.refresh(index=es.alias)
    assert es.client.count(index=es.alias)["count"] == SearchEntry.objects.count()
    assert PROCUREMENT in titles("政府采购")


def test_a_request_elasticsearch_refuses_does_not_switch_it_off(site, client):
    response = client.get("/search/", {"q": "通知", "per_page": "50", "page": "201"})
    assert response.status_code == 200
    assert run_search("通知").backend == "elasticsearch"
