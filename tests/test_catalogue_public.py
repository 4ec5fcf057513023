"""The public information resource catalogue, /ziyuan/: browsing, facets, resource pages, openness."""

import datetime
import re
from types import SimpleNamespace

import pytest

from cms.catalogue import views
from cms.catalogue.choices import Openness, Sharing
from cms.catalogue.models import DataItem, Resource, ResourceClass

pytestmark = pytest.mark.anydb

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
CLOSED_SUMMARY = "本资源记录重大项目审批过程中的内部审查意见"
CLOSED_ITEM = "审查人员身份证号码"
CLOSED_FORMAT = "内部审查库Oracle"
CLOSED_CONDITIONS = "仅限纪检监察部门按案件调阅"


def make_resource(department, code, name, **fields):
    """A resource with its classification taken from its code; ``items`` are (name, type, description)."""
    items = fields.pop("items", [])
    defaults = {
        "summary": f"{name}的摘要。",
        "openness": Openness.OPEN,
        "sharing": Sharing.UNCONDITIONAL,
        "released_on": datetime.date(2025, 3, 1),
    }
    defaults.update(fields)
    resource = Resource(
        name=name,
        code=code,
        classification=ResourceClass.objects.get(code=code.split("/")[0]),
        department=department,
        **defaults,
    )
    resource.full_clean()
    resource.save()
    for order, (item_name, data_type, description) in enumerate(items):
        DataItem.objects.create(
            resource=resource, name=item_name, data_type=data_type, description=description, sort_order=order
        )
    return resource


@pytest.fixture
def catalogue(portal):
    """Five resources: 市财政局 2, 市发展改革委 2 (one 不予开放), 市政府办公室 1."""
    czj, fgw, szfb = (portal.departments[slug] for slug in ("czj", "fgw", "szfb"))
    budget = make_resource(
        czj,
        "302002/000001",
        "部门预算公开信息",
        keywords="预算 决算",
        resource_format="spreadsheet",
        format_detail="XLSX",
        sharing_conditions="",
        update_cycle="yearly",
        released_on=datetime.date(2025, 1, 20),
        items=[("预算单位名称", "C", "单位全称"), ("预算金额", "Y", "单位：万元")],
    )
    revenue = make_resource(
        czj,
        "104002/000001",
        "财政收支月报",
        openness=Openness.CONDITIONAL,
        open_conditions="注册后下载",
        sharing=Sharing.CONDITIONAL,
        sharing_conditions="用于统计分析",
        released_on=datetime.date(2025, 4, 2),
    )
    projects = make_resource(
        fgw,
        "302001/000015",
        "重大项目审批信息",
        related_codes=["302002/000001", "302001/000099"],
        released_on=datetime.date(2024, 11, 5),
        items=[("项目名称", "C", ""), ("批复日期", "D", "批复文件的日期")],
    )
    closed = make_resource(
        fgw,
        "302001/000016",
        "项目审查内部意见",
        summary=CLOSED_SUMMARY,
        openness=Openness.CLOSED,
        sharing=Sharing.CONDITIONAL,
        sharing_conditions=CLOSED_CONDITIONS,
        format_detail=CLOSED_FORMAT,
        keywords="内部审查",
        related_codes=["302001/000015"],
        released_on=datetime.date(2025, 2, 1),
        items=[(CLOSED_ITEM, "C", "审查人员的证件号")],
    )
    services = make_resource(
        szfb, "201001/000001", "政务服务事项目录", sharing=Sharing.NONE, released_on=datetime.date(2025, 5, 6)
    )
    return SimpleNamespace(
        budget=budget, revenue=revenue, projects=projects, closed=closed, services=services, portal=portal
    )


def html_of(response, status=200):
    assert response.status_code == status, response.content.decode()[:2000]
    return response.content.decode()


def listed(html):
    """Resource codes in the result table, in order."""
    table = re.search(r'<table class="results resource-results".*?</table>', html, re.S)
    codes = re.findall(r'<td class="col-code">([0-9/<wbr>]+)</td>', table.group(0)) if table else []
    return [code.replace("<wbr>", "") for code in codes]


def select_options(html, name):
    """{label: count} of a facet select in the filter form."""
    select = re.search(rf'<select id="filter-{name}" name="{name}">(.*?)</select>', html, re.S).group(1)
    return {label: int(n) for label, n in re.findall(r">([^<>（]+)（(\d+)）</option>", select)}


def tree_counts(html):
    """{class code: count} of the classification tree's visible nodes."""
    tree = re.search(r'<ul class="class-tree">.*</ul>', html, re.S).group(0)
    pattern = r'<span class="class-tree__code">(\d+)</span>.*?<span class="count">(\d+)<'
    return {code: int(n) for code, n in re.findall(pattern, tree, re.S)}


# --- the index page ---------------------------------------------------------------------------------


def test_index_lists_every_resource_in_code_order(catalogue, client):
    html = html_of(client.get("/ziyuan/"))
    assert listed(html) == [
        "104002/000001",
        "201001/000001",
        "302001/000015",
        "302001/000016",
        "302002/000001",
    ]
    assert re.search(r"共找到 <strong>5</strong> 项信息资源", html)
    assert f'href="{catalogue.projects.get_absolute_url()}"' in html
    assert catalogue.projects.get_absolute_url() == "/ziyuan/302001/000015/"
    assert html.count("<h1") == 1 and '<html lang="zh-Hans"' in html
    assert not INLINE_SCRIPT.search(html)
    assert '<a href="/ziyuan/" aria-current="page">政务信息资源目录</a>' in html


def test_index_sorts_by_release_date(catalogue, client):
    html = html_of(client.get("/ziyuan/?sort=released"))
    assert listed(html) == [
        "201001/000001",
        "104002/000001",
        "302001/000016",
        "302002/000001",
        "302001/000015",
    ]
    assert '<option value="released" selected>' in html


def test_facets_count_and_respect_the_other_filters(catalogue, client):
    html = html_of(client.get("/ziyuan/"))
    assert select_options(html, "department") == {"市财政局": 2, "市发展改革委": 2, "市政府办公室": 1}
    assert select_options(html, "openness") == {"无条件开放": 3, "有条件开放": 1, "不予开放": 1}
    # The closed resource's sharing attribute is not public, so it is neither counted nor filterable.
    assert select_options(html, "sharing") == {"无条件共享": 2, "有条件共享": 1, "不予共享": 1}
    closed = set(listed(html_of(client.get("/ziyuan/?openness=closed"))))
    assert closed
    for sharing in ("unconditional", "conditional", "none"):
        assert not closed & set(listed(html_of(client.get(f"/ziyuan/?sharing={sharing}"))))

    html = html_of(client.get("/ziyuan/?department=fgw"))
    assert listed(html) == ["302001/000015", "302001/000016"]
    # A facet ignores its own filter (the other departments stay choosable) but follows the others.
    assert select_options(html, "department") == {"市财政局": 2, "市发展改革委": 2, "市政府办公室": 1}
    assert select_options(html, "openness") == {"无条件开放": 1, "不予开放": 1}
    assert re.search(r'<option value="fgw" selected>市发展改革委（2）</option>', html)

    html = html_of(client.get("/ziyuan/?openness=open&sharing=unconditional"))
    assert listed(html) == ["302001/000015", "302002/000001"]
    assert select_options(html, "department") == {"市财政局": 1, "市发展改革委": 1}
    assert select_options(html, "openness") == {"无条件开放": 2}
    assert select_options(html, "sharing") == {"无条件共享": 2, "不予共享": 1}


def test_classification_tree_counts_and_drills_down(catalogue, client):
    html = html_of(client.get("/ziyuan/"))
    assert tree_counts(html) == {"1": 1, "2": 1, "3": 3}, "only the three catalogues until one is chosen"

    html = html_of(client.get("/ziyuan/?class=302001"))
    assert listed(html) == ["302001/000015", "302001/000016"]
    counts = tree_counts(html)
    # The chosen branch is open; the tree ignores the class filter so its siblings keep their counts.
    assert counts == {"1": 1, "2": 1, "3": 3, "302": 3, "302001": 2, "302002": 1}
    assert re.search(r'<a href="\?class=302001" aria-current="true">', html)
    assert '<a href="?class=302002">' in html
    assert '<input type="hidden" name="class" value="302001">' in html, "the form keeps the class"

    # …but it follows the other filters.
    html = html_of(client.get("/ziyuan/?class=302&department=czj"))
    assert listed(html) == ["302002/000001"]
    assert tree_counts(html) == {"1": 1, "2": 0, "3": 1, "302": 1, "302002": 1}


def test_class_filter_takes_in_descendants_by_code_prefix(catalogue, client):
    assert listed(html_of(client.get("/ziyuan/?class=3"))) == [
        "302001/000015",
        "302001/000016",
        "302002/000001",
    ]
    assert listed(html_of(client.get("/ziyuan/?class=302"))) == [
        "302001/000015",
        "302001/000016",
        "302002/000001",
    ]
    assert listed(html_of(client.get("/ziyuan/?class=302002"))) == ["302002/000001"]
    assert listed(html_of(client.get("/ziyuan/?class=303"))) == []
    assert listed(html_of(client.get("/ziyuan/?class=３０２００２"))) == ["302002/000001"], (
        "full-width digits"
    )


def test_catalogue_filter(catalogue, client):
    html = html_of(client.get("/ziyuan/?catalogue=1"))
    assert listed(html) == ["104002/000001"]
    assert re.search(r'<a href="\?catalogue=1" aria-current="true">', html)
    assert '基础信息资源<span aria-hidden="true"> ×</span>' in html, "shown as a removable filter"
    assert listed(html_of(client.get("/ziyuan/?catalogue=2&openness=open"))) == ["201001/000001"]


def test_keyword_matches_name_or_code_only(catalogue, client):
    assert listed(html_of(client.get("/ziyuan/?q=项目审"))) == ["302001/000015", "302001/000016"]
    assert listed(html_of(client.get("/ziyuan/?q=302001/000015"))) == ["302001/000015"]
    # Summaries are not searched: a match would reveal what a closed resource's summary says.
    assert listed(html_of(client.get("/ziyuan/?q=内部审查意见"))) == []


def test_pagination_keeps_the_filters(catalogue, client, monkeypatch):
    monkeypatch.setattr(views, "PER_PAGE", 2)
    html = html_of(client.get("/ziyuan/?class=3&page=2"))
    assert listed(html) == ["302002/000001"]
    nav = re.search(r'<nav class="pagination" aria-label="分页">(.*?)</nav>', html, re.S).group(1)
    assert 'rel="prev" href="?class=3"' in nav
    assert 'aria-disabled="true">下一页' in nav
    assert "（第2页）" in re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert client.get("/ziyuan/?class=3&page=3").status_code == 404


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("openness=secret", "开放属性"),
        ("sharing=all", "共享属性"),
        ("catalogue=4", "目录类别"),
        ("class=30a", "资源分类"),
        ("class=3021", "资源分类"),
        ("department=../etc", "资源提供方"),
        ("sort=random", "排序"),
        ("page=-1", "页码"),
        ("page=abc", "页码"),
        ("q=" + "长" * 101, "关键词"),
        ("q=%00", "无法识别的字符"),
        ("department=czj%0B", "无法识别的字符"),
    ],
)
def test_garbage_parameters_get_a_clear_400(catalogue, client, query, message):
    html = html_of(client.get(f"/ziyuan/?{query}"), status=400)
    assert "筛选条件有误" in html and message in html
    assert 'href="/ziyuan/"' in html


def test_unknown_well_formed_values_give_an_empty_list(catalogue, client):
    html = html_of(client.get("/ziyuan/?department=nosuch&class=399"))
    assert listed(html) == [] and "没有找到符合条件的信息资源" in html


def test_index_only_answers_get(catalogue, client):
    assert client.post("/ziyuan/").status_code == 405


# --- a resource's page -------------------------------------------------------------------------------


def metadata(html):
    """{label: text} of the resource's definition list."""
    dl = re.search(r'<dl class="resource-meta">(.*?)</dl>', html, re.S).group(1)
    pairs = re.findall(r"<dt>(.*?)</dt>\s*<dd[^>]*>(.*?)</dd>", dl, re.S)
    return {label: re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", value)).strip() for label, value in pairs}


def test_resource_page_shows_all_metadata(catalogue, client):
    html = html_of(client.get("/ziyuan/302002/000001/"))
    meta = metadata(html)
    assert meta == {
        "资源名称": "部门预算公开信息",
        "资源代码": "302002/000001",
        "资源分类": "部门信息资源 经济管理部门 财务预决算信息",
        "目录类别": "部门信息资源",
        "资源提供方": "济源市财政局",
        "资源摘要": "部门预算公开信息的摘要。",
        "资源格式": "电子表格（XLSX）",
        "共享属性": "无条件共享",
        "共享方式": "接口服务",
        "开放属性": "无条件开放",
        "更新周期": "每年",
        "发布日期": "2025年1月20日",
        "关键词": "预算 决算",
        "关联资源": "—",
    }
    assert '<a href="/ziyuan/?class=302002">财务预决算信息</a>' in html
    assert '<a href="/ziyuan/?catalogue=3">部门信息资源</a>' in html
    assert '<h1 id="resource-title" class="document__title">部门预算公开信息</h1>' in html
    crumbs = re.search(r'<nav class="breadcrumbs".*?</nav>', html, re.S).group(0)
    assert '<a href="/ziyuan/">政务信息资源目录</a>' in crumbs
    assert '<a href="/ziyuan/302002/000001/" aria-current="page">部门预算公开信息</a>' in crumbs


def test_data_items_are_an_accessible_table(catalogue, client):
    html = html_of(client.get("/ziyuan/302002/000001/"))
    table = re.search(r'<table class="data-table" aria-labelledby="items-title">(.*?)</table>', html, re.S)
    assert table, "the table is named by the 信息项 heading"
    table = table.group(1)
    for header in ("序号", "信息项名称", "数据类型", "说明"):
        assert f'<th scope="col">{header}</th>' in table
    assert '<th scope="row">预算单位名称</th>' in table and "字符型" in table and "单位全称" in table
    assert '<th scope="row">预算金额</th>' in table and "货币型" in table


def test_related_codes_link_to_existing_resources(catalogue, client):
    html = html_of(client.get("/ziyuan/302001/000015/"))
    assert '<a href="/ziyuan/302002/000001/">部门预算公开信息</a>（302002/000001）' in html
    assert "<li>302001/000099</li>" in html, "an unknown code is shown, not linked"
    assert metadata(html)["开放属性"] == "无条件开放"


def test_conditional_openness_shows_its_conditions(catalogue, client):
    meta = metadata(html_of(client.get("/ziyuan/104002/000001/")))
    assert meta["开放属性"] == "有条件开放" and meta["开放条件"] == "注册后下载"
    assert meta["共享条件"] == "用于统计分析"


def test_unknown_or_malformed_codes_are_404(catalogue, client):
    assert client.get("/ziyuan/302001/999999/").status_code == 404
    assert client.get("/ziyuan/302001/15/").status_code == 404
    assert client.get("/ziyuan/9/000001/").status_code == 404


# --- 不予开放: identification only ------------------------------------------------------------------


def test_closed_resource_page_shows_identification_only(catalogue, client):
    html = html_of(client.get("/ziyuan/302001/000016/"))
    meta = metadata(html)
    assert meta == {
        "资源名称": "项目审查内部意见",
        "资源代码": "302001/000016",
        "资源分类": "部门信息资源 经济管理部门 项目审批信息",
        "目录类别": "部门信息资源",
        "资源提供方": "济源市发展和改革委员会",
        "开放属性": "不予开放",
        "更新周期": "每月",
        "发布日期": "2025年2月1日",
    }
    for hidden in (
        CLOSED_SUMMARY,
        CLOSED_ITEM,
        CLOSED_FORMAT,
        CLOSED_CONDITIONS,
        "内部审查",
        "信息项",
        "共享",
    ):
        assert hidden not in html, hidden
    assert "302001/000015" not in html, "related resources are details too"
    notice = re.search(r'<div class="notice notice--warning" role="note">(.*?)</div>', html, re.S).group(1)
    assert "该信息资源不予开放" in notice
    assert f'<a href="{views.DISCLOSURE_REQUEST_URL}">申请政府信息公开</a>' in notice


def test_disclosure_request_link_is_a_setting(catalogue, client, settings):
    settings.CATALOGUE_DISCLOSURE_REQUEST_URL = "/xxgk/ysqgk/"
    assert 'href="/xxgk/ysqgk/"' in html_of(client.get("/ziyuan/302001/000016/"))


def test_closed_resource_details_appear_nowhere_on_the_index(catalogue, client):
    for url in ("/ziyuan/", "/ziyuan/?openness=closed", "/ziyuan/?class=302001&sort=released"):
        html = html_of(client.get(url))
        assert "项目审查内部意见" in html
        for hidden in (CLOSED_SUMMARY, CLOSED_ITEM, CLOSED_FORMAT, CLOSED_CONDITIONS):
            assert hidden not in html, (url, hidden)
    assert '<span class="badge badge--closed">不予开放</span>' in html


def test_open_resource_details_are_not_listed_on_the_index_either(catalogue, client):
    html = html_of(client.get("/ziyuan/"))
    assert "预算单位名称" not in html and "部门预算公开信息的摘要" not in html
