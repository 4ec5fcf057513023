"""Procurement in the site search: projects and their notices are the type 政府采购, found by project
number (the project first), with the facets 公告类型, 项目状态, 采购方式, 预算金额 and the buyer as 发布机构;
publishing a notice re-indexes the project and its other notices, and ``manage.py procurement
refresh_status`` follows the clock (正在招标 → 即将截止 → 已截止) without any notice. Database fallback
here (SQLite and PostgreSQL); tests/test_procurement_search_elasticsearch.py runs the same checks on
Elasticsearch."""

import datetime
import json
from decimal import Decimal
from io import StringIO
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from wagtail.models import Page

from cms.procurement import status as project_status
from cms.procurement.models import ProcurementProject, TenderNotice
from search.models import IndexUpdate, SearchEntry
from search.service import run_search
from tests.builders import build_portal
from tests.procurement_builders import (
    make_award,
    make_correction,
    make_procurement_tree,
    make_project,
    make_tender,
    make_termination,
    publish,
)

OFFICE = "济源市财政局办公家具采购项目"
PLATFORM = "济源市发展和改革委员会信息化平台运维服务采购项目"
REPAIR = "济源市人民政府办公室公务用车维修保养采购项目"
BUILDING = "济源市财政局办公楼维修改造工程采购项目"
PRINTING = "济源市发展和改革委员会规划文本印刷采购项目"
PROCUREMENT_DOC = "济源市财政局关于做好2025年政府采购工作的通知"
TENDER_BODY = (
    "<p>根据《中华人民共和国政府采购法》等有关规定，现对本项目进行政府采购，欢迎合格的供应商参加。</p>"
)


def tender_due_in(project, hours):
    """A tender published days ago whose bid deadline is ``hours`` away (back-dated: the timing rules
    are about the moment of submission, so they are skipped, as the demo loader does)."""
    now = timezone.now()
    deadline = (now + datetime.timedelta(hours=hours)).replace(second=0, microsecond=0)
    tender = TenderNotice(
        title=f"{project.title}采购公告",
        slug="tender",
        documents_from=now - datetime.timedelta(days=20),
        documents_until=now - datetime.timedelta(days=10),
        bid_deadline=deadline,
        opening_at=deadline,
        body=TENDER_BODY,
    )
    tender.skip_timing_rules = True
    project.add_child(instance=tender)
    publish(tender)
    project.refresh_from_db()
    return tender


def build_procurement(portal):
    """Five projects of three buyers, one in each status; the notices' bodies cite the 政府采购法."""
    index, folders = make_procurement_tree(portal)
    office = make_project(folders["czj"], "JYCG-2026-0001", OFFICE, budget=Decimal("1200000"))
    office_tender = make_tender(office, days=30, body=TENDER_BODY)
    office_correction = make_correction(office, body="<p>更正采购需求中的办公桌尺寸。</p>")
    # Dates as a history has them: the project page published ten days ago, the tender first
    # published five days ago (and re-published today to fix a typo), the correction today.
    now = timezone.now()
    ten_days_ago = now - datetime.timedelta(days=10)
    Page.objects.filter(pk=office.pk).update(first_published_at=ten_days_ago, last_published_at=ten_days_ago)
    Page.objects.filter(pk=office_tender.pk).update(first_published_at=now - datetime.timedelta(days=5))
    project_status.refresh(office)
    platform = make_project(
        folders["fgw"],
        "JYCG-2026-0002",
        PLATFORM,
        method="consultation",
        category="it_services",
        budget=Decimal("3500000"),
        summary="济源市投资项目在线审批监管平台的运行维护服务，服务期一年。",
    )
    make_tender(platform, days=20, body=TENDER_BODY)
    make_award(platform, amount=Decimal("3380000"))
    repair = make_project(
        folders["szfb"],
        "JYCG-2026-0003",
        REPAIR,
        method="inquiry",
        category="vehicles",
        budget=Decimal("300000"),
        summary="市政府办公室公务用车的维修保养服务。",
    )
    make_tender(repair, days=12, body=TENDER_BODY)
    make_termination(repair)
    building = make_project(
        folders["czj"],
        "JYCG-2026-0004",
        BUILDING,
        category="building",
        budget=Decimal("15000000"),
        summary="财政局办公楼外立面和屋面防水维修改造（采购意向）。",
    )
    printing = make_project(
        folders["fgw"],
        "JYCG-2026-0005",
        PRINTING,
        method="inquiry",
        category="office",
        budget=Decimal("80000"),
        summary="国民经济和社会发展规划文本的印刷装订。",
    )
    printing_tender = tender_due_in(printing, hours=48)
    return SimpleNamespace(
        portal=portal,
        index=index,
        folders=folders,
        office=office,
        office_tender=office_tender,
        office_correction=office_correction,
        platform=platform,
        repair=repair,
        building=building,
        printing=printing,
        printing_tender=printing_tender,
    )


def process():
    call_command("search_index", "process", stdout=StringIO())  # what the worker does


def facet_counts(page, name):
    facet = next((f for f in page.facets if f.name == name), None)
    return {o.value: o.count for o in facet.options} if facet else {}


def titles(page):
    return [r["title"] for r in page.results]


def check_procurement_search(data, backend):
    """What a supplier sees searching procurement, whichever engine answers."""
    # A project number finds the project first, then its notices, however it is typed.
    for query in ("JYCG-2026-0001", "jycg-2026-0001", "JYCG—2026—0001", " JYCG－2026－0001 "):
        found = run_search(query)
        assert found.backend == backend, found.notices
        assert titles(found)[0] == OFFICE, query
        assert sorted(titles(found)[1:]) == sorted([f"{OFFICE}招标公告", f"{OFFICE}更正公告"]), query
        top = found.results[0]
        assert (top["kind"], top["kind_label"], top["notice_type"]) == ("procurement", "政府采购", "")
        assert (top["status"], top["method"], top["identifiers"]) == ("open", "open", ["JYCG-2026-0001"])
        assert top["department"] == "济源市财政局"  # the buyer
        assert {r["notice_type"] for r in found.results[1:]} == {"tender", "correction"}

    # Every project and notice mentions 采购: the type's own facets, with counts, in their order.
    page = run_search("采购", kind="procurement", per_page=20)
    assert page.total == 12  # 5 projects, 7 notices
    assert facet_counts(page, "kind")["procurement"] == 12
    assert list(facet_counts(page, "status").items()) == [
        ("upcoming", 1),
        ("open", 3),
        ("closing", 2),
        ("awarded", 3),
        ("terminated", 3),
    ]
    assert facet_counts(page, "method") == {"open": 4, "consultation": 3, "inquiry": 5}
    assert list(facet_counts(page, "budget_band").items()) == [
        ("lt50w", 5),
        ("50w-200w", 3),
        ("200w-1000w", 3),
        ("gte1000w", 1),
    ]
    assert list(facet_counts(page, "notice_type").items()) == [
        ("tender", 4),
        ("correction", 1),
        ("award", 1),
        ("termination", 1),
    ]
    assert facet_counts(page, "department") == {"czj": 4, "fgw": 5, "szfb": 3}
    labels = {f.name: str(f.label) for f in page.facets}
    assert [labels[n] for n in ("notice_type", "status", "method", "budget_band")] == [
        "公告类型",
        "项目状态",
        "采购方式",
        "预算金额",
    ]
    options = {o.value: o.label for f in page.facets for o in f.options}
    assert (options["closing"], options["consultation"], options["50w-200w"]) == (
        "即将截止",
        "竞争性磋商",
        "50万–200万元",
    )

    # Filters narrow; a facet's counts ignore its own filter; the buyer is the department facet.
    open_now = run_search("采购", status=["open", "closing"])
    assert sorted(titles(open_now)) == sorted(
        [OFFICE, f"{OFFICE}招标公告", f"{OFFICE}更正公告", PRINTING, f"{PRINTING}采购公告"]
    )
    assert facet_counts(open_now, "status")["awarded"] == 3
    assert facet_counts(open_now, "method") == {"open": 3, "inquiry": 2}
    tenders = run_search("采购", notice_type="tender", budget_band=["lt50w", "50w-200w"])
    assert sorted(titles(tenders)) == sorted(
        [f"{OFFICE}招标公告", f"{REPAIR}招标公告", f"{PRINTING}采购公告"]
    )
    fgw = run_search("采购", kind="procurement", department="fgw", method="consultation")
    assert sorted(titles(fgw)) == sorted([PLATFORM, f"{PLATFORM}招标公告", f"{PLATFORM}中标结果公告"])
    assert {r["status"] for r in fgw.results} == {"awarded"}  # the notices carry the project's status

    # A notice's date is its first publication; a project's, its latest notice's.
    dates = {r["title"]: r["date"] for r in run_search("JYCG-2026-0001").results}
    today = timezone.localdate()
    assert dates == {
        OFFICE: today,
        f"{OFFICE}招标公告": today - datetime.timedelta(days=5),
        f"{OFFICE}更正公告": today,
    }
    assert [r["title"] for r in run_search("JYCG-2026-0001", sort="date").results][-1] == f"{OFFICE}招标公告"

    # Procurement does not crowd an ordinary query: the policy document stays above the notices
    # that cite the 政府采购法 (the section page 政府采购 answers the query by its name).
    ordinary = titles(run_search("政府采购"))
    assert ordinary[0] == "政府采购"
    assert PROCUREMENT_DOC in ordinary[:3], ordinary


# --- database fallback ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def procurement_module(django_db_setup, django_db_blocker):
    """``build_procurement`` once for the module, in a transaction rolled back at its end."""
    with django_db_blocker.unblock(), override_settings(ELASTICSEARCH_URL=""):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            data = build_procurement(build_portal())
            process()
            yield data
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def indexed(procurement_module, db, settings):
    settings.ELASTICSEARCH_URL = ""
    return procurement_module


@pytest.mark.anydb
def test_procurement_is_found_by_number_and_facets(indexed):
    check_procurement_search(indexed, "database")


@pytest.mark.anydb
def test_entries_hold_the_project_facets(indexed):
    project = SearchEntry.objects.get(key=f"page:{indexed.office.pk}")
    assert (project.kind, project.url, project.department) == ("procurement", indexed.office.url, "czj")
    assert (project.status, project.method, project.budget_band, project.notice_type) == (
        "open",
        "open",
        "50w-200w",
        "",
    )
    assert project.identifiers.split() == ["JYCG-2026-0001"]
    assert "办公桌椅" in project.text and "良好的商业信誉" in project.text  # summary, qualification
    correction = SearchEntry.objects.get(key=f"page:{indexed.office_correction.pk}")
    assert (correction.notice_type, correction.status, correction.department) == ("correction", "open", "czj")
    assert "0391-6633100" not in project.text  # contact details are on the page, not search material


@pytest.mark.anydb
def test_search_page_shows_procurement_facets_and_numbers(indexed, client):
    html = client.get("/search/", {"q": "采购", "kind": "procurement"}).content.decode()
    for name, heading in (
        ("notice_type", "公告类型"),
        ("status", "项目状态"),
        ("method", "采购方式"),
        ("budget_band", "预算金额"),
    ):
        assert f'<h2 class="facet__title" id="facet-{name}">{heading}</h2>' in html, heading
    assert "项目编号：</span>JYCG-2026-0001" in html
    assert '<span class="visually-hidden">项目状态：</span>正在招标' in html
    assert '<span class="visually-hidden">采购方式：</span>公开招标' in html
    assert '<span class="visually-hidden">公告类型：</span>更正公告' in html
    assert '<span class="visually-hidden">采购人：</span>济源市财政局' in html
    assert 'href="?q=%E9%87%87%E8%B4%AD&amp;kind=procurement&amp;status=closing"' in html
    # Budget bands read as a scale, smallest first, not by count.
    assert html.index("50万元以下") < html.index("50万–200万元") < html.index("1000万元及以上")

    # The facets appear only where procurement results are: not for a query that finds none.
    other = client.get("/search/", {"q": "政务公开"}).content.decode()
    assert "政务公开" in other and 'id="facet-kind"' in other
    assert 'id="facet-status"' not in other and 'id="facet-method"' not in other


@pytest.mark.anydb
def test_unknown_procurement_facet_values_are_dropped_with_a_notice(indexed, client):
    response = client.get("/search/", {"q": "采购", "status": "bogus", "budget_band": "1e30"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "筛选条件“项目状态”没有“bogus”这一项，已忽略。" in html
    assert "筛选条件“预算金额”没有“1e30”这一项，已忽略。" in html
    assert "JYCG-2026-0001" in html  # the other filters still apply


@pytest.mark.anydb
def test_api_search_lists_procurement_facets(indexed, client):
    response = client.get("/api/search", {"q": "JYCG-2026-0002", "status": "awarded"})
    assert response.status_code == 200
    body = response.json()
    top = body["results"][0]
    assert (top["title"], top["kind"], top["status"], top["method"]) == (
        PLATFORM,
        "procurement",
        "awarded",
        "consultation",
    )
    facets = {f["name"]: {o["value"]: o["count"] for o in f["options"]} for f in body["facets"]}
    assert facets["status"] == {"awarded": 3}
    assert facets["notice_type"] == {"tender": 1, "award": 1}
    spec = json.dumps(client.get("/api/openapi.json").json(), ensure_ascii=False)
    assert "项目状态（政府采购）" in spec and "budget_band" in spec


# --- keeping the status current ------------------------------------------------------------------


ARCHIVES = "济源市财政局档案数字化加工服务采购项目"


@pytest.fixture
def fresh(indexed):
    """A project of its own beside the module's (these tests publish and move the clock; each test's
    changes are rolled back after it)."""
    project = make_project(indexed.folders["czj"], "JYCG-2026-0101", ARCHIVES, category="it_services")
    tender = make_tender(project, days=30, body=TENDER_BODY)
    process()
    return SimpleNamespace(folders=indexed.folders, project=project, tender=tender)


def statuses(*pages):
    keys = [f"page:{p.pk}" for p in pages]
    found = dict(SearchEntry.objects.filter(key__in=keys).values_list("key", "status"))
    return [found.get(k) for k in keys]


def move_clock(project, hours):
    """As if ``hours`` had passed: the schedule moves that much closer to now. Nothing is published,
    no signal is sent (the columns and the live notice row change in place, as time would have it)."""
    delta = datetime.timedelta(hours=hours)
    fields = ("documents_from", "documents_until", "bid_deadline", "opening_at")
    row = ProcurementProject.objects.filter(pk=project.pk).values(*fields).get()
    ProcurementProject.objects.filter(pk=project.pk).update(**{f: v - delta for f, v in row.items()})
    tenders = TenderNotice.objects.child_of(project)
    for tender in tenders:
        TenderNotice.objects.filter(pk=tender.pk).update(**{f: getattr(tender, f) - delta for f in fields})
    project.refresh_from_db()


def refresh_status(*args, **options):
    out = StringIO()
    call_command("procurement", "refresh_status", *args, stdout=out, **options)
    return out.getvalue()


@pytest.mark.anydb
def test_publishing_a_notice_reindexes_the_project_and_its_other_notices(fresh):
    project, tender = fresh.project, fresh.tender
    assert statuses(project, tender) == ["open", "open"]
    IndexUpdate.objects.all().delete()
    award = make_award(project)
    queued = set(IndexUpdate.objects.values_list("key", flat=True))
    assert queued == {f"page:{p.pk}" for p in (project, tender, award)}
    process()
    assert statuses(project, tender, award) == ["awarded", "awarded", "awarded"]
    assert run_search("JYCG-2026-0101", status="open").total == 0
    assert titles(run_search("JYCG-2026-0101", status="awarded"))[0] == ARCHIVES

    # Withdrawing the award re-opens the project (in the search too).
    award.unpublish()
    process()
    assert statuses(project, tender, award) == ["open", "open", None]
    # Deleting a notice does as much: a termination, then deleted again.
    termination = make_termination(project)
    process()
    assert statuses(project, tender) == ["terminated", "terminated"]
    termination.delete()
    process()
    assert statuses(project, tender) == ["open", "open"]

    # Editing the project (its method) re-indexes its notices, whose facets are the project's.
    project = ProcurementProject.objects.get(pk=project.pk)
    project.method = "selective"
    publish(project)
    process()
    assert SearchEntry.objects.get(key=f"page:{tender.pk}").method == "selective"


@pytest.mark.anydb
def test_refresh_status_follows_the_clock(fresh):
    project, tender = fresh.project, fresh.tender
    other = make_project(fresh.folders["fgw"], "JYCG-2026-0102", "济源市发展和改革委员会课题研究服务采购项目")
    other_tender = make_tender(other, days=25)
    process()
    assert refresh_status(verbosity=2) == "状态已变化的项目：0 个，已加入索引更新队列：0 条\n"
    assert refresh_status() == ""  # quiet when nothing changed: the scheduler runs it every minute

    # 27 days later the bid deadline is under 72 hours away: 即将截止, with no notice published.
    move_clock(project, hours=27 * 24 + 1)
    assert project.status() == "closing"
    assert statuses(project, tender) == ["open", "open"]
    dry = refresh_status("--dry-run")
    assert dry == f"  JYCG-2026-0101 {ARCHIVES}：即将截止\n状态已变化、待重新索引的项目：1 个（未加入队列）\n"
    assert not IndexUpdate.objects.filter(done_at__isnull=True).exists()
    assert refresh_status() == "状态已变化的项目：1 个，已加入索引更新队列：2 条\n"
    assert set(IndexUpdate.objects.filter(done_at__isnull=True).values_list("key", flat=True)) == {
        f"page:{project.pk}",
        f"page:{tender.pk}",
    }
    process()
    assert statuses(project, tender, other, other_tender) == ["closing", "closing", "open", "open"]
    assert titles(run_search("JYCG-2026-0101", status="closing")) == [ARCHIVES, f"{ARCHIVES}招标公告"]
    assert refresh_status() == ""  # in step again

    # Past the deadline: 已截止.
    move_clock(project, hours=3 * 24 + 1)
    refresh_status()
    process()
    assert statuses(project, tender) == ["closed", "closed"]

    # A notice's entry alone out of step (a crash between two writes) is found too.
    SearchEntry.objects.filter(key=f"page:{other_tender.pk}").update(status="closed")
    assert refresh_status() == "状态已变化的项目：1 个，已加入索引更新队列：2 条\n"
    process()
    assert statuses(other, other_tender) == ["open", "open"]


@pytest.mark.anydb
def test_refresh_status_leaves_unindexed_and_draft_projects_alone(fresh):
    draft = make_project(fresh.folders["fgw"], "JYCG-2026-0103", "济源市发展和改革委员会会议服务采购项目")
    draft.unpublish()
    process()
    assert not SearchEntry.objects.filter(key=f"page:{draft.pk}").exists()
    move_clock(fresh.project, hours=27 * 24 + 1)
    SearchEntry.objects.filter(key=f"page:{fresh.tender.pk}").delete()  # not indexed (yet)
    assert refresh_status() == "状态已变化的项目：1 个，已加入索引更新队列：2 条\n"
    process()
    assert statuses(fresh.project, fresh.tender, draft) == ["closing", "closing", None]
