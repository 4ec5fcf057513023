"""The service guide at /zwfw/: browsing by department, audience, topic and online level with counts,
the department folders, every element of a guide page, and bad filter values (400 in Chinese, never 500).

``build_services`` is also used by the other test_services_* modules."""

import re
from contextlib import contextmanager
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from wagtail.documents.models import Document

from cms.services import browse
from cms.services.models import (
    ServiceFAQ,
    ServiceGuidePage,
    ServiceMaterial,
    ServiceStep,
    ServiceTopic,
)
from fixtures.load import docx_bytes
from tests.builders import add, build_portal, publish
from tests.casework_builders import make_guide, make_service_tree

pytestmark = pytest.mark.anydb

FOOD = "食品经营许可"
SHOP = "个体工商户设立登记"
PERMIT = "企业投资项目备案"
ID_CARD = "居民身份证换领"
FOOD_CODE = "1141900105423941271000205001000"


def document(title, name):
    doc = Document(title=title)
    doc.file.save(name, ContentFile(docx_bytes(title, ["申请人：______"])), save=False)
    doc.save()
    return doc


def build_services(portal):
    """/zwfw/ with four live guides in three departments (and a draft), three topics, and one guide
    (食品经营许可) carrying every element of domain.md."""
    index, folders = make_service_tree(portal)
    business = ServiceTopic.objects.create(
        slug="qykb", name="企业开办", kind="business_event", audience="organisation", sort_order=10
    )
    jobs = ServiceTopic.objects.create(slug="jiuye", name="就业创业", kind="life_event", audience="person")
    ServiceTopic.objects.create(slug="hunyin", name="婚姻登记", kind="life_event", audience="person")

    shop = make_guide(folders["czj"], title=SHOP, item_code="11419001000000000X4000117001", visits=0)
    shop.topics = [jobs]
    publish(shop)

    blank = document("食品经营许可申请书（空白表格）", "food-blank.docx")
    sample = document("食品经营许可申请书（填写示例）", "food-sample.docx")
    food = ServiceGuidePage(
        title=FOOD,
        item_code=FOOD_CODE,
        item_type="licensing",
        handling_unit="济源市市场监督管理局行政审批科",
        summary="从事食品销售和餐饮服务的经营者，应当取得食品经营许可。",
        legal_basis="《中华人民共和国食品安全法》第三十五条",
        conditions="（一）具有与经营的食品品种、数量相适应的经营场所；\n（二）具有合理的设备布局和工艺流程。",
        for_persons=True,
        for_organisations=True,
        statutory_days=10,
        promised_days=5,
        is_free=False,
        fee_standard="每证20元",
        fee_basis="《河南省行政事业性收费目录清单》",
        place="济源市民之家二楼B区08号窗口",
        hours="周一至周五 上午9:00—12:00，下午13:00—17:00",
        phone="0391-6612315",
        complaint_phone="0391-12345",
        visits=1,
        online_level="online",
        online_note="网上申请，现场领取许可证。",
        result_name="食品经营许可证",
        delivery="窗口领取或免费邮寄",
    )
    food.materials = [
        ServiceMaterial(
            name="《食品经营许可申请书》",
            form="original",
            copies=1,
            required=True,
            note="法定代表人签字并加盖公章",
            blank_form=blank,
            sample=sample,
            upload_types="pdf,jpg",
            max_size_mb=5,
        ),
        ServiceMaterial(name="营业执照", form="copy", copies=2, required=True),
        ServiceMaterial(name="授权委托书", form="original", copies=1, required=False, note="委托办理时提供"),
    ]
    food.steps = [
        ServiceStep(name="网上申请", description="填写申请表并上传材料"),
        ServiceStep(name="受理", description="材料齐全的予以受理", time_limit="1个工作日"),
        ServiceStep(name="现场核查", description="核查经营场所"),
        ServiceStep(name="审查与决定", time_limit="4个工作日"),
    ]
    food.faqs = [ServiceFAQ(question="只卖预包装食品需要许可证吗？", answer="不需要，办理备案即可。")]
    food.topics = [business]
    food = add(folders["czj"], food)

    permit = make_guide(
        folders["fgw"],
        title=PERMIT,
        item_code="1141900105423158400000801001000",
        item_type="other_power",
        for_persons=False,
        for_organisations=True,
        statutory_days=0,
        promised_days=0,
        visits=0,
        online_level="full",
    )
    permit.topics = [business]
    publish(permit)

    id_card = make_guide(
        folders["szfb"],
        title=ID_CARD,
        item_code="1141900105423274787000101001000",
        item_type="confirmation",
        statutory_days=60,
        promised_days=20,
        visits=1,
        online_level="booking",
    )
    draft = ServiceGuidePage(
        title="尚未发布的事项",
        item_code="DRAFT-0001",
        legal_basis="—",
        conditions="—",
        statutory_days=5,
        promised_days=5,
        place="—",
        hours="—",
        phone="—",
        complaint_phone="—",
        live=False,
    )
    folders["fgw"].add_child(instance=draft)
    return SimpleNamespace(
        portal=portal,
        index=index,
        folders=folders,
        topics={"qykb": business, "jiuye": jobs},
        shop=shop,
        food=food,
        permit=permit,
        id_card=id_card,
        draft=draft,
        blank=blank,
        sample=sample,
    )


@contextmanager
def services_for_module(django_db_blocker):
    """``build_services`` once for a whole module, in a transaction rolled back at its end; each test runs
    in its own savepoint inside it (the ``db`` fixture), so what a test changes is undone after it.
    Tests that change a guide fetch it again rather than changing the shared instances."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build_services(build_portal())
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(scope="module")
def services_module(django_db_setup, django_db_blocker):
    with services_for_module(django_db_blocker) as services:
        yield services


@pytest.fixture
def services(services_module, db):
    return services_module


def titles(response):
    return [guide.title for guide in response.context["guides"]]


def counts(response, facet):
    return {option["value"]: option["count"] for option in response.context["facets"][facet]}


def text(response):
    """The page's text without tags and with whitespace collapsed, for reading like a user."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


# --- browsing ----------------------------------------------------------------------------------


def test_index_lists_the_live_guides_with_counts_per_facet(services, client):
    response = client.get("/zwfw/")
    assert response.status_code == 200
    assert sorted(titles(response)) == sorted([SHOP, FOOD, PERMIT, ID_CARD])  # not the draft
    assert counts(response, "department") == {"czj": 2, "fgw": 1, "szfb": 1}
    # A guide for both 个人 and 法人 counts under each.
    assert counts(response, "audience") == {"person": 3, "organisation": 2}
    assert counts(response, "topic") == {"qykb": 2, "jiuye": 1}  # 婚姻登记 has no guide: not offered
    assert counts(response, "online_level") == {"full": 2, "online": 1, "booking": 1}
    assert counts(response, "item_type") == {"licensing": 2, "other_power": 1, "confirmation": 1}
    page = text(response)
    assert "共找到 4 项办事指南" in page
    assert "个人办事 3 项" in page and "法人办事 2 项" in page
    assert "企业开办 2 项" in page


def test_headline_figures(services, client):
    figures = client.get("/zwfw/").context["figures"]
    assert figures == {"total": 4, "full": 2, "online": 3, "immediate": 1, "zero_visit": 2}


def test_a_facets_counts_ignore_its_own_filter_and_follow_the_others(services, client):
    response = client.get("/zwfw/?audience=organisation")
    assert sorted(titles(response)) == sorted([FOOD, PERMIT])
    assert counts(response, "audience") == {"person": 3, "organisation": 2}  # its own filter ignored
    assert counts(response, "department") == {"czj": 1, "fgw": 1}
    assert counts(response, "online_level") == {"online": 1, "full": 1}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("department=czj", [SHOP, FOOD]),
        ("audience=person", [SHOP, FOOD, ID_CARD]),
        ("topic=qykb", [FOOD, PERMIT]),
        ("topic=jiuye&audience=person", [SHOP]),
        ("online_level=full", [SHOP, PERMIT]),
        ("online_level=booking", [ID_CARD]),
        ("item_type=confirmation", [ID_CARD]),
        ("audience=organisation&online_level=full&topic=qykb", [PERMIT]),
        ("department=nosuchdept", []),
        ("topic=nosuchtopic", []),
    ],
)
def test_filters(services, client, query, expected):
    response = client.get(f"/zwfw/?{query}")
    assert response.status_code == 200
    assert sorted(titles(response)) == sorted(expected)


def test_empty_result_says_so_and_offers_the_way_back(services, client):
    response = client.get("/zwfw/?department=czj&online_level=booking")
    assert "没有找到符合条件的办事指南" in text(response)
    assert 'href="/zwfw/"' in response.content.decode()


def test_sort_by_promised_time(services, client):
    response = client.get("/zwfw/?sort=promised")
    assert titles(response) == [PERMIT, SHOP, FOOD, ID_CARD]


def test_pagination_keeps_the_filters(services, client, monkeypatch):
    monkeypatch.setattr(browse, "PER_PAGE", 2)
    first = client.get("/zwfw/?audience=person&sort=title")
    assert first.context["guides"].paginator.num_pages == 2
    assert 'href="?audience=person&amp;sort=title&amp;page=2"' in first.content.decode()
    second = client.get("/zwfw/?audience=person&sort=title&page=2")
    assert len(titles(second)) == 1
    assert client.get("/zwfw/?audience=person&page=3").status_code == 404


def test_active_filters_can_be_removed_one_by_one(services, client):
    html = client.get("/zwfw/?audience=person&topic=jiuye").content.decode()
    assert 'href="?topic=jiuye"' in html  # remove 个人
    assert 'href="?audience=person"' in html  # remove 就业创业


def test_keyword_box_hands_over_to_the_site_search_for_guides(services, client):
    html = client.get("/zwfw/").content.decode()
    form = re.search(r'<form class="service-search"[^>]*>(.*?)</form>', html, re.S)
    assert 'action="/search/"' in form.group(0) and 'method="get"' in form.group(0)
    assert '<input type="hidden" name="kind" value="service">' in form.group(1)
    assert 'name="q"' in form.group(1)
    # On a department's folder the search also keeps to that department.
    folder = client.get("/zwfw/czj/").content.decode()
    assert '<input type="hidden" name="department" value="czj">' in folder


def test_department_folder_lists_only_its_guides(services, client):
    response = client.get("/zwfw/czj/")
    assert response.status_code == 200
    assert sorted(titles(response)) == sorted([SHOP, FOOD])
    html = response.content.decode()
    assert 'name="department"' not in html.split('class="filters"')[1].split("</form>")[0]
    assert counts(response, "online_level") == {"full": 1, "online": 1}
    assert "查看全部部门的办事指南" in text(response)


def test_department_filter_is_fixed_on_a_folder(services, client):
    """A folder lists its own department's guides whatever the query string says."""
    assert sorted(titles(client.get("/zwfw/czj/?department=fgw"))) == sorted([SHOP, FOOD])


def test_online_capable_guides_link_to_the_online_form_in_the_list(services, client):
    html = client.get("/zwfw/").content.decode()
    assert f'href="/zwfw/apply/{services.food.pk}/"' in html
    assert f'href="/zwfw/apply/{services.id_card.pk}/"' not in html  # booking only


# --- bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("audience=everyone", "“服务对象”参数应为 person（个人）或 organisation（法人）"),
        ("online_level=%3Cscript%3Ealert(1)%3C/script%3E", "“网上办理”参数不在可选范围内"),
        ("item_type=licensing'%20OR%201=1--", "“事项类型”参数不在可选范围内"),
        ("department=../../etc/passwd", "“实施部门”参数格式不正确"),
        ("topic=%E4%BC%81%E4%B8%9A", "“主题”参数格式不正确"),
        ("topic=qykb%00", "参数中含有无法识别的字符"),
        ("sort=random", "“排序”参数不在可选范围内"),
        ("page=abc", "页码应为正整数"),
        ("page=0", "页码应为正整数"),
        ("page=99999999999", "页码应为正整数"),
    ],
)
def test_bad_filter_values_get_a_400_in_chinese(services, client, query, message):
    for url in ("/zwfw/", "/zwfw/czj/"):
        response = client.get(f"{url}?{query}")
        assert response.status_code == 400, url
        page = text(response)
        assert "筛选条件有误" in page and message in page
        assert "<script>alert" not in response.content.decode()


def test_page_past_the_end_is_404(services, client):
    assert client.get("/zwfw/?page=2").status_code == 404


# --- the guide page ----------------------------------------------------------------------------


def test_guide_page_shows_every_element(services, client):
    food = services.food
    response = client.get(food.url)
    assert response.status_code == 200
    page = text(response)
    for expected in [
        f"事项名称 {FOOD}",
        f"事项编码 {FOOD_CODE}",
        "事项类型 行政许可",
        "服务对象 个人、法人",
        f"实施主体 {services.portal.departments['czj'].name}",
        "办理机构 济源市市场监督管理局行政审批科",
        "设定依据 《中华人民共和国食品安全法》第三十五条",
        "（一）具有与经营的食品品种、数量相适应的经营场所；",
        "法定时限 10个工作日",
        "承诺时限 5个工作日",
        "比法定时限压缩50%",
        "办件类型 承诺件",
        "收费标准 每证20元",
        "收费依据 《河南省行政事业性收费目录清单》",
        "办理地点 济源市民之家二楼B区08号窗口",
        "办理时间 周一至周五 上午9:00—12:00，下午13:00—17:00",
        "咨询电话 0391-6612315",
        "监督投诉电话 0391-12345",
        "到现场次数 1次",
        "办理结果 食品经营许可证",
        "结果送达 窗口领取或免费邮寄",
        "主题/人生事件 企业开办",
        "只卖预包装食品需要许可证吗？",
        "不需要，办理备案即可。",
        "网上申请，现场领取结果",
        "网上申请，现场领取许可证。",
    ]:
        assert expected in page, expected
    html = response.content.decode()
    assert 'href="tel:03916612315"' in html and 'href="tel:039112345"' in html


def test_materials_are_a_table_with_form_copies_requirement_note_and_downloads(services, client):
    html = client.get(services.food.url).content.decode()
    table = re.search(r'<table class="data-table material-table">(.*?)</table>', html, re.S).group(1)
    headers = re.findall(r'<th scope="col"[^>]*>(.*?)</th>', table)
    assert headers == ["序号", "材料名称", "材料形式", "份数", "是否必需", "填写说明", "表格下载"]
    rows = [
        " ".join(re.sub(r"<[^>]+>", " ", row).split())
        for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:]
    ]
    assert rows[0].startswith("1 《食品经营许可申请书》 原件 1 必需 法定代表人签字并加盖公章 空白表格")
    assert rows[1] == "2 营业执照 复印件 2 必需 — —"
    assert rows[2].startswith("3 授权委托书 原件 1 非必需 委托办理时提供")
    assert f'href="{services.blank.url}"' in table and f'href="{services.sample.url}"' in table
    # Each download link names its material and its type for screen readers.
    assert '空白表格<span class="visually-hidden">：《食品经营许可申请书》（DOCX，' in table


def test_blank_forms_and_samples_download(services, client):
    response = client.get(services.blank.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:2] == b"PK"  # a .docx (zip) file


def test_steps_are_an_ordered_list_with_their_time_limits(services, client):
    html = client.get(services.food.url).content.decode()
    steps = re.search(r'<ol class="guide-steps">(.*?)</ol>', html, re.S).group(1)
    names = re.findall(r'<p class="guide-steps__name">([^<]+)', steps)
    assert names == ["网上申请", "受理", "现场核查", "审查与决定"]
    assert "（1个工作日）" in steps and "（4个工作日）" in steps


def test_online_guide_has_an_apply_button_to_its_form(services, client):
    food = services.food
    html = client.get(food.url).content.decode()
    assert re.search(rf'<a class="button button--apply" href="/zwfw/apply/{food.pk}/">', html)
    # The upload rules of each material are spelled out.
    assert "《食品经营许可申请书》：PDF、JPEG 图片，不超过 5 MB" in text(client.get(food.url))


def test_same_day_zero_visit_free_guide_says_so(services, client):
    response = client.get(services.permit.url)
    page = text(response)
    assert "法定时限 即办件（当场办结）" in page
    assert "承诺时限 即办件（当场办结）" in page
    assert "办件类型 即办件" in page
    assert "到现场次数 0次（零跑腿）" in page
    assert "是否收费 不收费" in page
    assert "服务对象 法人" in page
    assert "全程网办" in page
    assert f"/zwfw/apply/{services.permit.pk}/" in response.content.decode()


def test_offline_guide_has_no_apply_button_and_explains_how(services, client):
    response = client.get(services.id_card.url)
    assert "/zwfw/apply/" not in response.content.decode()
    assert "可通过网上预约选择办理时间" in text(response)


def test_guide_page_is_printable_and_has_breadcrumbs(services, client):
    html = client.get(services.food.url).content.decode()
    assert 'href="/static/css/print.css" media="print"' in html or "print.css" in html
    assert "js-print" in html  # the print button (revealed by portal.js)
    assert "@media print" in html  # the guide's own print rules
    crumbs = re.search(r'<ol class="breadcrumbs__list">(.*?)</ol>', html, re.S).group(1)
    assert [c.strip() for c in re.findall(r">([^<>]+)</a>", crumbs)] == [
        "首页",
        "办事服务",
        "济源市财政局",
        FOOD,
    ]


def test_elder_mode_renders_the_guide_with_the_elder_stylesheet(services, client):
    client.cookies["elder_mode"] = "1"
    html = client.get(services.food.url).content.decode()
    assert '<html lang="zh-Hans" class="elder">' in html and "elder.css" in html


def test_text_entered_by_editors_is_escaped(services, client):
    guide = ServiceGuidePage.objects.get(pk=services.shop.pk)
    guide.conditions = "<script>alert('x')</script>"
    guide.title = "个体工商户<b>登记</b>"
    publish(guide)
    html = client.get(guide.url).content.decode()
    assert "<script>alert" not in html and "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    assert "<b>登记</b>" not in html


def test_unpublished_guide_is_not_served(services, client):
    assert client.get("/zwfw/fgw/" + services.draft.slug + "/").status_code == 404


# --- editing rules -----------------------------------------------------------------------------


def test_material_upload_types_must_be_known(services):
    material = ServiceMaterial(page=services.food, name="照片", upload_types="pdf,exe")
    with pytest.raises(ValidationError) as error:
        material.full_clean()
    assert "不支持的格式：exe" in str(error.value)
    material.upload_types = "PDF， jpg"
    material.full_clean()
    assert material.allowed_types == ["pdf", "jpg"]


def test_promised_time_cannot_exceed_the_statutory_time(services):
    guide = ServiceGuidePage.objects.get(pk=services.food.pk)
    guide.promised_days = 30
    with pytest.raises(ValidationError) as error:
        guide.full_clean()
    assert "承诺时限不能长于法定时限" in str(error.value)


def test_a_guide_belongs_to_its_folders_department(services):
    assert services.food.department == services.portal.departments["czj"]
    ServiceGuidePage.objects.get(pk=services.food.pk).move(services.folders["fgw"], pos="last-child")
    moved = ServiceGuidePage.objects.get(pk=services.food.pk)
    moved.save_revision().publish()
    moved.refresh_from_db()
    assert moved.department == services.portal.departments["fgw"]


def test_guide_page_shows_the_public_rating_statistics(services, client):
    from cms.applications.models import Rating
    from tests.casework_builders import make_application

    assert "该事项暂无评价" in text(client.get(services.food.url))
    for number, score in enumerate([5, 5, 4, 1]):
        application, _code = make_application(services.food, submission_key=f"rating-{number}")
        Rating.objects.create(application=application, service_code=FOOD_CODE, score=score)
    page = text(client.get(services.food.url))
    assert "好差评" in page and "共 4 条评价，好评率 75.0%" in page
    assert 'href="#ratings"' in client.get(services.food.url).content.decode()
