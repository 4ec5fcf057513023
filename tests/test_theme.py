"""The default theme through Django's test client: structure, elder mode, error pages, template tags."""

import re

import pytest
from django.template import Context, Template, loader
from django.utils import translation

from cms.core.middleware import ELDER_COOKIE
from cms.core.models import SiteSettings
from cms.core.templatetags.portal_tags import bcp47, html_lang
from cms.core.views import server_error
from cms.disclosure.catalogue import CatalogueFilters
from cms.disclosure.models import AnnualReportPage, DisclosureIndexPage, Interpretation
from tests.builders import add

ICP = "豫ICP备05012345号"
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)


@pytest.fixture
def site(portal):
    settings = SiteSettings.for_site(portal.site)
    settings.icp_number = ICP
    settings.police_record = "豫公网安备 41900102000123号"
    settings.site_code = "4190000001"
    settings.footer_text = "网站由济源市人民政府办公室承办"
    settings.save()
    return portal


def html_of(response):
    return response.content.decode()


# --- every page: language, skip link, landmarks, footer, no inline script ----------------------------


@pytest.mark.parametrize("key", ["home", "catalogue", "department", "document", "news_index", "article"])
def test_pages_share_the_accessible_frame(site, client, key):
    urls = {
        "home": "/",
        "catalogue": "/xxgk/",
        "department": "/xxgk/czj/",
        "document": site.documents[0].url,
        "news_index": site.news_index.url,
        "article": site.news_index.get_children().first().url,
    }
    response = client.get(urls[key])
    assert response.status_code == 200
    html = html_of(response)
    assert re.search(r'<html lang="zh-Hans"', html)
    assert '<a class="skip-link" href="#main">' in html
    assert '<main id="main"' in html
    assert html.count("<h1") == 1
    assert 'role="search"' in html and 'action="/search/"' in html and 'name="q"' in html
    assert ICP in html and "4190000001" in html and "41900102000123" in html
    assert "济源市人民政府办公室" in html and "网站由济源市人民政府办公室承办" in html
    assert not INLINE_SCRIPT.search(html), "CSP script-src 'self': no inline scripts"
    assert not INLINE_HANDLER.search(html), "CSP script-src 'self': no inline event handlers"
    without_beian_link = re.sub(r'href="https://beian\.miit\.gov\.cn/"', "", html)
    assert "https://" not in without_beian_link, "no external resources"


def test_breadcrumbs_mark_the_current_page(site, client):
    doc = site.documents[0]
    html = html_of(client.get(doc.url))
    nav = re.search(r'<nav class="breadcrumbs" aria-label="面包屑">(.*?)</nav>', html, re.S).group(1)
    assert nav.index("首页") < nav.index("政府信息公开") < nav.index("济源市财政局") < nav.index(doc.title)
    assert re.search(rf'aria-current="page">{re.escape(doc.title)}</a>', nav)
    assert "面包屑" not in html_of(client.get("/")), "no breadcrumbs on the home page"


def test_navigation_marks_the_current_section(site, client):
    from cms.core.models import NavigationItem, NavigationSettings

    nav = NavigationSettings.for_site(site.site)
    NavigationItem.objects.create(setting=nav, title="信息公开", page=site.xxgk, sort_order=0)
    html = html_of(client.get("/xxgk/"))
    assert '<a href="/xxgk/" aria-current="page">信息公开</a>' in html
    html = html_of(client.get(site.documents[0].url))
    assert '<a href="/xxgk/" class="is-active">信息公开</a>' in html


def test_language_switcher_is_a_post_form(site, client):
    html = html_of(client.get("/"))
    form = re.search(
        r'<form class="inline-form" action="/i18n/setlang/" method="post">(.*?)</form>', html, re.S
    )
    assert form and "csrfmiddlewaretoken" in form.group(1)
    assert 'name="language" value="en" lang="en"' in form.group(1)
    assert 'name="next" value="/"' in form.group(1)


def test_html_lang_follows_the_interface_language():
    assert bcp47("zh-hans") == "zh-Hans" and bcp47("en-us") == "en-US" and bcp47("") == "zh-Hans"
    with translation.override("zh-hans"):
        assert html_lang() == "zh-Hans"
    with translation.override("en"):
        # Until an English catalogue translates the interface, it is still Chinese and declared so.
        translated = translation.gettext("跳到主要内容") != "跳到主要内容"
        assert html_lang() == ("en" if translated else "zh-Hans")


# --- elder mode ------------------------------------------------------------------------------------


def test_elder_cookie_renders_elder_mode(site, client):
    html = html_of(client.get("/"))
    assert not re.search(r'<html[^>]*class="[^"]*\belder\b', html)
    assert "css/elder.css" not in html
    assert "适老化模式" in html and 'name="mode" value="on"' in html

    client.cookies[ELDER_COOKIE] = "1"
    html = html_of(client.get("/xxgk/"))
    assert re.search(r'<html lang="zh-Hans" class="elder"', html)
    assert "css/elder.css" in html
    assert "退出适老化" in html and 'name="mode" value="off"' in html
    assert 'name="next" value="/xxgk/"' in html


def test_elder_toggle_sets_and_clears_the_cookie(site, client):
    response = client.post("/elder-mode/", {"mode": "on", "next": "/xxgk/?department=czj"})
    assert response.status_code == 302
    assert response["Location"] == "/xxgk/?department=czj"
    cookie = response.cookies[ELDER_COOKIE]
    assert cookie.value == "1" and cookie["max-age"] >= 30 * 24 * 3600
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert "elder" in re.search(r"<html[^>]*>", html_of(client.get("/"))).group(0)

    response = client.post("/elder-mode/", {"mode": "off", "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert response.cookies[ELDER_COOKIE].value == "" and response.cookies[ELDER_COOKIE]["max-age"] == 0
    assert "elder" not in re.search(r"<html[^>]*>", html_of(client.get("/"))).group(0)


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)", ""])
def test_elder_toggle_ignores_unsafe_next(site, client, target):
    response = client.post("/elder-mode/", {"mode": "on", "next": target})
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_elder_toggle_only_accepts_post(site, client):
    assert client.get("/elder-mode/?mode=on").status_code == 405


# --- the catalogue ----------------------------------------------------------------------------------


def test_catalogue_form_works_with_plain_get(site, client):
    html = html_of(client.get("/xxgk/?department=czj"))
    form = re.search(r'<form class="filters" method="get" action="/xxgk/"(.*?)</form>', html, re.S).group(1)
    for name in ("q", "department", "topic", "genre", "year", "validity", "sort"):
        assert f'name="{name}"' in form, name
        if name != "q":
            assert f'<label for="filter-{name}">' in form
    assert re.search(r'<option value="czj" selected>市财政局（2）</option>', form)
    assert "市发展改革委（1）" in form, "other departments keep their counts"
    assert "筛选</button>" in form and ">重置</a>" in form
    assert re.search(r"共找到 <strong>2</strong> 件公开文件", html)
    assert 'rel="alternate" type="application/atom+xml"' in html and "订阅（Atom）" in html
    assert '<th scope="col" class="col-index">索引号</th>' in html


def test_department_folder_hides_its_fixed_facet(site, client):
    html = html_of(client.get("/xxgk/czj/"))
    assert 'name="department"' not in html
    assert 'name="topic"' in html


def test_catalogue_pagination_keeps_the_filters(site, client, monkeypatch):
    monkeypatch.setattr(DisclosureIndexPage, "per_page", 1)
    html = html_of(client.get("/xxgk/?department=czj&sort=published&page=2"))
    nav = re.search(r'<nav class="pagination" aria-label="分页">(.*?)</nav>', html, re.S).group(1)
    assert 'rel="prev" href="?department=czj&amp;sort=published"' in nav
    assert 'aria-current="page"' in nav
    assert "上一页" in nav and "下一页" in nav
    assert 'aria-disabled="true">下一页' in nav, "page 2 of 2 has no next page"


def test_filter_error_is_friendly(site, client):
    response = client.get("/xxgk/?year=abc")
    assert response.status_code == 400
    html = html_of(response)
    assert "筛选条件有误" in html and "年份" in html
    assert 'href="/xxgk/"' in html


def test_filter_url_tag():
    filters = CatalogueFilters(department="czj", year=2025, q="预算")
    render = Template(
        "{% load portal_tags %}"
        "{% filter_url f %}|{% filter_url f department='' %}|{% filter_url f year=None page=3 %}|"
        "{% filter_url f page=1 %}|{% filter_url f nonsense=1 %}"
    ).render(Context({"f": filters}))
    full, no_dept, paged, first, unknown = render.split("|")
    assert full == "?department=czj&amp;year=2025&amp;q=%E9%A2%84%E7%AE%97"
    assert no_dept == "?year=2025&amp;q=%E9%A2%84%E7%AE%97"
    assert paged == "?department=czj&amp;q=%E9%A2%84%E7%AE%97&amp;page=3"
    assert first == full and unknown == full
    empty = Template("{% load portal_tags %}{% filter_url f %}").render(Context({"f": CatalogueFilters()}))
    assert empty == "?"


# --- documents --------------------------------------------------------------------------------------


def test_document_metadata_table_uses_row_headers(site, client):
    doc = site.documents[0]
    html = html_of(client.get(doc.url))
    table = re.search(r'<table class="meta-table">(.*?)</table>', html, re.S).group(1)
    for label in (
        "索引号",
        "主题分类",
        "发布机构",
        "成文日期",
        "发文字号",
        "发布日期",
        "主题词",
        "有效性",
        "体裁分类",
        "公开方式",
    ):
        assert re.search(rf'<th scope="row" id="meta-[a-z]+">{label}</th>', table), label
    assert doc.index_number in table and "政府采购 预算" in table
    assert "生效日期" not in table, "optional dates only when set"
    assert html.index('class="meta-table"') < html.index('id="document-title"'), "metadata first"


def test_interpretation_and_policy_link_each_other(site, client):
    policy = site.documents[3]
    reading = add(
        site.folders["szfb"],
        Interpretation(
            title="《关于进一步推进政务公开工作的通知》政策解读",
            policy=policy,
            topic=policy.topic,
            written_on=policy.written_on,
            published_on=policy.published_on,
            form="qa",
        ),
    )
    policy_html = html_of(client.get(policy.url))
    assert "相关解读" in policy_html and f'href="{reading.url}"' in policy_html
    reading_html = html_of(client.get(reading.url))
    assert "问答解读" in reading_html and 'role="note"' in reading_html
    assert f'href="{policy.url}"' in reading_html


def test_annual_report_tables_are_accessible(site, client):
    report = add(
        site.xxgk, AnnualReportPage(title="2024年政府信息公开工作年度报告", slug="nb2024", year=2024)
    )
    html = html_of(client.get(report.url))
    assert html.count("<table") == html.count("<caption>") >= 5
    assert "<caption>收到和处理政府信息公开申请情况</caption>" in html
    assert '<th scope="col">申请人情况</th>' in html
    assert '<th scope="row">一、本年新收政府信息公开申请数量</th>' in html
    assert 'role="region" aria-label="收到和处理政府信息公开申请情况" tabindex="0"' in html
    assert '<h2 id="一总体情况">一、总体情况</h2>' in html


# --- error pages ------------------------------------------------------------------------------------


def test_404_is_themed(site, client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = html_of(response)
    assert "页面不存在" in html and '<a class="skip-link" href="#main">' in html
    assert ICP in html and 'role="search"' in html


def test_500_renders_without_database(rf):
    """No `db` fixture: any database access here would raise."""
    response = server_error(rf.get("/"))
    assert response.status_code == 500
    html = html_of(response)
    assert '<html lang="zh-Hans">' in html and "系统繁忙" in html and 'href="/"' in html
    assert "<script" not in html
    assert "系统繁忙" in loader.get_template("500.html").render({})


def test_400_template_is_themed(site, rf):
    from cms.core.views import bad_request

    request = rf.get("/")
    response = bad_request(request)
    assert response.status_code == 400
    assert "请求有误" in html_of(response)


def test_image_notice_and_attachment_blocks_render(db):
    from django.core.files.base import ContentFile
    from wagtail.documents.models import Document
    from wagtail.images.models import Image
    from wagtail.images.tests.utils import get_test_image_file

    from cms.core.blocks import CoreStoryBlock

    image = Image.objects.create(title="济源市容", file=get_test_image_file(size=(1600, 900)))
    document = Document(title="工作要点")
    document.file.save("yaodian.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
    document.save()
    block = CoreStoryBlock()
    value = block.to_python(
        [
            {"type": "image", "value": {"image": image.pk, "alt": "济源市区全景", "caption": "济源市区"}},
            {"type": "notice", "value": {"level": "warning", "title": "注意", "text": "<p>请按时报送。</p>"}},
            {"type": "attachment", "value": {"document": document.pk, "title": ""}},
            {"type": "heading", "value": {"text": "二、工作安排", "level": "h3"}},
        ]
    )
    html = block.render(value)
    assert re.search(r'<img [^>]*alt="济源市区全景"[^>]*>', html) and "srcset=" in html
    assert "<figcaption>济源市区</figcaption>" in html
    assert 'class="notice notice--warning" role="note"' in html and "警示" in html and "请按时报送" in html
    assert 'href="/documents/' in html and "工作要点" in html and "PDF" in html
    assert '<h3 id="二工作安排">二、工作安排</h3>' in html
