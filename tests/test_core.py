"""Core content: StreamField blocks (template + API), multi-site, health endpoint."""

import pytest
from django.core.files.base import ContentFile
from wagtail.documents.models import Document
from wagtail.models import Site

from cms.core.blocks import CoreStoryBlock
from cms.core.models import ContentPage
from cms.home.models import HomePage
from tests.builders import add

pytestmark = pytest.mark.anydb


@pytest.fixture
def attachment(db):
    document = Document(title="济源市政府信息公开申请表")
    document.file.save("shenqingbiao.docx", ContentFile(b"PK\x03\x04 demo"), save=False)
    document.save()
    return document


def story(attachment, link_page):
    return [
        ("heading", {"text": "一、公开范围", "level": "h2"}),
        ("paragraph", f'<p>详见<a linktype="page" id="{link_page.pk}">信息公开目录</a>。</p>'),
        ("notice", {"level": "important", "title": "重要提示", "text": "<p>申请人应如实填写。</p>"}),
        (
            "table",
            {
                "caption": "受理机构",
                "table": {
                    "data": [["机构", "电话"], ["市政府办公室", "0391-6633001"]],
                    "first_row_is_table_header": True,
                },
            },
        ),
        ("attachment", {"document": attachment, "title": ""}),
    ]


def test_blocks_render_with_templates_and_expand_links(portal, attachment, client):
    page = add(portal.home, ContentPage(title="网站声明", slug="wzsm", body=story(attachment, portal.xxgk)))
    html = client.get(page.url).content.decode()
    assert "一、公开范围" in html and "<h2" in html
    assert 'href="/xxgk/"' in html, "internal links are expanded to real URLs"
    assert "重要提示" in html and "申请人应如实填写" in html
    assert "<table" in html and "<caption" in html and "0391-6633001" in html
    assert attachment.url in html and "济源市政府信息公开申请表" in html


def test_blocks_api_representation(portal, attachment):
    block = CoreStoryBlock()
    value = block.to_python(block.get_prep_value(block.normalize(story(attachment, portal.xxgk))))
    api = block.get_api_representation(value)
    by_type = {item["type"]: item["value"] for item in api}
    assert by_type["heading"] == {"text": "一、公开范围", "level": "h2", "anchor": "一公开范围"}
    assert 'href="/xxgk/"' in by_type["paragraph"]
    assert by_type["notice"]["level"] == "important"
    assert by_type["table"]["header"] == ["机构", "电话"]
    assert by_type["table"]["rows"] == [["市政府办公室", "0391-6633001"]]
    assert by_type["attachment"]["title"] == "济源市政府信息公开申请表"
    assert by_type["attachment"]["file_extension"] == "docx"


def test_department_subsite_runs_on_the_same_platform(portal, client):
    from wagtail.models import Page

    sub_home = Page.get_first_root_node().add_child(instance=HomePage(title="济源市财政局", slug="czj-site"))
    sub_home.save_revision().publish()
    Site.objects.create(hostname="czj.jiyuan.gov.cn", port=80, root_page=sub_home, site_name="济源市财政局")
    sub = client.get("/", HTTP_HOST="czj.jiyuan.gov.cn")
    main = client.get("/", HTTP_HOST="localhost")
    assert sub.status_code == main.status_code == 200
    assert sub.context["page"].pk == sub_home.pk
    assert main.context["page"].pk == portal.home.pk


def test_healthz(portal, client):
    response = client.get("/healthz/")
    assert response.status_code == 200 and response.json()["status"] == "ok"


@pytest.mark.django_db
def test_a_form_posted_without_its_csrf_token_gets_a_chinese_page_not_djangos_english_one(portal):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post("/xxgk/ysqgk/", {"description": "x"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "页面已过期，请刷新后重新提交" in page and "CSRF verification failed" not in page
