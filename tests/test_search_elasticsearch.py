"""Elasticsearch: the disclosure index (core analysis only), Chinese and exact-number search, and
the es_index command's alias swap. Needs ELASTICSEARCH_URL (scripts/elasticsearch.sh); every
test uses its own index prefix and deletes its indices afterwards."""

import datetime
import uuid
from io import StringIO
from types import SimpleNamespace

import pytest
from django.core.management import CommandError, call_command
from elasticsearch import Elasticsearch

from cms.disclosure.models import DisclosureDocument
from search.documents import CORE_ANALYZERS, CORE_FILTERS, CORE_TOKENIZERS
from search.indexing import alias_name, bulk_index, create_index, document_to_es, search_documents

requires_es = pytest.mark.elasticsearch

PROCUREMENT = "济源市财政局关于做好2025年政府采购工作的通知"
OPENNESS = "济源市人民政府关于进一步推进政务公开工作的通知"

SUBJECTS = [
    "农村道路养护",
    "校园食品安全",
    "防汛抗旱",
    "文物保护",
    "数据采集与购买服务",
    "就业创业补贴",
    "秸秆综合利用",
    "城市供水保障",
    "森林防火",
    "老旧小区改造",
]


@pytest.fixture
def es(elasticsearch_url, settings):
    prefix = f"portal-test-{uuid.uuid4().hex[:12]}"
    settings.ELASTICSEARCH_URL = elasticsearch_url
    settings.ELASTICSEARCH_INDEX_PREFIX = prefix
    client = Elasticsearch(elasticsearch_url, request_timeout=60)
    yield SimpleNamespace(client=client, prefix=prefix, alias=f"{prefix}-disclosure")
    # Wildcard deletes are refused by default (action.destructive_requires_name): delete by name.
    names = list(client.indices.get(index=f"{prefix}-*", allow_no_indices=True, ignore_unavailable=True))
    if names:
        client.indices.delete(index=",".join(names))
    client.close()


def generated_documents(portal, count):
    """Unsaved documents (no database rows) that look like real ones, for volume and noise."""
    folder = portal.folders["szfb"]
    base = portal.documents[-1]
    for i in range(count):
        subject = SUBJECTS[i % len(SUBJECTS)]
        body = f"为做好{subject}工作，现将有关事项通知如下。各单位要加强组织领导，落实工作责任。"
        if i % 7 == 0:
            body += "所需经费按规定程序采购，纳入年度预算。"  # 采购 in the body only
        yield DisclosureDocument(
            pk=1_000_000 + i,
            title=f"关于做好{subject}工作的通知（{i}）",
            summary=body,
            department=base.department,
            topic=base.topic,
            genre="tongzhi",
            document_number=f"济政〔2025〕{13 + i}号",
            index_number=f"005423100/2025-{10000 + i:05d}",
            written_on=datetime.date(2025, 1, 1),
            published_on=datetime.date(2025, 1, 2),
            url_path=f"{folder.url_path}gen-{i}/",
        )


def fill(es, portal, generated=300):
    name = create_index(es.client, f"{es.alias}-test")
    count = bulk_index(
        (*portal.documents, *generated_documents(portal, generated)), es.client, index=name, chunk_size=100
    )
    es.client.indices.refresh(index=name)
    return name, count


def analyzers_in(properties):
    for field in properties.values():
        for key in ("analyzer", "search_analyzer", "search_quote_analyzer"):
            if key in field:
                yield field[key]
        yield from analyzers_in(field.get("fields", {}))
        yield from analyzers_in(field.get("properties", {}))


@requires_es
def test_mapping_uses_only_core_analysis(es, db):
    name = create_index(es.client, f"{es.alias}-mapping")
    analysis = es.client.indices.get_settings(index=name)[name]["settings"]["index"].get("analysis", {})
    custom = analysis.get("analyzer", {})
    for definition in custom.values():
        assert definition["tokenizer"] in CORE_TOKENIZERS
        for token_filter in definition.get("filter", []):
            kind = analysis.get("filter", {}).get(token_filter, {}).get("type", token_filter)
            assert kind in CORE_FILTERS, token_filter
    assert set(analysis.get("tokenizer", {})) == set()
    mapping = es.client.indices.get_mapping(index=name)[name]["mappings"]
    assert mapping["dynamic"] == "strict"
    used = set(analyzers_in(mapping["properties"]))
    assert used <= CORE_ANALYZERS | set(custom), used
    assert {"whitespace", "standard", "portal_shingle"} <= used
    props = mapping["properties"]
    for keyword in ("index_number", "document_number", "department", "topic", "genre", "validity"):
        assert props[keyword]["type"] == "keyword"
    assert props["published_on"]["type"] == props["written_on"]["type"] == "date"


def test_document_source_has_segmented_words(portal):
    source = document_to_es(portal.documents[0])
    assert "政府 采购" in source["title_words"]
    assert source["department"] == "czj" and source["topic"] == "03"
    assert source["document_number"] == "济财购〔2025〕3号" and source["index_number"]
    assert source["keywords"] == ["政府采购", "预算"]
    assert source["url"] == portal.documents[0].url


@requires_es
def test_chinese_word_finds_the_procurement_document_first(es, portal):
    name, count = fill(es, portal)
    assert count == len(portal.documents) + 300
    hits = search_documents(es.client, "采购", index=name, size=100)
    assert hits[0]["title"] == PROCUREMENT
    # Documents with the word 采购 in their body come next; 采集…购买 (the characters, not the
    # word) is only recall, ranked below every real match.
    real = [i for i, h in enumerate(hits) if "采购" in h["title"] + h["summary"]]
    noise = [i for i, h in enumerate(hits) if i not in real]
    assert len(real) == 1 + len(range(0, 300, 7))
    assert noise and max(real) < min(noise)
    assert all("采" in hits[i]["title"] and "购" in hits[i]["title"] for i in noise)
    assert search_documents(es.client, "政务公开", index=name)[0]["title"] == OPENNESS


@requires_es
def test_exact_document_and_index_numbers_come_first(es, portal):
    name, _ = fill(es, portal)
    hits = search_documents(es.client, "济政〔2025〕12号", index=name)
    assert hits[0]["title"] == OPENNESS and hits[0]["document_number"] == "济政〔2025〕12号"
    assert all(hit["score"] * 2 < hits[0]["score"] for hit in hits[1:])
    generated = search_documents(es.client, "济政〔2025〕13号", index=name)[0]
    assert generated["document_number"] == "济政〔2025〕13号"
    # Part of a number finds every document with it, through the words.
    hits = search_documents(es.client, "济政〔2025〕", index=name, size=500)
    assert sum(h["document_number"].startswith("济政〔2025〕") for h in hits) == 301
    target = portal.documents[1]
    assert search_documents(es.client, target.index_number, index=name)[0]["id"] == target.pk


@requires_es
def test_queries_with_syntax_characters_do_not_fail(es, portal):
    name, _ = fill(es, portal, generated=0)
    queries = ['"', "*", "(采购", "采购 AND 公开", "title:采购", "'; DROP TABLE x; --", "\\", "~1", "\x00"]
    for query in queries:
        search_documents(es.client, query, index=name)
    assert search_documents(es.client, "  ", index=name) == []
    assert search_documents(es.client, '"采购"', index=name)[0]["title"] == PROCUREMENT


@requires_es
def test_es_index_command_builds_and_swaps_the_alias(es, portal):
    out = StringIO()
    call_command("es_index", "--chunk-size", "2", stdout=out)
    assert "已写入 2 个文件" in out.getvalue() and "完成：4 个公开文件" in out.getvalue()
    first = list(es.client.indices.get_alias(name=es.alias))
    assert len(first) == 1 and first[0].startswith(f"{es.alias}-")
    assert search_documents(es.client, "采购")[0]["title"] == PROCUREMENT  # through the alias

    portal.documents[0].unpublish()
    out = StringIO()
    call_command("es_index", stdout=out)
    second = list(es.client.indices.get_alias(name=es.alias))
    assert len(second) == 1 and second != first
    assert not es.client.indices.exists(index=first[0])  # the old index is gone
    assert f"已删除旧索引 {first[0]}" in out.getvalue()
    assert es.client.count(index=es.alias)["count"] == 3
    assert search_documents(es.client, "采购") == []


@requires_es
def test_es_index_replaces_a_concrete_index_squatting_the_alias(es, portal):
    create_index(es.client, es.alias)
    call_command("es_index", stdout=StringIO())
    assert list(es.client.indices.get_alias(name=es.alias)) != [es.alias]
    assert es.client.count(index=es.alias)["count"] == 4


def test_es_index_without_url_fails_clearly(settings, db):
    settings.ELASTICSEARCH_URL = ""
    with pytest.raises(CommandError, match="ELASTICSEARCH_URL 未设置"):
        call_command("es_index", stdout=StringIO())


def test_es_index_with_unreachable_server_fails_clearly(settings, db):
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"  # discard port: nothing listens
    with pytest.raises(CommandError, match="无法连接 Elasticsearch"):
        call_command("es_index", stdout=StringIO())


def test_alias_name_is_lowercase_prefix_plus_disclosure(settings):
    settings.ELASTICSEARCH_INDEX_PREFIX = "Portal-Test"
    assert alias_name() == "portal-test-disclosure"
