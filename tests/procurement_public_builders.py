"""A small procurement site in every state, for the public pages' tests (list, pages, feed, calendar).

site = build_zfcg(portal)
site.open, site.closing, site.closed, site.awarded, site.terminated, site.upcoming  # live projects
site.draft                                                                          # never published
"""

import datetime
from decimal import Decimal
from types import SimpleNamespace

from django.utils import timezone

from cms.procurement.models import NoticeDocument, ProcurementProject, TenderNotice
from tests.builders import publish
from tests.procurement_builders import (
    make_award,
    make_correction,
    make_file,
    make_procurement_tree,
    make_project,
    make_tender,
    make_termination,
)


def backdated_tender(project, *, start, deadline, place="济源市公共资源交易中心第二开标室"):
    """A tender published as if ``start`` were today (the timing rules are about the moment of submission)."""
    tender = TenderNotice(
        title=f"{project.title}招标公告",
        slug="tender",
        documents_from=start,
        documents_until=min(start + datetime.timedelta(days=7), deadline),
        bid_deadline=deadline,
        opening_at=deadline,
        opening_place=place,
    )
    tender.documents = [NoticeDocument(file=make_file(project, "招标文件"))]
    tender.skip_timing_rules = True
    project.add_child(instance=tender)
    publish(tender)
    project.refresh_from_db()
    return tender


def set_published(project, when):
    """Pretend the project's latest notice went out at ``when`` (the list's publication date)."""
    ProcurementProject.objects.filter(pk=project.pk).update(latest_notice_at=when)


def build_zfcg(portal):
    now = timezone.now()
    index, folders = make_procurement_tree(portal)
    site = SimpleNamespace(index=index, folders=folders)
    site.open = make_project(
        folders["czj"],
        number="JYCG-2026-0001",
        title="济源市财政局办公家具采购项目",
        budget=Decimal("1200000"),
    )
    site.tender = make_tender(site.open, days=30)
    site.closing = make_project(
        folders["fgw"],
        number="JYCG-2026-0002",
        title="济源市发展和改革委员会信息化设备采购项目",
        category="it_equipment",
        method="inquiry",
        budget=Decimal("380000"),
    )
    backdated_tender(
        site.closing,
        start=now - datetime.timedelta(days=5),
        deadline=(now + datetime.timedelta(hours=30)).replace(second=0, microsecond=0),
    )
    site.closed = make_project(
        folders["fgw"],
        number="JYCG-2026-0003",
        title="济源市发展和改革委员会物业管理服务采购项目",
        category="property",
        method="consultation",
        budget=Decimal("2600000"),
    )
    backdated_tender(
        site.closed,
        start=now - datetime.timedelta(days=25),
        deadline=(now - datetime.timedelta(days=2)).replace(second=0, microsecond=0),
    )
    site.awarded = make_project(
        folders["szfb"],
        number="JYCG-2026-0004",
        title="济源市人民政府办公室公务用车采购项目",
        category="vehicles",
        budget=Decimal("15000000"),
    )
    backdated_tender(
        site.awarded,
        start=now - datetime.timedelta(days=40),
        deadline=(now - datetime.timedelta(days=10)).replace(second=0, microsecond=0),
    )
    site.award = make_award(site.awarded, amount=Decimal("14200000"))
    site.terminated = make_project(
        folders["czj"],
        number="JYCG-2026-0005",
        title="济源市财政局档案数字化服务采购项目",
        category="it_services",
        budget=Decimal("450000"),
    )
    make_tender(site.terminated, days=25)
    site.termination = make_termination(site.terminated)
    site.upcoming = make_project(
        folders["czj"],
        number="JYCG-2026-0006",
        title="济源市财政局园林绿化养护采购意向",
        category="landscaping",
        budget=Decimal("800000"),
    )
    site.draft = make_project(
        folders["czj"], number="JYCG-2026-0099", title="草稿项目不应公开", budget=Decimal("990000")
    )
    site.draft.unpublish()
    site.live = [site.open, site.closing, site.closed, site.awarded, site.terminated, site.upcoming]
    return site


__all__ = ["build_zfcg", "backdated_tender", "make_correction", "set_published"]
