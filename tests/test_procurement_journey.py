"""The issue's "done when", as one supplier and one editor live it: register with a valid credit code, find
an open tender by filter, download its documents, verify the signature, subscribe to the category; the
editor's correction moves the deadline, the supplier is emailed and sees the new countdown; the award closes
the project."""

import datetime
import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cms.casework import notify
from cms.procurement.choices import Status
from cms.procurement.models import DownloadRecord, SavedSearch, Supplier
from tests.procurement_builders import (
    VALID_USCC,
    make_award,
    make_correction,
    make_procurement_tree,
    make_project,
    make_tender,
    pdf_bytes,
)

pytestmark = [pytest.mark.django_db, pytest.mark.anydb]

DOCUMENT = pdf_bytes("济源市第一中学教学设备采购项目招标文件", size=40_000)


def text(response):
    return response.content.decode()


def link_in(body, path):
    match = re.search(r"https?://[^\s/]+(" + re.escape(path) + r"[^\s]*)", body)
    assert match, body
    return match.group(1)


def test_a_supplier_follows_a_tender_from_registration_to_award(portal, client):
    _, folders = make_procurement_tree(portal)
    project = make_project(
        folders["czj"], number="JYCG-2026-0321", title="济源市第一中学教学设备采购项目", category="education"
    )
    make_tender(project, days=25, files=[("招标文件", DOCUMENT)])
    make_project(folders["fgw"], number="JYCG-2026-0322", title="发展改革委办公家具采购", category="office")

    # Registers with a valid credit code and verifies the email by its link.
    response = client.post(
        reverse("procurement:supplier_register"),
        {
            "company_name": "河南济源教育装备有限公司",
            "uscc": VALID_USCC,
            "contact_name": "张经理",
            "phone": "13903910001",
            "email": "bids@example.com",
            "password1": "Jiyuan-bid-2026!",
            "password2": "Jiyuan-bid-2026!",
        },
    )
    assert response.status_code == 302
    notify.deliver_due()
    confirm = link_in(mail.outbox[-1].body, "/zfcg/supplier/confirm/")
    assert client.post(confirm).status_code == 302
    supplier = Supplier.objects.get(uscc=VALID_USCC)
    assert supplier.is_verified

    # Finds the open tender by filter; the other category's project is not listed.
    listing = text(client.get("/zfcg/?category=education&status=open"))
    assert "济源市第一中学教学设备采购项目" in listing and "发展改革委办公家具采购" not in listing

    # Downloads the documents from the project page, and the download is registered.
    page = text(client.get(project.url))
    download = re.search(r'href="(/zfcg/supplier/download/\d+/)"', page).group(1)
    response = client.get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == DOCUMENT
    assert DownloadRecord.objects.filter(supplier=supplier, project=project).count() == 1

    # Verifies the signature of the file it downloaded.
    upload = SimpleUploadedFile("招标文件.pdf", DOCUMENT, content_type="application/pdf")
    verified = text(client.post(reverse("procurement:verify"), {"file": upload}))
    assert "校验通过" in verified and "JYCG-2026-0321" in verified

    # Subscribes to the category.
    new = reverse("procurement:subscription_new")
    assert client.post(new, {"category": "education", "frequency": "immediate"}).status_code == 302
    assert SavedSearch.objects.get(supplier=supplier).category == "education"

    # The editor's correction moves the deadline: the supplier is emailed and sees the new countdown.
    mail.outbox.clear()
    old_deadline = project.bid_deadline
    new_deadline = (timezone.now() + datetime.timedelta(days=40)).replace(second=0, microsecond=0)
    make_correction(project, new_bid_deadline=new_deadline)
    notify.deliver_due()
    to_supplier = [m for m in mail.outbox if "bids@example.com" in m.to]
    assert len(to_supplier) == 1, [m.subject for m in mail.outbox]
    local = timezone.localtime(new_deadline)
    assert f"{local:%H:%M}" in to_supplier[0].body and "更正" in to_supplier[0].subject
    page = text(client.get(project.url))
    assert re.search(r"距投标截止还有\s*(39|40)\s*天", page), page[:3000]
    assert project.bid_deadline != old_deadline

    # The award notice closes the project.
    make_award(project)
    project.refresh_from_db()
    assert project.status() == Status.AWARDED
    assert "已成交" in text(client.get(project.url))
    assert "济源市第一中学教学设备采购项目" in text(client.get("/zfcg/?status=awarded"))


def test_the_pages_link_to_the_open_data(portal, client):
    _, folders = make_procurement_tree(portal)
    project = make_project(folders["czj"])
    make_tender(project)
    page = text(client.get(project.url))
    record = re.search(r'href="(/api/zfcg/ocds/records/[^"]+)"', page).group(1)
    assert client.get(record).json()["records"][0]["ocid"].endswith("JYCG-2026-0001")
    listing = text(client.get("/zfcg/?method=open"))
    bulk = re.search(r'href="(/api/zfcg/ocds/releases\.json\?[^"]*)"', listing).group(1)
    assert "method=open" in bulk
    assert client.get(bulk.replace("&amp;", "&")).status_code == 200
