"""Build small, realistic page trees for tests (the demo loader builds the big one)."""

import datetime
from types import SimpleNamespace

from wagtail.models import Page, Site

from cms.core.models import Department, Topic
from cms.disclosure.models import DisclosureDepartmentPage, DisclosureDocument, DisclosureIndexPage
from cms.home.models import HomePage
from cms.news.models import NewsIndexPage, NewsPage

DEPARTMENTS = [
    ("czj", "济源市财政局", "市财政局", "005423101"),
    ("fgw", "济源市发展和改革委员会", "市发展改革委", "005423102"),
    ("szfb", "济源市人民政府办公室", "市政府办公室", "005423100"),
]


def publish(page):
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def add(parent, page):
    parent.add_child(instance=page)
    return publish(page)


def make_document(folder, title, **fields):
    defaults = {
        "topic": Topic.objects.get(code=fields.pop("topic_code", "03")),
        "genre": "tongzhi",
        "written_on": datetime.date(2025, 3, 1),
        "published_on": datetime.date(2025, 3, 5),
        "summary": "",
    }
    defaults.update(fields)
    return add(folder, DisclosureDocument(title=title, **defaults))


def make_resource(department, name, code, data_items=(), **fields):
    """A catalogue resource with its data items ((name, type letter, description), ...)."""
    from cms.catalogue.models import DataItem, Resource, ResourceClass

    defaults = {
        "classification": ResourceClass.objects.get(code=code.split("/")[0]),
        "summary": "",
        "openness": "open",
        "sharing": "unconditional",
        "released_on": datetime.date(2025, 2, 1),
    }
    defaults.update(fields)
    resource = Resource(department=department, name=name, code=code, **defaults)
    resource.data_items = [DataItem(name=n, data_type=t, description=d) for n, t, d in data_items]
    resource.full_clean()
    resource.save()
    return resource


def build_portal():
    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="济源市人民政府", slug="jiyuan", intro="欢迎访问"))
    Site.objects.all().delete()
    site = Site.objects.create(
        hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="济源市人民政府"
    )
    publish(home)
    news_index = add(home, NewsIndexPage(title="政务动态", slug="zwdt"))
    notice_index = add(home, NewsIndexPage(title="通知公告", slug="tzgg"))
    xxgk = add(home, DisclosureIndexPage(title="政府信息公开", slug="xxgk"))
    departments, folders = {}, {}
    for order, (slug, name, short, org_code) in enumerate(DEPARTMENTS):
        dept = Department.objects.create(
            slug=slug, name=name, short_name=short, org_code=org_code, sort_order=order
        )
        departments[slug] = dept
        folders[slug] = add(xxgk, DisclosureDepartmentPage(title=name, slug=slug, department=dept))
    docs = [
        make_document(
            folders["czj"],
            "济源市财政局关于做好2025年政府采购工作的通知",
            document_number="济财购〔2025〕3号",
            keywords="政府采购 预算",
            topic_code="03",
        ),
        make_document(
            folders["czj"],
            "济源市财政局关于印发预算绩效管理办法的通知",
            document_number="济财预〔2024〕8号",
            topic_code="03",
            written_on=datetime.date(2024, 6, 1),
            published_on=datetime.date(2024, 6, 3),
        ),
        make_document(
            folders["fgw"],
            "济源市发展和改革委员会关于推进重大项目建设的意见",
            genre="yijian",
            document_number="济发改〔2025〕21号",
            topic_code="02",
        ),
        make_document(
            folders["szfb"],
            "济源市人民政府关于进一步推进政务公开工作的通知",
            document_number="济政〔2025〕12号",
            topic_code="01",
            summary="全面推进决策、执行、管理、服务、结果公开。",
        ),
    ]
    for i in range(3):
        add(
            news_index,
            NewsPage(
                title=f"市财政局召开预算绩效管理推进会（第{i + 1}次）",
                date=datetime.date(2025, 5, 1 + i),
                department=departments["czj"],
            ),
        )
    home.news_index = news_index
    home.notice_index = notice_index
    home.disclosure_index = xxgk
    publish(home)
    return SimpleNamespace(
        site=site,
        home=home,
        news_index=news_index,
        notice_index=notice_index,
        xxgk=xxgk,
        departments=departments,
        folders=folders,
        documents=docs,
    )
