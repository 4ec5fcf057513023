"""The demo service guides: at least 150 realistic items across the real departments, every element filled in,
a realistic mix of online levels and time limits; and the loader, which is idempotent (run twice on a few
items here: the whole set is loaded by `manage.py load_demo` and by tests/test_search_quality.py)."""

import datetime
from collections import Counter

import pytest
from wagtail.contrib.forms.models import FORM_FIELD_CHOICES
from wagtail.models import Page

from cms.casework.identity import validate_uscc
from cms.core.models import ContentPage, Department, NavigationItem, NavigationSettings
from cms.home.models import HomePage
from cms.services.choices import ItemType, OnlineLevel
from cms.services.models import ServiceDepartmentPage, ServiceGuidePage, ServiceIndexPage, ServiceTopic
from fixtures import departments, service_items, service_topics
from fixtures import services as loader_module
from fixtures.load import DemoLoader

ITEMS = [(slug, data) for slug, items in service_items.ITEMS.items() for data in items]
TOPIC_SLUGS = {slug for slug, *_ in service_topics.TOPICS}


def test_at_least_150_items_across_the_real_departments():
    assert len(ITEMS) >= 150
    assert set(service_items.ITEMS) <= set(departments.DEPARTMENTS_BY_SLUG)
    assert len(service_items.ITEMS) >= 25
    per_department = Counter(slug for slug, _ in ITEMS)
    for slug in ("gaj", "scjgj", "rsj", "mzj", "wjw", "ybj", "zrzyj", "zjj", "jtysj", "jyj"):
        assert per_department[slug] >= 5, slug
    names = [data["name"] for _, data in ITEMS]
    assert len(names) == len(set(names))
    for expected in (
        "居民身份证换领",
        "户口迁移（市内迁移）",
        "个体工商户设立登记",
        "食品经营许可",
        "社会保障卡申领",
        "失业保险金申领",
        "内地居民结婚登记",
        "出生医学证明首次签发",
        "建筑工程施工许可证核发",
    ):
        assert expected in names, expected


def test_every_item_has_every_element():
    for _, data in ITEMS:
        name = data["name"]
        assert data["kind"] in ItemType.values, name
        assert data["audience"] in ("P", "O", "PO"), name
        assert 0 <= data["promised_days"] <= data["statutory_days"], name
        assert data["online"] in OnlineLevel.values, name
        assert data["basis"].startswith("《") and len(data["conditions"]) >= 10, name
        assert data["materials"] and set(data["topics"]) <= TOPIC_SLUGS and data["topics"], name
        for entry in data["materials"]:
            if isinstance(entry, str):
                assert entry in service_topics.COMMON_MATERIALS or len(entry) >= 2, (name, entry)
            else:
                assert len(entry) == 5 and entry[1] in ("original", "copy", "both", "electronic"), (
                    name,
                    entry,
                )
        if data["fee"]:
            standard, basis = data["fee"]
            assert "元" in standard and basis.startswith("《"), name
        if data["online"] == "full":
            assert data["visits"] == 0, name
        for label, kind, _required, choices, _help in data["fields"]:
            assert kind in dict(FORM_FIELD_CHOICES), (name, label)
            assert bool(choices) == (kind in ("radio", "dropdown", "checkboxes", "multiselect")), (
                name,
                label,
            )


def test_a_realistic_mix_of_online_levels_time_limits_fees_and_audiences():
    levels = Counter(data["online"] for _, data in ITEMS)
    assert set(levels) == set(OnlineLevel.values) and min(levels.values()) >= 5
    immediate = sum(1 for _, d in ITEMS if d["promised_days"] == 0)
    assert 20 <= immediate <= len(ITEMS) - 60  # 即办件 and N-day items both common
    assert sum(1 for _, d in ITEMS if d["fee"]) >= 5
    audiences = Counter(d["audience"] for _, d in ITEMS)
    assert audiences["P"] >= 50 and audiences["O"] >= 50 and audiences["PO"] >= 10
    assert sum(1 for _, d in ITEMS if d["fields"]) >= 20  # hand-written online forms for the flagships


def test_item_codes_and_slugs_are_unique_and_well_formed():
    codes = set()
    for position, (slug, items) in enumerate(service_items.ITEMS.items()):
        data = departments.DEPARTMENTS_BY_SLUG[slug]
        department = Department(slug=slug, name=data["name"], org_code=data["org_code"])
        validate_uscc(loader_module.department_uscc(department))
        slugs = loader_module.guide_slugs(items)
        assert len(slugs) == len(set(slugs)) and all(s.replace("-", "").isalnum() for s in slugs), slug
        for number, item in enumerate(items):
            code = loader_module.item_code(department, item, position, number)
            assert len(code) == 31 and code.isalnum()
            codes.add(code)
    assert len(codes) == len(ITEMS)


def test_blank_forms_and_samples_are_word_documents():
    from io import BytesIO
    from zipfile import ZipFile

    from fixtures.load import docx_bytes

    with ZipFile(BytesIO(docx_bytes("食品经营许可申请书", ["申请单位名称：____"]))) as archive:
        assert "word/document.xml" in archive.namelist()
        assert "申请单位名称" in archive.read("word/document.xml").decode()


# --- the loader ---------------------------------------------------------------------------------------


@pytest.fixture
def few_items(monkeypatch):
    """Two departments' first items: enough to exercise every step of the loader quickly."""
    items = {"scjgj": service_items.ITEMS["scjgj"][:3], "gaj": service_items.ITEMS["gaj"][:2]}
    monkeypatch.setattr(service_items, "ITEMS", items)
    return items


def start_demo():
    """What the demo loader has done before it reaches the guides: departments, the home page, news (which
    leaves a placeholder page at /zwfw/) and a navigation already pointing to it."""
    loader = DemoLoader()
    loader.load_settings_and_departments()
    home = loader.load_home()
    placeholder = loader.child(home, "zwfw", lambda: ContentPage(title="政务服务"))
    home.services_page = placeholder
    home.save_revision().publish()
    nav = NavigationSettings.for_site(loader.site)
    NavigationItem.objects.create(setting=nav, title="政务服务", page=placeholder, sort_order=0)
    NavigationItem.objects.create(setting=nav, title="资源目录", url="/ziyuan/", sort_order=1)
    return loader, home


@pytest.mark.anydb
def test_loader_builds_the_tree_and_is_idempotent(db, few_items, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    loader, home = start_demo()
    index = loader_module.load(loader, home)

    assert Page.objects.child_of(home).filter(slug="zwfw").get().specific_class is ServiceIndexPage
    assert not ContentPage.objects.filter(slug="zwfw").exists()
    home = HomePage.objects.get(pk=home.pk)
    assert home.services_page_id == index.pk
    nav = [(i.title, i.page_id) for i in NavigationItem.objects.order_by("sort_order")]
    assert ("政务服务", index.pk) in nav and len(nav) == 2  # moved to the guide, not duplicated

    assert ServiceTopic.objects.count() == len(service_topics.TOPICS)
    folders = ServiceDepartmentPage.objects.child_of(index)
    assert sorted(f.slug for f in folders) == ["gaj", "scjgj"]
    guides = ServiceGuidePage.objects.live()
    assert guides.count() == 5
    shop = guides.get(title="个体工商户设立登记")
    assert shop.url == "/zwfw/scjgj/gtgshsldj/"
    assert shop.department.slug == "scjgj" and shop.for_persons and not shop.for_organisations
    assert shop.first_published_at.date() >= datetime.date(2025, 3, 3)
    form = shop.materials.get(name="《个体工商户登记（备案）申请书》")
    assert form.blank_form.file.read(2) == b"PK" and form.sample.title.endswith("（填写示例）")
    assert [f.label for f in shop.form_fields.all()][:2] == ["个体工商户名称", "经营场所"]
    assert [s.name for s in shop.steps.all()][0] == "网上申请" and shop.faqs.count() >= 2
    assert {t.slug for t in shop.topics.all()} == {"qykb", "jiuye"}
    id_card = guides.get(title="居民身份证换领")
    assert not id_card.is_free and "20元" in id_card.fee_standard and id_card.online_level == "booking"
    assert not id_card.form_fields.exists()  # booking only: no online form

    counts = (Page.objects.count(), ServiceTopic.objects.count(), NavigationItem.objects.count())
    from wagtail.documents.models import Document

    documents = Document.objects.count()
    loader_module.load(loader, HomePage.objects.get(pk=home.pk))
    assert (Page.objects.count(), ServiceTopic.objects.count(), NavigationItem.objects.count()) == counts
    assert Document.objects.count() == documents


@pytest.mark.anydb
def test_loader_adds_a_navigation_item_when_none_leads_to_the_guide(db, few_items, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    loader = DemoLoader()
    loader.load_settings_and_departments()
    home = loader.load_home()
    nav = NavigationSettings.for_site(loader.site)
    NavigationItem.objects.create(setting=nav, title="资源目录", url="/ziyuan/", sort_order=4)
    index = loader_module.load(loader, home)
    item = NavigationItem.objects.get(title="办事服务")
    assert (item.page_id, item.sort_order) == (index.pk, 5)
