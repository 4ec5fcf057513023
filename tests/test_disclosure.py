"""Government information disclosure: index numbers, validity links, the catalogue and its feed."""

import datetime
import re

import feedparser
import pytest
from django.test import override_settings

from cms.disclosure.choices import Validity
from cms.disclosure.models import DisclosureDocument, Interpretation
from tests.builders import add, make_document, publish

pytestmark = pytest.mark.anydb
INDEX_NUMBER = re.compile(r"^\d{9}/\d{4}-\d{5}$")


def test_index_number_issued_on_first_publication_and_never_changes(portal):
    folder = portal.folders["czj"]
    draft = DisclosureDocument(
        title="济源市财政局关于开展预算执行检查的通知",
        topic=portal.documents[0].topic,
        written_on=datetime.date(2025, 7, 1),
        live=False,
    )
    folder.add_child(instance=draft)
    draft.save_revision()
    draft.refresh_from_db()
    assert draft.index_number is None, "a draft has no index number yet"
    publish(draft)
    number = draft.index_number
    assert INDEX_NUMBER.match(number)
    assert number.startswith("005423101/")  # the department's organisation code
    assert draft.department.slug == "czj", "the department follows the folder"

    first_revision = draft.latest_revision
    draft.title = "济源市财政局关于开展2025年预算执行检查的通知"
    draft.published_on = datetime.date(2026, 1, 2)
    publish(draft)
    assert draft.index_number == number
    first_revision.publish()  # publishing an older revision must not touch it either
    draft.refresh_from_db()
    assert draft.index_number == number


def test_index_numbers_are_sequential_and_unique_per_scope(portal):
    numbers = [d.index_number for d in DisclosureDocument.objects.filter(department__slug="czj")]
    assert len(set(numbers)) == len(numbers)
    assert {n.split("/")[1][:4] for n in numbers} == {"2025", "2024"}
    new = make_document(portal.folders["czj"], "济源市财政局关于政府采购意向公开的通知")
    assert new.index_number == "005423101/2025-00002"


@override_settings(DISCLOSURE_INDEX_NUMBER_PATTERN="JY-{dept}-{topic}-{year}-{seq:04d}")
def test_index_number_pattern_is_configurable(portal):
    doc = make_document(portal.folders["fgw"], "济源市发展和改革委员会关于价格监测的通知", topic_code="02")
    assert doc.index_number == "JY-fgw-02-2025-0001"


def test_repeal_and_amendment_are_shown_both_ways(portal, client):
    old = portal.documents[1]
    newer = make_document(
        portal.folders["czj"],
        "济源市财政局关于印发新版预算绩效管理办法的通知",
        document_number="济财预〔2025〕30号",
        repeals=old,
    )
    old = DisclosureDocument.objects.get(pk=old.pk)
    assert old.current_validity == Validity.REPEALED
    old_page = client.get(old.url).content.decode()
    assert "已被" in old_page and newer.title in old_page and newer.url in old_page
    new_page = client.get(newer.url).content.decode()
    assert old.title in new_page and old.url in new_page

    amending = make_document(
        portal.folders["szfb"],
        "关于修改政务公开工作通知部分条款的通知",
        amends=portal.documents[3],
        topic_code="01",
    )
    target = DisclosureDocument.objects.get(pk=portal.documents[3].pk)
    assert target.current_validity == Validity.AMENDED
    assert amending.title in client.get(target.url).content.decode()


def test_validity_from_expiry_date(portal):
    doc = make_document(
        portal.folders["czj"],
        "济源市财政局关于阶段性减免费用的通知",
        expires_on=datetime.date(2020, 1, 1),
        effective_on=datetime.date(2019, 1, 1),
        written_on=datetime.date(2019, 1, 1),
        published_on=datetime.date(2019, 1, 2),
    )
    assert doc.current_validity == Validity.EXPIRED


def test_interpretation_linked_both_ways(portal, client):
    policy = portal.documents[3]
    reading = add(
        portal.folders["szfb"],
        Interpretation(
            title="《关于进一步推进政务公开工作的通知》政策解读",
            policy=policy,
            topic=policy.topic,
            written_on=datetime.date(2025, 3, 6),
            published_on=datetime.date(2025, 3, 6),
        ),
    )
    assert reading.genre == "jiedu"
    assert reading.title in client.get(policy.url).content.decode()
    assert policy.title in client.get(reading.url).content.decode()


def test_document_page_shows_metadata_table(portal, client):
    doc = portal.documents[0]
    html = client.get(doc.url).content.decode()
    for label, value in [
        ("索引号", doc.index_number),
        ("发文字号", "济财购〔2025〕3号"),
        ("发布机构", "济源市财政局"),
        ("成文日期", "2025"),
        ("有效性", "有效"),
        ("体裁分类", "通知"),
        ("主题分类", doc.topic.name),
    ]:
        assert label in html and value in html, label


# --- the catalogue --------------------------------------------------------


def titles(response):
    return [d.title for d in response.context["documents"]]


def test_catalogue_lists_all_documents_newest_first(portal, client):
    response = client.get("/xxgk/")
    assert response.status_code == 200
    listed = titles(response)
    assert len(listed) == 4
    assert listed[-1] == "济源市财政局关于印发预算绩效管理办法的通知"  # published 2024


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("department=czj", 2),
        ("department=fgw", 1),
        ("topic=03", 2),
        ("genre=yijian", 1),
        ("year=2024", 1),
        ("validity=valid", 4),
        ("validity=repealed", 0),
        ("department=czj&year=2025", 1),
        ("q=济政〔2025〕12号", 1),
        ("department=nosuchdept", 0),
    ],
)
def test_catalogue_filters(portal, client, query, expected):
    response = client.get(f"/xxgk/?{query}")
    assert response.status_code == 200
    assert response.context["documents"].paginator.count == expected


def test_facet_counts_ignore_their_own_filter(portal, client):
    facets = client.get("/xxgk/?department=czj").context["facets"]
    departments = {o["value"]: o["count"] for o in facets["department"]}
    assert departments == {"czj": 2, "fgw": 1, "szfb": 1}, "other departments stay visible"
    assert [o["value"] for o in facets["department"] if o["selected"]] == ["czj"]
    years = {o["value"]: o["count"] for o in facets["year"]}
    assert years == {2025: 1, 2024: 1}, "other facets follow the department filter"


def test_catalogue_sorting(portal, client):
    oldest_first = titles(client.get("/xxgk/?sort=published"))
    assert oldest_first[0] == "济源市财政局关于印发预算绩效管理办法的通知"


def test_department_folder_is_its_catalogue(portal, client):
    response = client.get("/xxgk/czj/")
    assert response.status_code == 200
    assert response.context["documents"].paginator.count == 2


@pytest.mark.parametrize(
    "query",
    [
        "year=abc",
        "year=99999",
        "genre=<script>",
        "validity=1 OR 1=1",
        "department=' OR '1'='1",
        "topic=01;DROP TABLE",
        "sort=password",
        "page=abc",
        "year=%C2%B2%C2%B2%C2%B2%C2%B2",
        "q=%00abc",
        "page=%C2%B2",
        "page=-1",
        "page=99999999999999",
    ],
)
def test_bad_filter_values_are_client_errors(portal, client, query):
    response = client.get(f"/xxgk/?{query}")
    assert 400 <= response.status_code < 500
    if response.status_code == 400:
        assert "参数" in response.content.decode() or "页码" in response.content.decode()


def test_page_past_the_end_is_404(portal, client):
    assert client.get("/xxgk/?page=50").status_code == 404


def test_atom_feed_follows_the_filters(portal, client):
    response = client.get("/xxgk/feed/?department=czj")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10"
    assert {e.title for e in feed.entries} == {d.title for d in portal.documents[:2]}
    assert all(e.link.startswith("http") for e in feed.entries)
    assert client.get("/xxgk/feed/?year=abc").status_code == 400


def test_catalogue_links_to_its_feed(portal, client):
    html = client.get("/xxgk/?department=czj").content.decode()
    assert 'type="application/atom+xml"' in html
    assert "/xxgk/feed/?department=czj" in html


def test_sitemap_and_robots(portal, client):
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "/xxgk/czj/" in sitemap
    robots = client.get("/robots.txt").content.decode()
    assert "Sitemap:" in robots and "Disallow: /admin/" in robots


def test_department_catalogue_links_to_the_guide_and_reports(portal, client):
    from cms.disclosure.models import AnnualReportPage, DisclosureGuidePage

    add(portal.xxgk, DisclosureGuidePage(title="济源市人民政府信息公开指南", slug="zhinan"))
    add(
        portal.folders["czj"], AnnualReportPage(title="济源市财政局2025年政府信息公开工作年度报告", year=2025)
    )
    add(portal.folders["fgw"], AnnualReportPage(title="济源市发展和改革委员会2025年年度报告", year=2025))
    context = client.get("/xxgk/czj/").context
    assert [g.title for g in context["guides"]] == ["济源市人民政府信息公开指南"]
    assert [r.title for r in context["annual_reports"]] == ["济源市财政局2025年政府信息公开工作年度报告"]
    assert len(client.get("/xxgk/").context["annual_reports"]) == 0, "the city's list has only its own"


def test_validity_follows_the_live_superseding_document(portal, client):
    old = portal.documents[1]
    newer = make_document(
        portal.folders["czj"], "济源市财政局关于印发预算绩效管理办法（2025年修订）的通知", repeals=old
    )
    assert client.get("/xxgk/?validity=repealed").context["documents"].paginator.count == 1
    newer.unpublish()
    old = DisclosureDocument.objects.get(pk=old.pk)
    assert old.current_validity == Validity.VALID, "unpublishing the repealing document lifts the repeal"
    assert "已被" not in client.get(old.url).content.decode()
    assert client.get("/xxgk/?validity=repealed").context["documents"].paginator.count == 0


def test_copying_a_document_does_not_copy_its_index_number(portal):
    original = portal.documents[0]
    copy = original.copy(update_attrs={"slug": "copy-of-doc", "title": "复制的文件"}, keep_live=False)
    assert copy.specific.index_number is None
    publish(copy.specific)
    assert copy.specific.index_number not in (None, original.index_number)


def test_a_moved_document_follows_its_new_department(portal, client):
    from wagtail.actions.move_page import MovePageAction

    doc = portal.documents[2]  # 市发展改革委's document
    number = doc.index_number
    MovePageAction(doc, portal.folders["czj"], pos="last-child").execute(skip_permission_checks=True)
    doc = DisclosureDocument.objects.get(pk=doc.pk)
    assert doc.department.slug == "czj" and doc.index_number == number
    assert doc.title in [d.title for d in client.get("/xxgk/czj/").context["documents"]]


def test_deleting_a_policy_keeps_its_interpretations(portal, client):
    policy = portal.documents[3]
    reading = add(
        portal.folders["szfb"],
        Interpretation(
            title="政策解读：政务公开工作",
            policy=policy,
            topic=policy.topic,
            written_on=datetime.date(2025, 3, 6),
            published_on=datetime.date(2025, 3, 6),
        ),
    )
    policy.delete()
    assert client.get(reading.url).status_code == 200
