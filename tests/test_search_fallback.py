"""The database search fallback: jieba-segmented on the way in and out, on SQLite and PostgreSQL
(`pytest -m "anydb or postgres"` with DATABASE_URL runs this module again on PostgreSQL).

Elasticsearch is switched off here: these tests are about the answer without it."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from wagtail.models import Page
from wagtail.search.backends import get_search_backend

from cms.news.models import NewsPage
from search import queue
from search.params import MAX_QUERY_LENGTH
from search.service import run_search
from search.text import query_tokens, segment, tokens
from tests.builders import add, make_document

pytestmark = pytest.mark.anydb

PROCUREMENT = "济源市财政局关于做好2025年政府采购工作的通知"
PERFORMANCE = "济源市财政局关于印发预算绩效管理办法的通知"
PROJECTS = "济源市发展和改革委员会关于推进重大项目建设的意见"
OPENNESS = "济源市人民政府关于进一步推进政务公开工作的通知"


@pytest.fixture(autouse=True)
def _no_elasticsearch(settings):
    settings.ELASTICSEARCH_URL = ""


@pytest.fixture
def indexed(portal):
    call_command("search_index", "process", stdout=StringIO())  # what the worker does
    return portal


def titles(query, **kwargs):
    return [r["title"] for r in run_search(query, **kwargs).results]


def get(client, query_string):
    return client.get("/search/", QUERY_STRING=query_string)


# --- segmentation (no database) ------------------------------------------------------


def test_segment_splits_chinese_words_and_keeps_parts_of_long_words():
    words = tokens("济源市财政局关于做好２０２５年政府采购工作的通知")
    assert {"济源", "财政局", "政府", "采购", "政府采购", "2025", "通知"} <= set(words)
    assert segment("政府采购") == " ".join(tokens("政府采购"))


def test_domain_dictionary_is_loaded():
    assert "依申请公开" in tokens("依申请公开的办理")
    assert "营商环境" in tokens("优化营商环境")


def test_query_tokens_are_minimal_clean_words():
    assert query_tokens("政府采购") == ["政府", "采购"]  # parts suffice: finds 市政府/采购 too
    assert query_tokens("济政〔2025〕12号") == ["济政", "2025", "12", "号"]
    assert query_tokens("的 通知") == ["通知"]
    assert query_tokens("\"*()':; --") == []
    for word in query_tokens('"采购" AND NEAR(公开) \'; DROP TABLE x; -- *:'):
        assert word.isalnum(), word


# --- the backend ---------------------------------------------------------------------


def test_backend_is_the_segmented_one_for_this_database(db):
    backend = get_search_backend()
    assert backend.segment_text is True
    if connection.vendor == "postgresql":
        assert backend.config == "simple"


def test_update_index_builds_the_segmented_index(portal):
    from wagtail.search.models import IndexEntry

    IndexEntry.objects.all().delete()
    assert not list(Page.objects.live().search("采购"))
    call_command("update_index", stdout=StringIO(), stderr=StringIO())
    assert [p.title for p in Page.objects.live().search("采购")] == [PROCUREMENT]


def test_pages_are_indexed_when_published(indexed):
    folder = indexed.folders["fgw"]
    make_document(folder, "关于开展优化营商环境专项行动的通知", document_number="济发改〔2025〕30号")
    assert titles("营商环境") == []  # queued in the publishing transaction, not yet applied
    queue.process()
    assert titles("营商环境") == ["关于开展优化营商环境专项行动的通知"]


def test_procurement_query_finds_only_the_procurement_document(indexed):
    assert titles("采购") == [PROCUREMENT]
    assert titles("政府采购") == [PROCUREMENT]


def test_openness_query_finds_the_openness_document(indexed):
    found = titles("公开")
    assert OPENNESS in found
    assert PROCUREMENT not in found and PROJECTS not in found


def test_summary_and_body_text_are_searched(indexed):
    assert titles("决策 执行") == [OPENNESS]  # only in its 内容概述


def test_multi_word_queries_need_every_word(indexed):
    assert PERFORMANCE in titles("预算 绩效")
    assert titles("采购 预算") == [PROCUREMENT]  # 预算 is one of its 主题词
    assert titles("采购 绩效") == []
    assert titles("采购 重大项目") == []


def test_document_number_and_index_number_find_the_document(indexed):
    assert titles("济政〔2025〕12号")[0] == OPENNESS
    document = indexed.documents[0]
    assert titles(document.index_number)[0] == PROCUREMENT


def test_unpublished_pages_are_not_found(indexed):
    indexed.documents[0].unpublish()
    queue.process()
    assert titles("采购") == []


def test_results_carry_type_date_department_and_url(indexed):
    result = run_search("采购").results[0]
    assert result["kind"] == "document"
    assert result["kind_label"] == "政府文件"
    assert result["date"] == datetime.date(2025, 3, 5)
    assert result["department"] == "济源市财政局"
    assert result["url"] == indexed.documents[0].url
    news = run_search("推进会").results[0]
    assert news["kind_label"] == "新闻动态" and news["department"] == "济源市财政局"


# --- the page ------------------------------------------------------------------------


def test_search_page_lists_results_with_highlighting(client, indexed):
    response = client.get("/search/", {"q": "采购"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "政府<mark>采购</mark>工作" in html
    assert "找到 1 条" in html
    assert "数据库检索" in html  # the fallback notice
    assert indexed.documents[0].url in html
    assert PERFORMANCE not in html and PROJECTS not in html
    assert 'name="robots" content="noindex' in html
    html = client.get("/search/", {"q": "政府采购"}).content.decode()
    assert "<mark>政府采购</mark>" in html  # adjacent query words form one mark


def test_snippet_comes_from_the_text_around_the_match(client, indexed):
    html = client.get("/search/", {"q": "决策"}).content.decode()
    assert "全面推进<mark>决策</mark>、执行" in html


def test_highlighting_escapes_page_text(client, indexed):
    make_document(
        indexed.folders["czj"],
        "关于<script>alert(1)</script>政府采购的说明",
        summary='采购 <img src=x onerror="alert(2)"> & 说明',
    )
    queue.process()
    html = client.get("/search/", {"q": "采购"}).content.decode()
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=&quot;alert(2)&quot;&gt; &amp; 说明" in html


def test_pagination(client, indexed):
    for i in range(23):
        title = f"政府采购培训通知（第{i + 1}期）"
        add(indexed.news_index, NewsPage(title=title, date=datetime.date(2025, 6, 1)))
    queue.process()
    first = run_search("培训", page=1, per_page=10)
    assert (first.total, first.num_pages, len(first.results)) == (23, 3, 10)
    last = run_search("培训", page=3, per_page=10)
    assert len(last.results) == 3
    assert not {r["title"] for r in first.results} & {r["title"] for r in last.results}
    assert run_search("培训", page=999).page == 3  # past the end: the last page
    assert run_search("培训", page="abc").page == 1

    html = client.get("/search/", {"q": "培训", "page": "2"}).content.decode()
    assert 'rel="prev" href="?q=%E5%9F%B9%E8%AE%AD&amp;page=1"' in html
    assert 'rel="next" href="?q=%E5%9F%B9%E8%AE%AD&amp;page=3"' in html
    assert '<ol class="search-results" start="11">' in html
    assert client.get("/search/", {"q": "培训", "page": "-5"}).status_code == 200


def test_empty_query_shows_the_empty_search_page(client, indexed):
    for query_string in ("", "q=", "q=+++", "q=%09"):
        response = get(client, query_string)
        assert response.status_code == 200
        html = response.content.decode()
        assert "请输入关键词" in html and "search-result__title" not in html


def test_overlong_query_is_a_400_with_a_chinese_message(client, indexed):
    response = client.get("/search/", {"q": "采" * (MAX_QUERY_LENGTH + 1)})
    assert response.status_code == 400
    assert "搜索词过长" in response.content.decode()
    assert client.get("/search/", {"q": "采" * MAX_QUERY_LENGTH}).status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        '"',
        '""',
        '"采购',
        "*",
        "采购*",
        "(",
        ")",
        "(采购",
        "AND",
        "OR",
        "NOT",
        "NEAR",
        "NEAR(采购 公开)",
        "采购 AND 公开",
        "采购 OR",
        ":",
        "title:采购",
        "{title body}: 采购",
        "'; DROP TABLE wagtailcore_page; --",
        "采购'",
        "\\",
        "^采购",
        "-采购",
        "+",
        "%",
        "_",
        "!",
        "采购 & 公开 | !预算",
        "a:*",
        "\x00",
        "采购\x00公开",
        "<mark>",
        "🙂",
        "٣",
        "ＡＮＤ",
    ],
)
def test_query_syntax_never_breaks_the_page(client, indexed, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200


def test_syntax_around_words_still_finds_them(indexed):
    assert titles('"采购"') == [PROCUREMENT]
    assert titles("(采购)*") == [PROCUREMENT]
    assert titles("NEAR(采购 预算)") == [PROCUREMENT]
    assert titles("采购 AND 预算") == [PROCUREMENT]


@pytest.mark.parametrize(
    "query_string", ["q=%FF%FE", "q=%E9%87", "q=%C3%28%E9", "q=%E9%87%87%E8%B4%AD%FF", "q=%00", "q=%ZZ"]
)
def test_invalid_utf8_never_breaks_the_page(client, indexed, query_string):
    response = get(client, query_string)
    assert response.status_code == 200


def test_only_get_is_allowed(client, db):
    assert client.post("/search/", {"q": "采购"}).status_code == 405


def test_an_update_that_always_fails_does_not_hold_back_the_others(indexed, monkeypatch, client):
    from search import sources
    from search.models import IndexUpdate

    broken = indexed.documents[1]
    original = sources.page_fields

    def page_fields(page):
        if page.pk == broken.pk:
            raise ValueError("cannot index this page")
        return original(page)

    monkeypatch.setattr(sources, "page_fields", page_fields)
    broken.save_revision().publish()
    make_document(indexed.folders["fgw"], "关于开展秋季植树活动的通知")
    summary = queue.process()
    assert summary["failed"] == 1 and "cannot index" in summary["error"]
    assert titles("植树") == ["关于开展秋季植树活动的通知"]  # the others went through
    for _ in range(queue.MAX_ATTEMPTS):
        queue.process()
    stuck = IndexUpdate.objects.get(key=f"page:{broken.pk}", done_at__isnull=True)
    assert stuck.attempts == queue.MAX_ATTEMPTS and "cannot index" in stuck.last_error
    health = client.get("/healthz/").json()["index_queue"]
    assert health == {"pending": 0, "oldest_seconds": None, "failed": 1}


def test_deep_pages_stop_at_ten_thousand_results(indexed):
    from search.params import SearchParams

    assert SearchParams.from_query({"q": "通知", "per_page": "50", "page": "201"}).page == 200
    assert SearchParams.from_query({"q": "通知", "page": "999"}).page == 500


def test_a_synonym_of_punctuation_only_is_refused(db):
    from django.core.exceptions import ValidationError

    from search.models import Synonym

    with pytest.raises(ValidationError, match="不含文字或数字"):
        Synonym(terms="发改委 &&").full_clean()


def test_renaming_a_department_or_a_slug_reaches_the_entries(indexed):
    czj = indexed.departments["czj"]
    czj.name = "济源市财政局（国资委）"
    czj.save()
    queue.process()
    assert run_search("采购").results[0]["department"] == "济源市财政局（国资委）"
    folder = indexed.folders["czj"]
    folder.slug = "caizheng"
    folder.save_revision().publish()
    queue.process()
    assert "/caizheng/" in run_search("采购").results[0]["url"]
