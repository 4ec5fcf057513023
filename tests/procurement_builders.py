"""Small procurement trees for the tests of issue 5. Builds on ``tests.builders.build_portal``.

index, folders = make_procurement_tree(portal)          # /zfcg/ + /zfcg/<slug>/ per department
project = make_project(folders["czj"], number="JYCG-2026-0001")
tender = make_tender(project, files=[("招标文件.pdf", pdf_bytes())])   # published, deadline in 30 days
"""

import datetime
import io
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from cms.procurement.models import (
    AwardedLot,
    AwardNotice,
    CorrectionNotice,
    NoticeDocument,
    ProcurementDepartmentPage,
    ProcurementFile,
    ProcurementIndexPage,
    ProcurementProject,
    ProjectLot,
    Supplier,
    TenderNotice,
    TerminationNotice,
)
from cms.procurement.trust.versions import add_version
from tests.builders import add, publish

VALID_USCC = "91110000600037341L"  # domain.md's examples
OTHER_USCC = "914403001922038216"


def pdf_bytes(text="招标文件", size=0):
    """A small valid PDF (header, one object, %%EOF), padded to ``size`` bytes if asked."""
    body = f"%PDF-1.4\n1 0 obj <</Type /Catalog>> endobj\n% {text}\n".encode()
    if size > len(body):
        body += b"%" + b"0" * (size - len(body) - 8) + b"\n"
    return body + b"%%EOF\n"


def make_procurement_tree(portal):
    index = add(portal.home, ProcurementIndexPage(title="政府采购", slug="zfcg"))
    folders = {
        slug: add(index, ProcurementDepartmentPage(title=dept.name, slug=slug, department=dept))
        for slug, dept in portal.departments.items()
    }
    return index, folders


def make_project(folder, number="JYCG-2026-0001", title="济源市财政局办公设备采购项目", **fields):
    defaults = {
        "category": "office",
        "method": "open",
        "budget": Decimal("1200000.00"),
        "summary": "采购办公桌椅、文件柜等办公家具一批。",
        "qualification": "具有独立承担民事责任的能力；具有良好的商业信誉。",
        "contact_name": "王老师",
        "contact_phone": "0391-6633100",
    }
    defaults.update(fields)
    project = ProcurementProject(title=title, project_number=number, slug=number.lower(), **defaults)
    project.lots = [ProjectLot(number=1, name="办公家具", budget=defaults["budget"])]
    return add(folder, project)


def make_file(project, title="招标文件", content=None, name="招标文件.pdf"):
    pfile = ProcurementFile.objects.create(project=project, title=title)
    add_version(pfile, io.BytesIO(content or pdf_bytes(title)), name)
    return pfile


def make_tender(project, *, days=30, files=(("招标文件", None),), start=None, **fields):
    """A published tender: documents from ``start`` (default now), deadline and opening ``days`` later."""
    start = start or timezone.now()
    deadline = (start + datetime.timedelta(days=days)).replace(second=0, microsecond=0)
    defaults = {
        "documents_from": start,
        "documents_until": min(start + datetime.timedelta(days=10), deadline),
        "bid_deadline": deadline,
        "opening_at": deadline,
    }
    defaults.update(fields)
    tender = TenderNotice(title=f"{project.title}招标公告", slug="tender", **defaults)
    tender.documents = [NoticeDocument(file=make_file(project, title, content)) for title, content in files]
    return _add_notice(project, tender)


def make_correction(project, slug="correction-1", **fields):
    defaults = {"affects_bids": True}
    defaults.update(fields)
    return _add_notice(project, CorrectionNotice(title=f"{project.title}更正公告", slug=slug, **defaults))


def make_award(project, supplier_name="河南济源某某科技有限公司", amount=Decimal("1100000"), **fields):
    defaults = {"decided_on": timezone.localdate()}
    defaults.update(fields)
    award = AwardNotice(title=f"{project.title}中标结果公告", slug="award", **defaults)
    award.awarded_lots = [
        AwardedLot(lot_number=1, supplier_name=supplier_name, supplier_uscc=OTHER_USCC, amount=amount)
    ]
    return _add_notice(project, award)


def make_termination(project, reason="提交投标文件的供应商不足三家。"):
    return _add_notice(
        project, TerminationNotice(title=f"{project.title}终止公告", slug="termination", reason=reason)
    )


def _add_notice(project, notice, skip_rules=False):
    notice.skip_timing_rules = skip_rules
    project.add_child(instance=notice)
    publish(notice)
    project.refresh_from_db()
    return notice


def make_supplier(
    uscc=VALID_USCC, email="bid@example.com", company="河南济源示例科技有限公司", verified=True
):
    user = get_user_model().objects.create_user(username=uscc, email=email, password="Supplier-pw-2026")
    return Supplier.objects.create(
        user=user,
        company_name=company,
        uscc=uscc,
        contact_name="李经理",
        phone="13903910000",
        email=email,
        email_verified_at=timezone.now() if verified else None,
    )


__all__ = ["publish"]
