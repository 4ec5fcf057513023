"""The demo procurement: 160 realistic projects of the city's real buyers in every state on the day of
loading, signed PDF tender documents, corrections that move deadlines and replace documents, awards,
contracts, terminations and three supplier accounts with downloads, emails and saved searches.

The plan (which projects, which schedule) is checked whole here; the loader runs on a small count (the whole
demo is loaded by `manage.py load_demo`)."""

import datetime
import hashlib
from collections import Counter
from decimal import Decimal

import pytest
from django.contrib.auth import authenticate
from django.utils import timezone
from django.utils.functional import empty
from wagtail.models import Page

from cms.casework import workdays
from cms.casework.identity import validate_uscc
from cms.casework.storage import private_storage
from cms.core.models import ContentPage, NavigationItem, NavigationSettings
from cms.home.models import HomePage
from cms.procurement import rules
from cms.procurement.choices import Method, Status
from cms.procurement.models import (
    AwardNotice,
    ContractNotice,
    CorrectionNotice,
    DownloadRecord,
    ProcurementFileVersion,
    ProcurementIndexPage,
    ProcurementProject,
    SavedSearch,
    Supplier,
    SupplierNotification,
    TenderNotice,
    TerminationNotice,
)
from cms.procurement.models.project import project_number_validator
from cms.procurement.trust.versions import verify_version
from fixtures import procurement as demo
from fixtures import procurement_data as data
from fixtures import procurement_pdf
from fixtures.load import DEMO_PASSWORD, DemoLoader

SMALL = 14  # two of most scenarios: every state, every kind of notice, a replaced document
# The demo is relative to the moment of loading; the tests load it as of an ordinary Tuesday afternoon, so
# that their outcome does not depend on the day they run (holidays are tested apart).
ORDINARY_DAY = timezone.make_aware(datetime.datetime(2026, 11, 17, 15, 0))


def _spec(**overrides):
    moment = timezone.localtime(timezone.now()).replace(second=0, microsecond=0)
    spec = {
        "title": "济源市第一中学2026年智慧黑板采购项目",
        "project_number": "JYCG-2026-0012",
        "document_name": "招标文件",
        "method": "open",
        "method_label": "公开招标",
        "kind": "goods",
        "buyer": "济源市第一中学",
        "agency": "河南济源正诚招标代理有限公司",
        "budget": Decimal("2860000"),
        "ceiling_price": Decimal("2800000"),
        "lots": [(1, "智慧黑板", Decimal("2860000"), "86块", "原厂全新产品，质保三年。")],
        "qualification": data.COMMON_QUALIFICATION,
        "documents_from": moment,
        "documents_until": moment + datetime.timedelta(days=7),
        "bid_deadline": moment + datetime.timedelta(days=25),
        "opening_at": moment + datetime.timedelta(days=25),
        "opening_place": data.OPENING_PLACES[0],
        "contact": "张老师 0391-6651236",
        "issued_on": moment.date(),
    }
    spec.update(overrides)
    return spec


def is_pdf(content):
    return content.startswith(b"%PDF-") and content.rstrip().endswith(b"%%EOF")


# --- PDFs ------------------------------------------------------------------------------------------------


def test_a_tender_document_is_a_multi_page_pdf_with_its_chapters_and_project_number():
    content = procurement_pdf.tender_document(_spec())
    assert is_pdf(content)
    assert procurement_pdf.page_count(content) >= 6  # cover, 目录, four chapters
    assert b"/Subject (JYCG-2026-0012)" in content and b"STSong-Light" in content
    second = procurement_pdf.tender_document(
        _spec(method="inquiry"), version=2, change_note="依据更正公告修改"
    )
    assert is_pdf(second) and second != content
    with pytest.raises(KeyError):
        procurement_pdf.tender_document({"title": "缺字段"})


def test_scanned_drawings_reach_the_size_asked_for():
    content = procurement_pdf.scanned_drawings("施工图", "JYCG-2026-0001", 2_000_000, seed=3)
    assert is_pdf(content) and procurement_pdf.page_count(content) == 2
    assert 1_800_000 < len(content) < 2_300_000


# --- the plan ---------------------------------------------------------------------------------------------


def test_vocabulary_every_unit_buys_something_in_each_of_its_categories():
    from fixtures.departments import DEPARTMENTS_BY_SLUG

    assert set(data.BUYERS) <= set(DEPARTMENTS_BY_SLUG) and len(data.BUYERS) >= 20
    for _, units in data.BUYERS.values():
        for unit, categories in units:
            for category in categories:
                assert data.items_for(unit, category), (unit, category)
    codes = [data.agency_uscc(i) for i in range(len(data.AGENCIES))]
    codes += [data.bidder_uscc(i) for i in range(len(data.BIDDERS))]
    assert len(set(codes)) == len(codes)
    for code in codes:
        validate_uscc(code)


@pytest.fixture(scope="module")
def full_plan(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        return ORDINARY_DAY, demo.plan_projects(demo.PROJECT_COUNT, ORDINARY_DAY)


def _status_at(plan, now):
    deadline = plan.get("bid_deadline")
    for correction in plan["corrections"]:
        deadline = correction.get("new_bid_deadline") or deadline
    return demo._status({**plan, "final_deadline": deadline}, now)


def _moments(plan):
    moments = [plan["project_published"]]
    moments += [plan[k] for k in ("tender_at",) if k in plan]
    moments += [c["at"] for c in plan.get("corrections", [])]
    moments += [plan[k]["at"] for k in ("award", "contract", "termination") if k in plan]
    return moments


@pytest.mark.django_db
def test_the_demo_plan_is_large_and_varied(full_plan):
    now, plans = full_plan
    assert len(plans) >= 150
    methods = Counter(p["method"] for p in plans)
    assert set(methods) == set(Method.values) and min(methods.values()) >= 3, methods
    assert len({p["category"] for p in plans}) >= 13
    assert len({p["department"] for p in plans}) >= 20
    assert len({p["agency"] for p in plans if p["agency"] is not None}) == len(data.AGENCIES)
    assert sum(1 for p in plans if p["agency"] is None) >= 20  # some run by the buyer itself
    assert sum(1 for p in plans if len(p["lots"]) > 1) >= 20
    numbers = [p["number"] for p in plans]
    titles = [p["title"] for p in plans]
    assert len(set(numbers)) == len(numbers) and len(set(titles)) == len(titles)
    for number in numbers:
        project_number_validator(number)
    for plan in plans:
        assert sum(lot["budget"] for lot in plan["lots"]) == plan["budget"] > 0, plan["title"]
        assert plan["ceiling_price"] <= plan["budget"]
        assert Decimal("100000") <= plan["budget"] < Decimal("100000000")  # 10万元 to 1亿元
        assert all(moment <= now for moment in _moments(plan)), plan["title"]
    scenarios = Counter(p["scenario"] for p in plans)
    assert scenarios["awarded"] >= 40 and scenarios["open"] >= 30 and min(scenarios.values()) >= 5, scenarios
    corrections = [c for p in plans for c in p["corrections"]]
    assert sum(c["kind"] == "moving" for c in corrections) >= 15
    assert sum(c["kind"] == "clarifying" for c in corrections) >= 5
    assert sum(c["replace_document"] for c in corrections) >= 5
    assert sum("contract" in p for p in plans) >= 15


@pytest.mark.django_db
def test_every_planned_schedule_puts_the_project_in_its_state_and_obeys_the_timing_rules(full_plan):
    now, plans = full_plan
    table = workdays.overrides()
    for plan in plans:
        title = plan["title"]
        if plan["scenario"] == "intention":
            assert "tender_at" not in plan and plan["planned_month"] > timezone.localdate(now)
            continue
        tender_at = plan["tender_at"]
        assert plan["project_published"] <= tender_at - datetime.timedelta(days=30), title  # 采购意向
        errors = rules.check_tender(
            plan["method"],
            plan["documents_from"],
            plan["documents_until"],
            plan["bid_deadline"],
            plan["bid_deadline"],
            tender_at,
        )
        assert not errors, (title, errors)
        assert workdays.is_workday(timezone.localdate(plan["bid_deadline"]), table), title
        assert not plan["relaxed"], title
        deadline = plan["bid_deadline"]
        for correction in plan["corrections"]:
            errors = rules.check_correction(
                plan["method"],
                deadline,
                correction["kind"] == "moving",
                correction.get("new_bid_deadline"),
                correction.get("new_bid_deadline"),
                correction["at"],
            )
            assert not errors, (title, errors)
            assert tender_at < correction["at"] < deadline, title
            deadline = correction.get("new_bid_deadline") or deadline
        if "award" in plan:
            assert (
                deadline < plan["award"]["at"] and plan["award"]["decided_on"] <= plan["award"]["at"].date()
            )
            late = timezone.localdate(plan["award"]["at"]) > rules.award_deadline(plan["award"]["decided_on"])
            assert late == plan["features"]["late_award"], title
        if "contract" in plan:
            assert plan["award"]["at"].date() < plan["contract"]["signed_on"] <= plan["contract"]["at"].date()
        assert _status_at(plan, now) == demo.SCENARIO_STATUS[plan["scenario"]], title


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("moment", "relaxed"),
    [
        (None, 30),  # now, whatever day it is
        (datetime.datetime(2026, 2, 18, 10, 0), 30),  # the middle of the Spring Festival holiday
        (datetime.datetime(2026, 10, 4, 9, 0), 30),  # National Day week
        (datetime.datetime(2026, 11, 21, 23, 30), 0),  # a Saturday night: Monday's deadlines are near
    ],
)
def test_the_plan_fits_any_day_of_loading(moment, relaxed):
    """Whatever the day, every project is in its state; deadlines leave working days only when a long
    holiday leaves no working day in reach (then ``relaxed``)."""
    now = timezone.make_aware(moment) if moment else timezone.now()
    plans = demo.plan_projects(demo.PROJECT_COUNT, now)
    for plan in plans:
        assert all(m <= now for m in _moments(plan)), plan["title"]
        assert _status_at(plan, now) == demo.SCENARIO_STATUS[plan["scenario"]], plan["title"]
    assert Counter(p["scenario"] for p in plans) == Counter(demo.scenario_counts(demo.PROJECT_COUNT))
    assert sum(bool(p.get("relaxed")) for p in plans) <= relaxed


# --- the loader -------------------------------------------------------------------------------------------


@pytest.fixture
def storage(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    private_storage._wrapped = empty
    yield
    private_storage._wrapped = empty


def start_demo():
    """What the loader has done before procurement in a database loaded before it existed: departments,
    the home page, and a placeholder content page at /zfcg/ that the home page and the navigation use."""
    loader = DemoLoader()
    loader.load_settings_and_departments()
    home = loader.load_home()
    placeholder = loader.child(home, "zfcg", lambda: ContentPage(title="政府采购"))
    home.procurement_page = placeholder
    home.save_revision().publish()
    nav = NavigationSettings.for_site(loader.site)
    NavigationItem.objects.create(setting=nav, title="政府采购", page=placeholder, sort_order=0)
    NavigationItem.objects.create(setting=nav, title="资源目录", url="/ziyuan/", sort_order=1)
    return loader, home


@pytest.mark.anydb
def test_the_loader_builds_every_state_with_signed_pdfs_awards_and_suppliers(db, storage):
    loader, home = start_demo()
    now = ORDINARY_DAY
    result = demo.load(loader, home, count=SMALL, now=now)
    stats = result["stats"]
    assert stats.rule_exemptions == []  # every back-dated notice passed the timing rules of its moment

    # /zfcg/ replaced the placeholder; the home tile and the navigation followed it.
    index = Page.objects.child_of(home).get(slug="zfcg")
    assert (
        index.specific_class is ProcurementIndexPage and not ContentPage.objects.filter(slug="zfcg").exists()
    )
    assert HomePage.objects.get(pk=home.pk).procurement_page_id == index.pk
    assert NavigationItem.objects.get(title="政府采购").page_id == index.pk

    projects = ProcurementProject.objects.live().with_status(now).select_related("buyer")
    assert projects.count() == SMALL == result["created"]
    statuses = {p.project_number: p.current_status for p in projects}
    assert {p.status(now) for p in projects} == set(statuses.values()) == set(Status.values)
    for project in projects:
        assert project.status(now) == statuses[project.project_number]
        assert project.url_path.startswith(f"{index.url_path}{project.buyer.slug}/")

    # Tender documents: real PDFs, digests that match the bytes, signatures that verify.
    versions = ProcurementFileVersion.objects.filter(published_at__isnull=False)
    assert versions.count() == stats.versions >= SMALL - 3
    for version in versions:
        with version.blob.open("rb") as handle:
            content = handle.read()
        assert is_pdf(content) and procurement_pdf.page_count(content) >= 5
        assert hashlib.sha256(content).hexdigest() == version.sha256 and len(content) == version.size
        assert verify_version(version)
        assert version.original_name.endswith(".pdf") and version.published_at <= now

    # A correction that moved the deadline, and one that published a second version of the document.
    moved = [c for c in CorrectionNotice.objects.live() if c.new_bid_deadline]
    assert moved
    for correction in moved:
        project = ProcurementProject.objects.get(pk=correction.get_parent().pk)
        tender = TenderNotice.objects.child_of(project).get()
        assert correction.new_bid_deadline > tender.bid_deadline
        assert correction.new_bid_deadline - correction.first_published_at >= datetime.timedelta(days=5)
        latest = CorrectionNotice.objects.child_of(project).live().order_by("-first_published_at").first()
        assert project.bid_deadline == latest.new_bid_deadline == project.opening_at
    second = versions.filter(number=2).first()
    correction = CorrectionNotice.objects.get(documents__file=second.procurement_file)
    assert second.published_at == correction.first_published_at
    first = versions.get(procurement_file=second.procurement_file, number=1)
    assert first.sha256 != second.sha256 and first.published_at < second.published_at

    # Results: awards with their lots and amounts, contracts, terminations; timelines in order.
    awards = AwardNotice.objects.live()
    assert awards.exists() and ContractNotice.objects.live().exists() and TerminationNotice.objects.exists()
    for award in awards:
        project = ProcurementProject.objects.get(pk=award.get_parent().pk)
        assert project.awarded_amount == award.total_amount() < project.budget
        assert award.awarded_lots.count() == project.lots.count()
        assert award.first_published_at > project.bid_deadline
    for project in projects:
        timeline = [n.first_published_at for n in project.notices()]
        assert timeline == sorted(timeline) and all(moment <= now for moment in timeline)
        assert project.first_published_at <= min(timeline, default=project.first_published_at)

    # Three verified suppliers who log in with their credit code, each with downloads and a saved search;
    # those who downloaded before a correction or termination were emailed about it.
    suppliers = Supplier.objects.all()
    assert [(s.uscc, s.company_name) for s in suppliers.order_by("pk")] == result["accounts"]
    assert len(result["accounts"]) == 3
    for supplier in suppliers:
        assert supplier.is_verified
        assert authenticate(username=supplier.uscc, password=DEMO_PASSWORD) == supplier.user
        assert supplier.downloads.exists() and SavedSearch.objects.filter(supplier=supplier).count() == 1
        for record in supplier.downloads.select_related("version"):
            assert record.version.published_at <= record.downloaded_at <= now
    told = SupplierNotification.objects.select_related("notification", "notice")
    assert told.exists()
    for entry in told:
        assert entry.notification.sent_at and entry.notification.to == entry.supplier.email
        earlier = DownloadRecord.objects.filter(
            supplier=entry.supplier, project_id=entry.notice.get_parent().pk
        ).order_by("downloaded_at")
        assert earlier.first().downloaded_at < entry.notice.first_published_at
    assert DownloadRecord.objects.filter(version__number=2).exists()  # downloaded again after the replacement
    assert result["try_url"].startswith("http") and "/zfcg/" in result["try_url"]

    # A second run creates nothing.
    counts = (Page.objects.count(), ProcurementFileVersion.objects.count(), DownloadRecord.objects.count())
    again = demo.load(loader, HomePage.objects.get(pk=home.pk), count=SMALL, now=now)
    assert again["created"] == 0
    assert (
        Page.objects.count(),
        ProcurementFileVersion.objects.count(),
        DownloadRecord.objects.count(),
    ) == counts
    assert Supplier.objects.count() == 3 and NavigationItem.objects.filter(title="政府采购").count() == 1
