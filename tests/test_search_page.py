"""The /search/ page as a visitor sees it: facets as links with counts, sorting, best bets, notices,
the 400 for a bad date, and a page that works as a plain GET form without JavaScript.

Elasticsearch is switched off: the database engine answers the same parameters with the same facets.
Content comes from tests.builders (the `portal` fixture) and is applied to the search entries by the
index queue, as the worker would (`search_index process`)."""

import copy
import datetime
import re
from io import StringIO
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command

from search.models import SearchEntry
from search.text import segment
from tests.builders import make_document, make_resource

PROCUREMENT = "济源市财政局关于做好2025年政府采购工作的通知"
PAYMENTS = "关于规范政府采购资金支付的通知"
APPROVALS = "济源市发展和改革委员会关于政府采购项目审批的通知"
RESOURCE = "政府采购项目信息"


@pytest.fixture(autouse=True)
def _no_elasticsearch(settings):
    settings.ELASTICSEARCH_URL = ""


@pytest.fixture
def indexed(portal):
    """The portal plus, for 采购: a repealed document, a document of another department and a resource."""
    make_document(
        portal.folders["czj"],
        PAYMENTS,
        document_number="济财购〔2023〕5号",
        validity="repealed",
        written_on=datetime.date(2023, 4, 28),
        published_on=datetime.date(2023, 5, 1),
    )
    make_document(
        portal.folders["fgw"],
        APPROVALS,
        document_number="济发改〔2025〕40号",
        written_on=datetime.date(2025, 4, 8),
        published_on=datetime.date(2025, 4, 10),
    )
    portal.resource = make_resource(
        portal.departments["czj"],
        RESOURCE,
        "202001/000001",
        [("项目编号", "C", "")],
        summary="全市政府采购项目",
        openness="conditional",
    )
    call_command("search_index", "process", stdout=StringIO())  # what the worker does
    return portal


def page(client, query_string="", status=200):
    """GET /search/?<query_string> (a facet, sort or clear link's href also starts with "?")."""
    response = client.get("/search/" + ("?" + query_string.lstrip("?") if query_string else ""))
    assert response.status_code == status, response.content.decode()[:500]
    return BeautifulSoup(response.content.decode(), "html.parser")


def titles(soup):
    return [a.get_text() for a in soup.select("ol.search-results .search-result__title a")]


def facet(soup, label):
    """{option label: (count, selected, href)} of the facet headed ``label``."""
    heading = soup.find("h2", class_="facet__title", string=label)
    assert heading is not None, f"no facet {label}"
    group = copy.copy(heading.find_parent("section", class_="facet"))  # read without changing ``soup``
    options = {}
    for link in group.select("a.facet-option"):
        name = link.select_one(".facet-option__label")
        hidden = name.select_one(".visually-hidden")
        selected_text = hidden.extract().get_text() if hidden else ""
        count = link.select_one(".count")
        count.select_one(".visually-hidden").extract()
        selected = link.get("aria-current") == "true"
        assert selected == (selected_text == "已选："), "a chosen option says so to screen readers"
        assert (link.select_one(".facet-option__check").get_text() == "✓") == selected
        options[name.get_text().strip()] = (int(count.get_text()), selected, link["href"])
    return options


def clear_link(soup, label):
    heading = soup.find("h2", class_="facet__title", string=label)
    link = heading.find_parent("section").select_one("a.facet__clear")
    return link["href"] if link else None


def test_results_page_has_facets_as_links_with_counts(client, indexed):
    soup = page(client, "q=采购")
    assert sorted(titles(soup)) == sorted([PROCUREMENT, PAYMENTS, APPROVALS, RESOURCE])
    kinds = facet(soup, "类型")
    assert {name: count for name, (count, _s, _h) in kinds.items()} == {"政府文件": 3, "信息资源": 1}
    departments = facet(soup, "发布机构")
    assert {name: count for name, (count, _s, _h) in departments.items()} == {
        "济源市财政局": 3,
        "济源市发展和改革委员会": 1,
    }
    assert not any(selected for _c, selected, _h in kinds.values())
    # Each option's link keeps the query and adds its own value.
    assert parse_qs(urlsplit(kinds["信息资源"][2]).query) == {"q": ["采购"], "kind": ["resource"]}
    # Nothing chosen: no clear links.
    assert clear_link(soup, "类型") is None
    assert not soup.find("a", string="清除全部筛选")
    # The panel is a <details> (collapsed on phones); the groups are labelled by their headings.
    panel = soup.select_one("details.search-facets")
    assert panel.select_one("summary").get_text(strip=True) == "筛选结果"
    assert panel.select_one("nav")["aria-label"] == "筛选结果"
    assert soup.select_one("section.facet")["aria-labelledby"] == "facet-kind"


def test_following_a_facet_link_narrows_and_keeps_the_other_options(client, indexed):
    soup = page(client, "q=采购")
    soup = page(client, facet(soup, "类型")["信息资源"][2])
    assert titles(soup) == [RESOURCE]
    assert "找到 1 条" in soup.select_one("#result-count").get_text()
    kinds = facet(soup, "类型")
    # The facet's own filter does not change its counts: the other option stays, to add it.
    assert kinds["信息资源"][:2] == (1, True)
    assert kinds["政府文件"][:2] == (3, False)
    # Other facets count within the choice.
    assert {n: c for n, (c, _s, _h) in facet(soup, "发布机构").items()} == {"济源市财政局": 1}
    # The choice is shown above the results, as a link that removes it.
    active = soup.select_one(".search-active .active-filters a")
    assert "类型：信息资源" in active.get_text() and "取消筛选" in active.get_text()

    # Values of one facet add up (either type).
    both = page(client, kinds["政府文件"][2])
    assert len(titles(both)) == 4
    assert all(selected for _c, selected, _h in facet(both, "类型").values())

    # Selected again, an option's link removes it.
    assert parse_qs(urlsplit(kinds["信息资源"][2]).query) == {"q": ["采购"]}


def test_clear_links_remove_one_facet_or_every_filter(client, indexed):
    soup = page(client, "q=采购&kind=document&department=czj&from=2025-01-01")
    assert titles(soup) == [PROCUREMENT]
    clear_kind = clear_link(soup, "类型")
    assert parse_qs(urlsplit(clear_kind).query) == {
        "q": ["采购"],
        "department": ["czj"],
        "from": ["2025-01-01"],
    }
    assert sorted(titles(page(client, clear_kind))) == sorted([PROCUREMENT, RESOURCE])
    clear_all = {a["href"] for a in soup.find_all("a", string="清除全部筛选")}
    assert clear_all == {"?q=%E9%87%87%E8%B4%AD"}, "in the facet panel and above the results"
    assert len(titles(page(client, clear_all.pop()))) == 4
    assert "日期：2025-01-01 起" in soup.select_one(".search-active").get_text()


def test_sort_by_date_orders_by_date_newest_first(client, indexed):
    soup = page(client, "q=采购")
    links = {a.get_text(strip=True): a for a in soup.select(".sort-switch a")}
    assert links["按相关度"].get("aria-current") == "true"
    assert links["按日期"].get("aria-current") is None
    soup = page(client, links["按日期"]["href"])
    dates = [t["datetime"] for t in soup.select("ol.search-results .search-result__date time")]
    assert dates == ["2025-04-10", "2025-03-05", "2025-02-01", "2023-05-01"]
    assert titles(soup)[0] == APPROVALS and titles(soup)[-1] == PAYMENTS
    assert {a.get_text(strip=True): a.get("aria-current") for a in soup.select(".sort-switch a")} == {
        "按相关度": None,
        "按日期": "true",
    }
    # The advanced filters show the sort they would send again, and are open because of it.
    assert soup.select_one("#search-sort option[selected]")["value"] == "date"
    assert soup.select_one("details.search-advanced").has_attr("open")


def test_best_bet_is_shown_above_the_results(client, indexed):
    from wagtail.contrib.search_promotions.models import Query, SearchPromotion

    SearchPromotion.objects.create(
        query=Query.get("采购"),
        page=indexed.xxgk,
        sort_order=0,
        description="政府采购信息在政府信息公开目录中发布。",
    )
    html = client.get("/search/", {"q": "采购"}).content.decode()
    soup = BeautifulSoup(html, "html.parser")
    bets = soup.select_one("section.best-bets")
    heading = bets.select_one("h2")
    heading.select_one("[aria-hidden=true]").extract()  # the star
    assert heading.get_text(strip=True) == "推荐结果"
    assert bets["aria-labelledby"] == heading["id"]
    link = bets.select_one("a.best-bet__link")
    assert (link.get_text(), link["href"]) == ("政府信息公开", "/xxgk/")
    assert "政府信息公开目录中发布" in bets.select_one(".best-bet__description").get_text()
    assert html.index('class="best-bets"') < html.index('class="search-results"')
    # The editors' pins answer the plain query, not a filtered one.
    assert not page(client, "q=采购&kind=document").select_one("section.best-bets")


def test_unknown_facet_value_gives_a_notice_and_still_answers(client, indexed):
    soup = page(client, "q=采购&kind=bogus")
    notices = soup.select_one(".search-notices")
    assert notices["role"] == "status"
    assert "“类型”没有“bogus”这一项，已忽略" in notices.get_text()
    assert len(titles(soup)) == 4
    assert not soup.select_one(".search-active"), "an ignored value is not an active filter"
    assert not page(client, "q=采购").select(".search-notices li")


def test_bad_date_is_a_400_with_a_chinese_message(client, indexed):
    soup = page(client, "q=采购&from=2025-13-45", status=400)
    error = soup.select_one("#search-error")
    assert error["role"] == "alert"
    assert "起始日期“2025-13-45”不是有效日期" in error.get_text()
    date_from = soup.select_one("#search-from")
    assert date_from["aria-invalid"] == "true" and "search-error" in date_from["aria-describedby"]
    assert not soup.select_one("#search-q").has_attr("aria-invalid")
    assert soup.select_one("details.search-advanced").has_attr("open"), "the wrong field is visible"
    assert soup.select_one("#search-q")["value"] == "采购"
    assert not soup.select("ol.search-results")

    soup = page(client, "q=采购&from=2025-05-01&to=2025-01-01", status=400)
    assert "起始日期不能晚于截止日期" in soup.select_one("#search-error").get_text()

    soup = page(client, "q=" + "采" * 101, status=400)
    assert soup.select_one("#search-q")["aria-invalid"] == "true"
    assert not soup.select_one("#search-from").has_attr("aria-invalid")


def test_page_works_as_a_plain_form_without_javascript(client, indexed):
    soup = page(client, "q=采购&kind=document")
    form = soup.select_one("form.search-panel")
    assert (form["method"], form["action"], form["role"]) == ("get", "/search/", "search")
    names = {field["name"] for field in form.select("input[name], select[name]")}
    assert names == {"q", "from", "to", "sort"}, "a new query drops the facet choices (no hidden inputs)"
    assert form.select_one("button[type=submit]")
    assert [label["for"] for label in form.select("label")] == [
        "search-q",
        "search-from",
        "search-to",
        "search-sort",
    ]
    assert {i["type"] for i in form.select("#search-from, #search-to")} == {"date"}
    # Suggestions are JavaScript's: no combobox or listbox in the HTML, and the script is external.
    assert not soup.select("[role=combobox], [role=listbox]")
    scripts = soup.find_all("script")
    assert all(s.get("src") for s in scripts), "no inline script (CSP script-src 'self')"
    suggest = [s for s in scripts if "search-suggest" in s["src"]]
    assert len(suggest) == 1 and suggest[0].has_attr("defer")
    # Facets, sorting and paging are plain links.
    assert all(a["href"].startswith("?") for a in soup.select("a.facet-option, .sort-switch a"))


def test_results_show_type_identifiers_validity_and_openness(client, indexed):
    soup = page(client, "q=采购&sort=date")
    rows = {r.select_one(".search-result__title a").get_text(): r for r in soup.select("li.search-result")}
    document = rows[PROCUREMENT]
    assert document.select_one(".search-result__type").get_text() == "类型：政府文件"
    ids = [i.get_text() for i in document.select(".search-result__id")]
    assert ids[0] == "文号：济财购〔2025〕3号"
    assert re.fullmatch(r"索引号：\S+", ids[1])
    assert document.select_one(".search-result__department").get_text() == "发布机构：济源市财政局"
    assert not document.select_one(".search-result__validity"), "a valid document needs no label"
    assert rows[PAYMENTS].select_one(".search-result__validity").get_text() == "有效性：已废止"
    resource = rows[RESOURCE]
    assert resource.select_one(".search-result__type").get_text() == "类型：信息资源"
    assert resource.select_one(".search-result__openness").get_text() == "开放属性：有条件开放"
    assert [i.get_text() for i in resource.select(".search-result__id")] == ["资源代码：202001/000001"]
    assert "<mark>采购</mark>" in str(document.select_one(".search-result__title"))


def test_no_results_under_filters_offer_to_clear_them(client, indexed):
    soup = page(client, "q=采购&department=szfb")
    assert not soup.select("ol.search-results")
    retry = soup.find("a", string="清除筛选后重试")
    assert retry["href"] == "?q=%E9%87%87%E8%B4%AD"
    assert "在当前筛选条件下没有找到相关结果" in soup.select_one(".search-empty").get_text()
    # The chosen department stays in its facet (at 0) so it can be unselected there too.
    assert facet(soup, "发布机构")["济源市人民政府办公室"][:2] == (0, True)
    # Without filters the page does not offer to clear any.
    soup = page(client, "q=火星移民计划")
    assert soup.select_one(".search-empty") and not soup.find("a", string="清除筛选后重试")


def test_long_facets_show_eight_options_and_the_rest_under_more(client, indexed):
    rows = []
    for i in range(12):
        fields = {
            "kind": "page",
            "url": f"/dept-{i}/",
            "title": f"第{i}号公告",
            "department": f"d{i:02d}",
            "department_name": f"测试部门{i:02d}",
            "date": datetime.date(2025, 1, 1),
        }
        rows.append(
            SearchEntry(
                key=f"test:{i}",
                title_words=f" {segment(fields['title'])} ",
                words=f" {segment(fields['title'])} 公告 ",
                year=2025,
                **fields,
            )
        )
    SearchEntry.objects.bulk_create(rows)
    soup = page(client, "q=公告")
    group = soup.find("h2", string="发布机构").find_parent("section")
    assert len(group.select(":scope > ul a.facet-option")) == 8
    more = group.select_one("details.facet__more")
    assert len(more.select("a.facet-option")) == 4
    assert more.select_one("summary").get_text() == "更多发布机构（4）"
    assert not more.has_attr("open")
    # A chosen option among the rest opens "更多".
    last = more.select("a.facet-option")[-1]
    chosen = page(client, last["href"])
    more = chosen.find("h2", string="发布机构").find_parent("section").select_one("details.facet__more")
    assert more.has_attr("open")
    assert more.select_one("a[aria-current=true]")
