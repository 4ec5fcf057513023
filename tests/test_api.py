"""The headless API: Wagtail API v2 with the catalogue's filters, the ninja domain endpoints,
one OpenAPI document for both, the offline docs page, caching and CORS."""

import datetime
import io
import json
import re

import pytest
import wagtail_factories
from django.http import QueryDict
from django.test import override_settings
from openapi_spec_validator import validate

from cms.disclosure import catalogue
from cms.disclosure.models import DisclosureAttachment
from tests.builders import make_document, publish

pytestmark = pytest.mark.anydb
INDEX_NUMBER = re.compile(r"^\d{9}/\d{4}-\d{5}$")
CHINESE = re.compile(r"[\u4e00-\u9fff]")
DOCS = "?type=disclosure.DisclosureDocument"
ORIGIN = "https://data.jiyuan.gov.cn"


def v2_titles(client, query=""):
    response = client.get(f"/api/v2/pages/{DOCS}&fields=_,title{query}")
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["meta"]["total_count"] == len(data["items"])
    return [item["title"] for item in data["items"]]


def titles(docs):
    return [d.title for d in docs]


@pytest.fixture
def extra(portal):
    """An expired document under a sub-class of topic 03, and one under a sub-class of 01."""
    expired = make_document(
        portal.folders["czj"],
        "济源市财政局关于阶段性减免行政事业性收费的通知",
        topic_code="0301",
        written_on=datetime.date(2023, 1, 1),
        published_on=datetime.date(2023, 1, 3),
        effective_on=datetime.date(2023, 1, 3),
        expires_on=datetime.date(2023, 12, 31),
    )
    sub = make_document(
        portal.folders["szfb"],
        "济源市人民政府办公室关于政务公开平台建设的通知",
        topic_code="0103",
        published_on=datetime.date(2025, 4, 1),
    )
    return {"expired": expired, "sub": sub}


# --- Wagtail API v2 with the catalogue's filters ------------------------------------------


def test_v2_pages_filtered_by_department_year_validity_topic(portal, extra, client):
    docs = portal.documents
    assert set(v2_titles(client, "&department=czj")) == {docs[0].title, docs[1].title, extra["expired"].title}
    assert v2_titles(client, "&year=2024") == [docs[1].title]
    assert v2_titles(client, "&validity=expired") == [extra["expired"].title]
    assert extra["expired"].title not in v2_titles(client, "&validity=valid")
    # A top class includes its sub-classes; a sub-class is only itself.
    assert set(v2_titles(client, "&topic=03")) == {docs[0].title, docs[1].title, extra["expired"].title}
    assert v2_titles(client, "&topic=0301") == [extra["expired"].title]
    assert set(v2_titles(client, "&topic=01")) == {docs[3].title, extra["sub"].title}
    assert v2_titles(client, "&genre=yijian") == [docs[2].title]
    assert v2_titles(client, "&q=预算") == titles(docs[:2])
    assert v2_titles(client, "&department=czj&year=2025&validity=valid") == [docs[0].title]


def test_v2_pages_follow_the_catalogue_order_and_filters(portal, extra, client):
    """Same documents, same order as the HTML catalogue's own query for the same query string."""
    for query in ["", "department=czj", "topic=03&sort=published", "year=2025&sort=title", "validity=valid"]:
        filters = catalogue.CatalogueFilters.from_query(QueryDict(query))
        _, expected = portal.xxgk.filtered_documents(filters)
        assert v2_titles(client, f"&{query}") == titles(expected), query


def test_v2_listing_of_documents_shows_their_metadata(portal, client):
    data = client.get(f"/api/v2/pages/{DOCS}&department=fgw").json()
    [item] = data["items"]
    assert INDEX_NUMBER.match(item["index_number"])
    assert item["department"]["slug"] == "fgw"
    assert item["topic"]["code"] == "02"
    assert item["document_number"] == "济发改〔2025〕21号"
    assert item["current_validity"] == "valid"


def test_v2_wagtail_order_and_search_still_work(portal, client):
    ordered = v2_titles(client, "&department=czj&order=title")
    assert ordered == sorted(ordered)
    assert v2_titles(client, "&department=czj&search=采购") == [portal.documents[0].title]


def test_v2_detail_exposes_the_metadata(portal, client):
    doc = portal.documents[0]
    response = client.get(f"/api/v2/pages/{doc.pk}/")
    assert response.status_code == 200
    data = response.json()
    assert data["meta"]["type"] == "disclosure.DisclosureDocument"
    assert INDEX_NUMBER.match(data["index_number"]) and data["index_number"] == doc.index_number
    assert data["department"] == {"name": "济源市财政局", "slug": "czj", "org_code": "005423101"}
    assert data["topic"]["code"] == "03" and data["topic"]["top_code"] == "03"
    assert data["genre"] == "tongzhi" and data["genre_display"] == "通知"
    assert data["document_number"] == "济财购〔2025〕3号"
    assert data["written_on"] == "2025-03-01" and data["published_on"] == "2025-03-05"
    assert data["keyword_list"] == ["政府采购", "预算"]
    assert data["validity"] == data["current_validity"] == "valid"
    for field in (
        "effective_on",
        "expires_on",
        "disclosure_method",
        "summary",
        "body",
        "attachment_list",
        "relations",
    ):
        assert field in data
    assert set(data["relations"]) >= {"repeals", "amends", "repealed_by", "amended_by", "interpretations"}


def test_v2_images_and_documents_answer(portal, client):
    from cms.core.models import ContentPage
    from tests.builders import add

    image = wagtail_factories.ImageFactory(title="济源市政府大楼")
    document = wagtail_factories.DocumentFactory(title="预算公开表")
    wagtail_factories.ImageFactory(title="未使用的图片")  # not on any live page: not listed
    body = [
        ("image", {"image": image, "alt": "济源市政府办公大楼外景", "caption": ""}),
        ("attachment", {"document": document, "title": ""}),
    ]
    add(portal.home, ContentPage(title="走进济源", slug="zjjy", body=body))
    for endpoint, obj in (("images", image), ("documents", document)):
        listing = client.get(f"/api/v2/{endpoint}/")
        assert listing.status_code == 200
        assert [item["title"] for item in listing.json()["items"]] == [obj.title]
        detail = client.get(f"/api/v2/{endpoint}/{obj.pk}/")
        assert detail.status_code == 200 and detail.json()["id"] == obj.pk


@pytest.mark.parametrize(
    "query",
    [
        "department=CZJ!",
        "topic=abc",
        "genre=xx",
        "year=20x5",
        "year=1800",
        "validity=foo",
        "sort=random",
        "q=" + "很" * 101,
    ],
)
def test_bad_filter_values_are_400_with_the_catalogue_message(portal, client, query):
    try:
        catalogue.CatalogueFilters.from_query(QueryDict(query))
    except catalogue.FilterError as error:
        expected = str(error)
    for url in (f"/api/v2/pages/{DOCS}&{query}", f"/api/disclosure/documents?{query}"):
        response = client.get(url)
        assert response.status_code == 400, url
        assert response["Content-Type"].startswith("application/json")
        assert response.json() == {"message": expected}
        assert CHINESE.search(expected)


@pytest.mark.parametrize("query", ["year=%C2%B2%C2%B2%C2%B2%C2%B2", "q=a%00b", "department=czj%00"])
def test_values_that_would_crash_the_catalogue_are_400(portal, client, query):
    for url in (f"/api/v2/pages/{DOCS}&{query}", f"/api/disclosure/documents?{query}"):
        response = client.get(url)
        assert response.status_code == 400, url
        assert CHINESE.search(response.json()["message"])


@pytest.mark.parametrize(
    "query",
    [
        "offset=abc",
        "offset=-1",
        "limit=abc",
        "limit=1000",
        "fields=nope",
        "nope=1",
        "type=nope.Nope",
        "order=nope",
        "department=czj",
        "type=news.NewsPage&year=2025",
        f"{DOCS[1:]}&order=title&sort=title",
    ],
)
def test_bad_generic_parameters_are_client_errors(portal, client, query):
    response = client.get(f"/api/v2/pages/?{query}")
    assert response.status_code == 400, query
    assert response.json()["message"]


@pytest.mark.parametrize(
    "url, message",
    [
        ("/api/disclosure/documents?page=abc", "页码"),
        ("/api/disclosure/documents?page=0", "页码"),
        ("/api/disclosure/documents?page_size=101", "每页条数"),
        ("/api/disclosure/documents/abc", "编号"),
    ],
)
def test_bad_domain_parameters_are_400_in_chinese(portal, client, url, message):
    response = client.get(url)
    assert response.status_code == 400
    assert message in response.json()["message"]


# --- the domain endpoints --------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "",
        "department=czj",
        "topic=03",
        "year=2025&validity=valid",
        "genre=tongzhi&sort=title",
        "q=通知",
    ],
)
def test_domain_listing_and_facets_equal_the_html_catalogue(portal, extra, client, query):
    response = client.get(f"/api/disclosure/documents?{query}")
    assert response.status_code == 200
    data = response.json()
    # The HTML catalogue's own code path (CatalogueMixin.serve_catalogue) for the same query.
    filters = catalogue.CatalogueFilters.from_query(QueryDict(query))
    base, results = portal.xxgk.filtered_documents(filters)
    assert data["facets"] == catalogue.facet_counts(base, filters)
    assert data["total"] == results.count()
    assert [item["title"] for item in data["items"]] == titles(results)


def test_domain_facet_counts(portal, extra, client):
    facets = client.get("/api/disclosure/documents?department=czj").json()["facets"]
    by = {
        name: {o["value"]: (o["count"], o["selected"]) for o in options} for name, options in facets.items()
    }
    # A dimension's counts ignore its own filter, so every department stays visible.
    assert by["department"] == {"czj": (3, True), "fgw": (1, False), "szfb": (2, False)}
    assert by["topic"] == {"03": (3, False)}
    assert by["year"] == {2025: (1, False), 2024: (1, False), 2023: (1, False)}
    assert by["validity"] == {"valid": (2, False), "expired": (1, False)}
    assert [o["label"] for o in facets["year"]] == ["2025年", "2024年", "2023年"]


def test_domain_listing_items_and_pagination(portal, extra, client):
    data = client.get("/api/disclosure/documents?page_size=2&page=2").json()
    assert (data["total"], data["page"], data["page_size"], data["num_pages"]) == (6, 2, 2, 3)
    assert len(data["items"]) == 2
    item = client.get("/api/disclosure/documents?department=fgw").json()["items"][0]
    assert INDEX_NUMBER.match(item["index_number"])
    assert item["url"].startswith("http") and item["url"].endswith(portal.documents[2].url)
    assert item["department"]["short_name"] == "市发展改革委"
    assert item["topic"] == {
        "code": "02",
        "name": item["topic"]["name"],
        "top_code": "02",
        "top_name": item["topic"]["name"],
    }
    assert client.get("/api/disclosure/documents?page=99").status_code == 404
    expired = client.get("/api/disclosure/documents?validity=expired").json()["items"][0]
    assert (expired["validity"], expired["validity_display"]) == ("expired", "失效")


def test_domain_detail_has_body_attachments_and_relations(portal, client):
    old = portal.documents[1]
    document = wagtail_factories.DocumentFactory(title="预算绩效管理办法（全文）")
    newer = make_document(
        portal.folders["czj"],
        "济源市财政局关于印发新版预算绩效管理办法的通知",
        repeals=old,
        body=[("heading", {"text": "总则", "level": "h2"}), ("paragraph", "<p>第一条 为了规范管理。</p>")],
    )
    DisclosureAttachment.objects.create(page=newer, document=document, title="办法全文")
    publish(newer)

    data = client.get(f"/api/disclosure/documents/{newer.pk}").json()
    assert INDEX_NUMBER.match(data["index_number"])
    assert [block["type"] for block in data["body"]] == ["heading", "paragraph"]
    assert data["body"][0]["value"] == {"text": "总则", "level": "h2", "anchor": "总则"}
    assert "第一条" in data["body"][1]["value"]
    assert [a["title"] for a in data["attachments"]] == ["办法全文"]
    assert data["relations"]["repeals"]["id"] == old.pk
    assert data["disclosure_method_display"] == "主动公开"

    old_data = client.get(f"/api/disclosure/documents/{old.pk}").json()
    assert (old_data["validity"], old_data["validity_display"]) == ("repealed", "废止")
    assert [r["id"] for r in old_data["relations"]["repealed_by"]] == [newer.pk]
    response = client.get(f"/api/disclosure/documents/{portal.home.pk}")
    assert response.status_code == 404 and CHINESE.search(response.json()["message"])


def test_departments_and_topic_tree(portal, client):
    departments = client.get("/api/departments").json()
    assert [d["slug"] for d in departments] == ["czj", "fgw", "szfb"]
    assert departments[0]["catalogue_url"].endswith("/xxgk/czj/")
    assert departments[0]["org_code"] == "005423101"
    topics = client.get("/api/topics").json()
    assert topics[0]["code"] == "01" and all(len(t["code"]) == 2 for t in topics)
    finance = next(t for t in topics if t["code"] == "03")
    assert finance["children"] and all(c["code"].startswith("03") for c in finance["children"])


def test_site_search_is_the_search_pages_own(portal, client, settings):
    from django.core.management import call_command

    from search.service import run_search

    settings.ELASTICSEARCH_URL = ""
    call_command("search_index", "process", stdout=io.StringIO())
    data = client.get("/api/search?q=采购&per_page=5").json()
    assert data["total"] >= 1 and data["results"][0]["key"] == f"page:{portal.documents[0].pk}"
    expected = run_search("采购", 1, 5)
    assert [hit["key"] for hit in data["results"]] == [hit["key"] for hit in expected.results]
    assert "<mark>采购</mark>" in data["results"][0]["title_html"]
    assert data["backend"] == "database" and data["results"][0]["kind"] == "document"
    kinds = next(f for f in data["facets"] if f["name"] == "kind")
    assert {"value": "document", "label": "政府文件", "count": 1, "selected": False} in kinds["options"]
    narrowed = client.get("/api/search?q=推进&kind=news").json()
    assert narrowed["total"] and {hit["kind"] for hit in narrowed["results"]} == {"news"}
    assert client.get("/api/search?q=").json()["total"] == 0
    too_long = client.get("/api/search?q=" + "很" * 101)
    assert too_long.status_code == 400 and CHINESE.search(too_long.json()["message"])
    assert client.get("/api/search?q=采购&per_page=100").status_code == 400
    bad_date = client.get("/api/search?q=采购&from=2025-02-30")
    assert bad_date.status_code == 400 and CHINESE.search(bad_date.json()["message"])
    bogus = client.get("/api/search?q=采购&kind=bogus").json()
    assert bogus["notices"] and CHINESE.search(bogus["notices"][0])
    suggestions = client.get("/api/search/suggest?q=政府").json()
    assert {
        "title": portal.documents[3].title,
        "url": portal.documents[3].url,
        "kind": "document",
    } in suggestions


# --- the OpenAPI document and the docs page -------------------------------------------


def test_openapi_document_describes_ninja_and_v2_endpoints(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    document = json.loads(response.content)
    assert re.match(r"^3\.\d+\.\d+$", document["openapi"])
    assert document["info"]["title"] == "济源市人民政府门户 API"
    paths = document["paths"]
    for path in (
        "/api/disclosure/documents",
        "/api/disclosure/documents/{id}",
        "/api/departments",
        "/api/topics",
        "/api/search",
        "/api/v2/pages/",
        "/api/v2/pages/{id}/",
        "/api/v2/images/",
        "/api/v2/images/{id}/",
        "/api/v2/documents/",
        "/api/v2/documents/{id}/",
    ):
        assert "get" in paths[path], path
    listing_params = {p["name"] for p in paths["/api/disclosure/documents"]["get"]["parameters"]}
    assert listing_params >= {
        "department",
        "topic",
        "genre",
        "year",
        "validity",
        "q",
        "sort",
        "page",
        "page_size",
    }
    v2_params = {
        document["components"]["parameters"][p["$ref"].rsplit("/", 1)[-1]]["name"]
        for p in paths["/api/v2/pages/"]["get"]["parameters"]
    }
    assert v2_params >= {
        "type",
        "fields",
        "limit",
        "offset",
        "order",
        "search",
        "department",
        "year",
        "validity",
    }
    validate(document)


def test_openapi_schemas_describe_every_field_in_chinese(client):
    schemas = client.get("/api/openapi.json").json()["components"]["schemas"]
    ninja_schemas = {name: schema for name, schema in schemas.items() if not name.startswith("V2")}
    assert {"DocumentList", "DocumentDetail", "Facets", "Department", "TopicNode"} <= set(ninja_schemas)
    for name, schema in ninja_schemas.items():
        for field, spec in schema.get("properties", {}).items():
            assert CHINESE.search(spec.get("description", "")), f"{name}.{field}"


def test_docs_page_lists_operations_without_external_resources(client):
    response = client.get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        "/api/disclosure/documents",
        "/api/v2/pages/",
        "/api/v2/images/",
        "/api/openapi.json",
        "公开目录文件列表",
    ):
        assert text in html
    assert "cdn" not in html.lower()
    assert not re.search(r"""<script[^>]*\bsrc=["']?(https?:)?//""", html, re.I)
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html, re.I)


def test_api_index(client):
    data = client.get("/api/").json()
    assert data["openapi"] == "/api/openapi.json" and data["endpoints"]["pages"] == "/api/v2/pages/"


# --- caching and CORS ----------------------------------------------------------------


@override_settings(API_CACHE_SECONDS=123)
@pytest.mark.parametrize(
    "url", ["/api/v2/pages/", "/api/disclosure/documents", "/api/topics", "/api/openapi.json"]
)
def test_get_responses_are_cacheable_with_etag(portal, client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert set(re.split(r",\s*", response["Cache-Control"])) == {"public", "max-age=123"}
    assert "accept-encoding" in response["Vary"].lower()
    assert "cookie" not in response["Vary"].lower()
    etag = response["ETag"]
    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again["ETag"] == etag and "max-age=123" in again["Cache-Control"]


def test_responses_that_depend_on_the_visitor_are_private(portal, client):
    from wagtail.models import PageViewRestriction

    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    html = client.get("/api/v2/pages/", HTTP_ACCEPT=browser)  # no browsable API, no CSRF cookie
    assert html["Content-Type"] == "application/json" and not html.cookies
    assert "public" in html["Cache-Control"]
    # Checking a password-protected page reads the session: the answer is this visitor's.
    PageViewRestriction.objects.create(page=portal.news_index, restriction_type="password", password="x")
    response = client.get("/api/v2/pages/")
    assert response.status_code == 200
    assert "private" in response["Cache-Control"] and "public" not in response["Cache-Control"]


def test_errors_are_not_cached(portal, client):
    response = client.get("/api/disclosure/documents?year=abc")
    assert response.status_code == 400
    assert "public" not in response["Cache-Control"] and "no-store" in response["Cache-Control"]


def test_cors_allows_configured_origins_only(portal, client):
    with override_settings(CORS_ALLOWED_ORIGINS=[ORIGIN]):
        for url in ("/api/v2/pages/", "/api/disclosure/documents"):
            response = client.get(url, HTTP_ORIGIN=ORIGIN)
            assert response["Access-Control-Allow-Origin"] == ORIGIN
        preflight = client.options(
            "/api/disclosure/documents", HTTP_ORIGIN=ORIGIN, HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET"
        )
        assert preflight["Access-Control-Allow-Origin"] == ORIGIN
        assert "GET" in preflight["Access-Control-Allow-Methods"]
        other = client.get("/api/v2/pages/", HTTP_ORIGIN="https://evil.example.com")
        assert "Access-Control-Allow-Origin" not in other
    assert "Access-Control-Allow-Origin" not in client.get("/api/v2/pages/", HTTP_ORIGIN=ORIGIN)


def test_language_chosen_by_cookie_is_not_publicly_cached(portal, client):
    client.cookies["django_language"] = "en"
    response = client.get("/api/disclosure/documents", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    assert "private" in response["Cache-Control"] and "public" not in response["Cache-Control"]
    assert "Accept-Language" in response["Vary"]


def test_documents_endpoint_lists_only_files_used_by_live_pages(portal, client):
    from django.core.files.base import ContentFile
    from wagtail.documents.models import Document

    from cms.disclosure.models import DisclosureAttachment, DisclosureDocument

    def upload(title):
        document = Document(title=title)
        document.file.save(f"{title}.docx", ContentFile(b"PK\x03\x04"), save=False)
        document.save()
        return document

    published, draft_only = upload("已发布附件"), upload("草稿附件")
    doc = portal.documents[0]
    DisclosureAttachment.objects.create(page=doc, document=published, title="已发布附件")
    doc.save_revision().publish()
    draft = DisclosureDocument(title="待审核的文件", topic=doc.topic, written_on=doc.written_on, live=False)
    portal.folders["czj"].add_child(instance=draft)
    DisclosureAttachment.objects.create(page=draft, document=draft_only, title="草稿附件")
    draft.save_revision()  # awaiting review: not live
    titles = {d["title"] for d in client.get("/api/v2/documents/").json()["items"]}
    assert "已发布附件" in titles and "草稿附件" not in titles
    assert client.get(f"/api/v2/documents/{draft_only.pk}/").status_code == 404
