"""Downloading tender documents: only verified suppliers, only versions a live public notice offers,
streamed (memory stays flat) with a safe name and the right headers, recorded before the first byte;
guessed ids and unpublished files are one Chinese 404; old versions point to the newest."""

import datetime
import io
import tracemalloc
from urllib.parse import unquote

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from cms.procurement.models import DownloadRecord, NoticeDocument, ProcurementFile, ProcurementFileVersion
from cms.procurement.suppliers.downloads import safe_filename
from cms.procurement.trust.versions import add_version
from tests.procurement_builders import (
    make_correction,
    make_procurement_tree,
    make_project,
    make_supplier,
    make_tender,
    pdf_bytes,
)

pytestmark = pytest.mark.django_db

CONTENT = pdf_bytes("济源市财政局办公设备采购项目招标文件")


@pytest.fixture
def tree(portal):
    return make_procurement_tree(portal)


@pytest.fixture
def project(tree):
    _, folders = tree
    project = make_project(folders["czj"])
    make_tender(project, files=[("招标文件", CONTENT)])
    return project


@pytest.fixture
def version(project):
    return project.files.get().published_version()


@pytest.fixture
def supplier():
    return make_supplier()


def url(version_id):
    return reverse("procurement:download", args=[version_id])


def body(response):
    return b"".join(response.streaming_content)


def html(response):
    return response.content.decode()


@pytest.mark.anydb
def test_a_verified_supplier_downloads_the_published_version_and_it_is_recorded(
    client, project, version, supplier
):
    client.force_login(supplier.user)
    response = client.get(url(version.pk))
    assert response.status_code == 200 and response.streaming
    # Recorded (and committed) before a byte went out.
    record = DownloadRecord.objects.get()
    assert (record.supplier, record.project, record.version) == (supplier, project, version)
    assert body(response) == CONTENT
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Length"] == str(len(CONTENT))
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"].startswith("private")
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="JYCG-2026-0001-')
    assert unquote(disposition.split("filename*=UTF-8''")[1]) == "招标文件.pdf"
    assert response["Repr-Digest"].startswith("sha-256=:")
    client.get(url(version.pk))
    assert DownloadRecord.objects.count() == 2  # each download is registered


def test_anonymous_visitors_go_to_the_login_page_and_come_back(client, version, supplier):
    response = client.get(url(version.pk))
    assert response.status_code == 302
    assert (
        response["Location"] == f"/zfcg/supplier/login/?next=%2Fzfcg%2Fsupplier%2Fdownload%2F{version.pk}%2F"
    )
    logged_in = client.post(response["Location"], {"account": supplier.uscc, "password": "Supplier-pw-2026"})
    assert logged_in["Location"] == url(version.pk)
    assert body(client.get(logged_in["Location"])) == CONTENT
    # A guessed id without login: the same login page, nothing said about the id.
    assert client.__class__().get(url(999999))["Location"].startswith("/zfcg/supplier/login/")


def test_an_unverified_supplier_is_asked_to_verify_first(client, version):
    supplier = make_supplier(verified=False)
    client.force_login(supplier.user)
    response = client.get(url(version.pk))
    assert response.status_code == 403
    assert "请先验证电子邮箱" in html(response) and "重新发送验证邮件" in html(response)
    assert not DownloadRecord.objects.exists()


@pytest.mark.anydb
def test_guessed_draft_and_unpublished_files_are_one_chinese_404(client, tree, project, version, supplier):
    _, folders = tree
    pfile = project.files.get()
    draft_version = add_version(pfile, io.BytesIO(pdf_bytes("未发布的第2版")), "第2版.pdf")
    loose = ProcurementFile.objects.create(project=project, title="未挂到公告的文件")
    loose_version = add_version(loose, io.BytesIO(pdf_bytes("loose")), "loose.pdf")
    ProcurementFileVersion.objects.filter(pk=loose_version.pk).update(published_at=timezone.now())
    # A project whose tender is a draft: its file was never published.
    unpublished = make_project(folders["czj"], number="JYCG-2026-0009", title="草稿项目")
    pending = ProcurementFile.objects.create(project=unpublished, title="草稿文件")
    pending_version = add_version(pending, io.BytesIO(pdf_bytes("draft")), "draft.pdf")
    client.force_login(supplier.user)
    for version_id in (999999, draft_version.pk, loose_version.pk, pending_version.pk, 2**63 + 5):
        response = client.get(url(version_id))
        assert response.status_code == 404, version_id
        assert "未找到该采购文件" in html(response)
        assert b"%PDF" not in response.content
    # Withdrawing the tender withdraws its documents.
    project.get_children().first().specific.unpublish()
    assert client.get(url(version.pk)).status_code == 404
    assert not DownloadRecord.objects.exists()


@pytest.mark.anydb
def test_an_old_version_points_to_the_new_one_and_stays_available_for_comparison(
    client, project, version, supplier
):
    pfile = project.files.get()
    add_version(pfile, io.BytesIO(pdf_bytes("更正后的招标文件")), "招标文件（更正）.pdf")
    make_correction(project, documents=[NoticeDocument(file=pfile)])  # publishes version 2
    newest = pfile.published_version()
    assert newest.number == 2
    client.force_login(supplier.user)
    offer = client.get(url(version.pk))
    assert offer.status_code == 200 and not offer.streaming
    page = html(offer)
    assert "已被第2版替换" in page and url(newest.pk) in page and f"{url(version.pk)}?old=1" in page
    assert not DownloadRecord.objects.exists()
    assert body(client.get(url(version.pk) + "?old=1")) == CONTENT
    assert body(client.get(url(newest.pk))) == pdf_bytes("更正后的招标文件")
    assert [r.version.number for r in DownloadRecord.objects.order_by("pk")] == [1, 2]


def test_the_documents_period_is_kept(client, tree, supplier):
    _, folders = tree
    project = make_project(folders["czj"])
    start = timezone.now() + datetime.timedelta(days=2)
    make_tender(project, start=start, days=30)
    version = project.files.get().published_version()
    client.force_login(supplier.user)
    early = client.get(url(version.pk))
    assert early.status_code == 403 and "尚未到获取采购文件的时间" in html(early)

    # After the period: whoever obtained the documents in time may download again, nobody else.
    project.__class__.objects.filter(pk=project.pk).update(
        documents_from=timezone.now() - datetime.timedelta(days=20),
        documents_until=timezone.now() - datetime.timedelta(days=1),
    )
    late = client.get(url(version.pk))
    assert late.status_code == 403 and "获取采购文件的期限已过" in html(late)
    project.refresh_from_db()
    DownloadRecord.objects.create(supplier=supplier, project=project, version=version)
    assert client.get(url(version.pk)).status_code == 200


def test_head_checks_without_registering_a_download(client, version, supplier):
    client.force_login(supplier.user)
    assert client.head(url(version.pk)).status_code == 200
    assert client.post(url(version.pk)).status_code == 405
    assert not DownloadRecord.objects.exists()


def test_a_large_file_is_streamed_not_read_into_memory(client, project, supplier):
    size = 8 * 1024 * 1024
    pfile = ProcurementFile.objects.create(project=project, title="图纸")
    big = add_version(pfile, io.BytesIO(pdf_bytes("图纸", size=size)), "图纸.pdf")
    ProcurementFileVersion.objects.filter(pk=big.pk).update(published_at=timezone.now())
    NoticeDocument.objects.create(notice=project.get_children().first().specific, file=pfile)
    client.force_login(supplier.user)
    tracemalloc.start()
    try:
        response = client.get(url(big.pk))
        received = 0
        for chunk in response.streaming_content:
            received += len(chunk)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    response.close()
    assert received == big.size
    assert peak < 2 * 1024 * 1024, f"peak {peak} bytes while streaming {size} bytes"  # ~0.6 MB measured


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("招标文件.pdf", "招标文件.pdf"),
        ("../../etc/passwd", "passwd.pdf"),
        ("C:\\Users\\王\\桌面\\技术规格.docx", "技术规格.docx"),
        ('a"b\r\nContent-Type: text.pdf', "abContent-Type text.pdf"),
        ("  ..hidden .pdf", "hidden .pdf"),
        ("\u202egnp.exe.pdf", "gnp.exe.pdf"),
        ("报价单'; DROP TABLE--.xlsx", "报价单 DROP TABLE--.xlsx"),
        ("", "招标文件.pdf"),
        ("x" * 300 + ".pdf", "x" * 146 + ".pdf"),
    ],
)
def test_download_names_are_made_safe(name, expected):
    assert safe_filename(name, "招标文件") == expected


def test_a_hostile_stored_name_cannot_break_the_header(client, version, supplier):
    ProcurementFileVersion.objects.filter(pk=version.pk).update(original_name='evil"\r\nSet-Cookie: x=1;.pdf')
    client.force_login(supplier.user)
    disposition = client.get(url(version.pk))["Content-Disposition"]
    assert "\r" not in disposition and "\n" not in disposition
    assert disposition.count('"') == 2 and "Set-Cookie" not in unquote(disposition).split(";")[0]


# --- the register in the admin ----------------------------------------------------------------


@pytest.fixture
def register(project, version, supplier):
    """A project of 市财政局 run by an agency, downloaded by two suppliers who were told of a correction."""
    from cms.procurement.models import Agency, SupplierNotification
    from tests.procurement_builders import OTHER_USCC

    agency = Agency.objects.create(name="河南省中原招标有限公司", uscc=OTHER_USCC)
    project.agency = agency
    project.save_revision().publish()
    other = make_supplier(uscc="91410800MA44XQ2R8X", email="x@example.com", company='=HYPERLINK("http://x")')
    DownloadRecord.objects.create(supplier=supplier, project=project, version=version)
    DownloadRecord.objects.create(supplier=other, project=project, version=version)
    correction = make_correction(project)
    assert SupplierNotification.objects.filter(notice=correction).count() == 2
    return agency


def admin_user(username, *groups, perms=()):
    from django.contrib.auth.models import Group, Permission

    user = get_user_model().objects.create_user(username, f"{username}@jiyuan.gov.cn", "pw-2026-Jiyuan")
    user.groups.add(*Group.objects.filter(name__in=groups))
    for dotted in ("wagtailadmin.access_admin", *perms):
        app_label, codename = dotted.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return user


@pytest.mark.anydb
def test_the_buyer_agency_and_site_admins_see_the_register_and_others_do_not(client, project, register):
    from tests.test_editors import make_user

    index = reverse("procurement_downloads:index")
    detail = reverse("procurement_downloads:project", args=[project.pk])
    allowed = {
        "buyer editor": make_user("czj_editor_r", "市财政局编辑"),
        "buyer reviewer": make_user("czj_reviewer_r", "市财政局审核"),
        "agency staff": admin_user("agency_staff", register.group.name),
        "superuser": get_user_model().objects.create_superuser(
            "root", "root@jiyuan.gov.cn", "pw-2026-Jiyuan"
        ),
    }
    for label, user in allowed.items():
        client.force_login(user)
        assert "/admin/procurement/downloads/" in client.get("/admin/").content.decode(), label  # menu item
        listing = client.get(index)
        assert listing.status_code == 200, label
        assert (
            project.project_number in listing.content.decode() and "文件下载登记" in listing.content.decode()
        )
        page = client.get(detail)
        assert page.status_code == 200, label
        text = page.content.decode()
        assert "河南济源示例科技有限公司" in text and "91110000600037341L" in text and "第1版" in text
        assert "更正公告" in text and "待发送" in text
        assert "招标投标法》第二十二条" in text

    other_department = make_user("fgw_editor_r", "市发展改革委编辑")
    client.force_login(other_department)
    assert project.project_number not in client.get(index).content.decode()
    assert client.get(detail).status_code == 404
    assert client.get(reverse("procurement_downloads:export", args=[project.pk])).status_code == 404
    assert client.get(reverse("procurement_downloads:project", args=[2**64])).status_code == 404
    nobody = admin_user("nobody")
    client.force_login(nobody)
    assert "/admin/procurement/downloads/" not in client.get("/admin/").content.decode()
    assert client.get(index).status_code in (302, 403)
    assert client.get(detail).status_code in (302, 403)


def test_the_register_exports_csv_for_excel(client, project, register):
    from tests.test_editors import make_user

    client.force_login(make_user("czj_editor_r", "市财政局编辑"))
    export = reverse("procurement_downloads:export", args=[project.pk])
    response = client.get(export)
    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    raw = b"".join(response.streaming_content)
    assert raw.startswith("\ufeff".encode())
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("项目编号,项目名称,供应商,统一社会信用代码")
    assert len(lines) == 3 and all("JYCG-2026-0001" in line for line in lines[1:])
    assert any(line.split(",")[2] == '"\'=HYPERLINK(""http://x"")"' for line in lines[1:])  # not a formula
    notices = b"".join(client.get(export + "?kind=notifications").streaming_content).decode("utf-8-sig")
    assert notices.splitlines()[0].startswith("项目编号,公告类型,公告标题,供应商")
    assert len(notices.splitlines()) == 3 and notices.count(",更正公告,") == 2 and "待发送" in notices
