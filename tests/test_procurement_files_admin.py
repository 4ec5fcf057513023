"""Tender documents in the Wagtail admin (政府采购 › 采购文件): each department uploads, replaces and
attaches only its own projects' files; uploads are checked by content and stored under our own name;
published versions are never deleted."""

import io
import os
import re
import zipfile
from types import SimpleNamespace

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse

from cms.editors.groups import SITE_ADMIN_GROUP, ensure_site_admin_group
from cms.procurement.models import ProcurementFile, ProcurementFileVersion
from cms.procurement.trust.admin import ProcurementFileViewSet
from cms.procurement.trust.versions import add_version
from tests.builders import build_portal
from tests.procurement_builders import make_file, make_procurement_tree, make_project, make_tender, pdf_bytes
from tests.test_editors import edit_url, login, make_user, page_form_data
from tests.test_uploads import MB, docx_bytes, zip_bomb_docx

pytestmark = pytest.mark.django_db

INDEX = reverse("procurement_files:index")
ADD = reverse("procurement_files:add")
FORM = ProcurementFileViewSet().get_form_class()  # the admin's create form, as the view builds it


def build_site():
    """市财政局: an open tender with 招标文件 and a project still without documents; 市发展改革委: a tender
    with its own 招标文件. Editors and reviewers of both, and a site administrator."""
    _, folders = make_procurement_tree(build_portal())
    ensure_site_admin_group()
    tender_project = make_project(folders["czj"])
    tender = make_tender(tender_project, files=[("招标文件", pdf_bytes("办公设备 招标文件"))])
    quiet_project = make_project(
        folders["czj"], number="JYCG-2026-0003", title="济源市财政局档案数字化服务项目"
    )
    other_project = make_project(
        folders["fgw"], number="JYCG-2026-0002", title="济源市发展和改革委员会规划编制服务项目"
    )
    make_tender(other_project, files=[("规划编制服务招标文件", pdf_bytes("规划 招标文件"))])
    return SimpleNamespace(
        tender=tender,
        project=tender_project,
        quiet=quiet_project,
        other=other_project,
        file=tender_project.files.get(),
        other_file=other_project.files.get(),
        czj_editor=make_user("czj_editor", "市财政局编辑"),
        czj_reviewer=make_user("czj_reviewer", "市财政局审核"),
        fgw_editor=make_user("fgw_editor", "市发展改革委编辑"),
        site_admin=make_user("site_admin", SITE_ADMIN_GROUP),
    )


@pytest.fixture(scope="module")
def site_module(django_db_setup, django_db_blocker):
    """``build_site`` once for the module, rolled back at its end (each test has its own savepoint)."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build_site()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def site(site_module, db):
    for name in ("tender", "project", "quiet", "other", "file", "other_file"):
        getattr(site_module, name).refresh_from_db()
    return site_module


def url(name, pfile, *args):
    return reverse(f"procurement_files:{name}", args=[pfile.pk, *args])


def upload(name, content):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def zip_bytes(entries):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def create(client, project, title, content, name="招标文件.pdf"):
    return client.post(ADD, {"project": project.pk, "title": title, "upload": upload(name, content)})


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


# --- who sees what ------------------------------------------------------------------------------------------


@pytest.mark.anydb
def test_each_department_lists_and_opens_only_its_own_files(site, client):
    login(client, site.czj_editor)
    html = client.get(INDEX).content.decode()
    assert "JYCG-2026-0001" in html and "第1版（已发布）" in html
    assert "JYCG-2026-0002" not in html and "规划编制服务招标文件" not in html
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert INDEX in home, "the menu (政府采购 › 采购文件) offers the documents"

    version = site.other_file.versions.get()
    for address in (
        url("edit", site.other_file),
        url("history", site.other_file),
        url("usage", site.other_file),
        url("delete", site.other_file),
        url("version_download", site.other_file, version.pk),
        url("version_delete", site.other_file, version.pk),
    ):
        assert client.get(address).status_code == 404, address
    posted = client.post(url("edit", site.other_file), {"upload": upload("x.pdf", pdf_bytes("替换"))})
    assert posted.status_code == 404 and site.other_file.versions.count() == 1

    login(client, site.site_admin)
    html = client.get(INDEX).content.decode()
    assert "JYCG-2026-0001" in html and "JYCG-2026-0002" in html
    assert client.get(url("edit", site.other_file)).status_code == 200


@pytest.mark.anydb
def test_a_new_document_only_for_own_projects_stored_under_our_own_name(site, client):
    login(client, site.czj_editor)
    form = client.get(ADD + f"?project={site.quiet.pk}").content.decode()
    options = re.findall(r"<option value=\"(\d+)\"( selected)?>([^<]*)</option>", form)
    offered = {int(pk) for pk, _, _ in options}
    assert offered == {site.project.pk, site.quiet.pk}
    assert [label for pk, selected, label in options if selected] == [
        "JYCG-2026-0003 济源市财政局档案数字化服务项目"
    ]

    response = create(client, site.other, "招标文件", pdf_bytes())
    assert response.status_code == 200 and "请选择本部门的采购项目" in response.content.decode()
    assert not site.other.files.filter(title="招标文件").exists()

    content = pdf_bytes("档案数字化 招标文件")
    response = create(client, site.quiet, "招标文件", content, name="../../etc/passwd")
    assert response.status_code == 302
    pfile = site.quiet.files.get()
    version = pfile.versions.get()
    assert response.url == url("edit", pfile)
    assert (version.number, version.size, version.published_at) == (1, len(content), None)
    assert version.original_name == "passwd.pdf"  # the path is dropped; the real type's extension added
    assert re.fullmatch(rf"procurement/{site.quiet.pk}/[0-9a-f]{{32}}\.bin", version.blob.name)
    assert version.uploaded_by == site.czj_editor and version.content_type == "application/pdf"
    assert "公告发布时一同发布" in " ".join(messages_of(response))

    again = create(client, site.quiet, "招标文件", pdf_bytes("另一份"))
    assert "该项目已有名为“招标文件”的采购文件" in again.content.decode()


@pytest.mark.anydb
def test_a_replacement_is_a_new_version_and_the_old_ones_stay_listed(site, client):
    login(client, site.czj_editor)
    old = site.file.versions.get()
    content = pdf_bytes("办公设备 招标文件 更正版")
    response = client.post(
        url("edit", site.file),
        {"title": "改名的文件", "project": site.quiet.pk, "upload": upload("招标文件（更正）.pdf", content)},
    )
    assert response.status_code == 302
    site.file.refresh_from_db()
    assert (site.file.title, site.file.project_id) == ("招标文件", site.project.pk)  # both are signed: fixed
    assert [v.number for v in site.file.versions.order_by("number")] == [1, 2]
    assert site.file.published_version() == old  # suppliers keep version 1 until a correction
    assert "在发布载有本文件的更正公告后才替换供应商下载的版本" in " ".join(messages_of(response))
    html = client.get(url("edit", site.file)).content.decode()
    new = site.file.latest_version()
    for text in (
        old.sha256,
        new.sha256,
        "招标文件（更正）.pdf",
        "未发布：待随更正公告发布",
        "已发布：供应商当前下载的版本",
    ):
        assert text in html, text
    assert url("version_delete", site.file, new.pk) in html
    assert url("version_delete", site.file, old.pk) not in html  # published: no delete button

    again = client.post(url("edit", site.file), {"upload": upload("又一次.pdf", content)})
    assert "上传的文件与第2版内容完全相同（SHA-256 一致），无需上传新版本" in again.content.decode()
    assert site.file.versions.count() == 2

    download = client.get(url("version_download", site.file, new.pk))
    assert b"".join(download.streaming_content) == content
    assert (
        "attachment" in download["Content-Disposition"]
        and "filename*=utf-8''" in download["Content-Disposition"]
    )


@pytest.mark.anydb
def test_an_unpublished_version_can_be_deleted_a_published_one_never(
    site, client, django_capture_on_commit_callbacks
):
    login(client, site.czj_editor)
    wrong = add_version(site.file, io.BytesIO(pdf_bytes("传错的文件")), "传错了.pdf", site.czj_editor)
    stored = wrong.blob.path
    assert client.get(url("version_delete", site.file, wrong.pk)).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("version_delete", site.file, wrong.pk))
    assert response.status_code == 302 and not ProcurementFileVersion.objects.filter(pk=wrong.pk).exists()
    assert not os.path.exists(stored)

    published = site.file.versions.get()
    for method in (client.get, client.post):
        response = method(url("version_delete", site.file, published.pk))
        assert response.status_code == 302
        assert "已经发布，不能删除" in " ".join(messages_of(response))
    assert ProcurementFileVersion.objects.filter(pk=published.pk).exists()
    # The file itself: department groups may not delete files; site administrators not once published.
    assert client.post(url("delete", site.file)).status_code in (302, 403)
    login(client, site.site_admin)
    response = client.post(url("delete", site.file))
    assert "已有版本发布，不能删除" in " ".join(messages_of(response))
    assert ProcurementFile.objects.filter(pk=site.file.pk).exists()


def checked(user, project, name, content):
    """The create form's message about the upload ("" if accepted)."""
    form = FORM(
        data={"project": project.pk, "title": f"测试{name}"},
        files={"upload": upload(name, content)},
        for_user=user,
    )
    form.is_valid()
    return form.errors.get("upload", [""])[0]


def test_uploads_are_checked_by_content(site):
    user, project = site.czj_editor, site.quiet
    drawings = zip_bytes({"图纸/总平面图.dwg": b"AC1027" + bytes(2000), "图纸/说明.pdf": pdf_bytes()})
    xlsx = zip_bytes({"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<workbook/>"})
    for name, content in (
        ("招标文件.pdf", pdf_bytes()),
        ("投标文件格式.docx", docx_bytes()),
        ("工程量清单.xlsx", xlsx),
        ("设计图纸.zip", drawings),
    ):
        assert checked(user, project, name, content) == "", name
    for name, content, message in (
        ("招标文件.pdf", b"MZ\x90\x00" + bytes(300), "实际内容是Windows 可执行程序，不是PDF 文档"),
        (
            "安装程序.exe",
            b"MZ\x90\x00" + bytes(300),
            "是Windows 可执行程序，采购文件只接受 PDF、OFD、DOCX、XLSX、ZIP 格式",
        ),
        ("图纸.rar", b"Rar!\x1a\x07\x01\x00" + bytes(300), "请打包为 ZIP 格式后上传"),
        ("炸弹.docx", zip_bomb_docx(), "疑似“压缩炸弹”"),
        ("图纸.zip", zip_bytes({"../../etc/cron.d/x": "x"}), "会解压到压缩包目录之外"),
        ("图纸.zip", zip_bytes({"图纸/查看器.exe": b"MZ"}), "含有可执行程序“查看器.exe”"),
        ("空.pdf", b"", "空文件"),
        ("招标文件.docx", pdf_bytes(), "实际内容是PDF 文档，不是Word 文档"),
    ):
        assert message in checked(user, project, name, content), name
    bomb = io.BytesIO()
    with (
        zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive,
        archive.open("图纸/大图.dwg", "w") as entry,
    ):
        for _ in range(60):
            entry.write(bytes(MB))
    assert "疑似“压缩炸弹”" in checked(user, project, "图纸.zip", bomb.getvalue())


@override_settings(PROCUREMENT_FILE_MAX_BYTES=64 * 1024)
def test_an_upload_over_the_limit_gets_a_clear_message(site, client):
    login(client, site.czj_editor)
    assert "超过了 64 KB 的上限" in checked(site.czj_editor, site.quiet, "大.pdf", pdf_bytes(size=100 * 1024))
    # Past the request cap the body is cut off while it streams: the message still says why.
    response = create(client, site.quiet, "招标文件", pdf_bytes(size=2 * MB))
    assert response.status_code == 200
    assert "文件超过 64 KB 的上限，未被接收" in response.content.decode()
    assert not site.quiet.files.exists()


# --- attaching documents to a notice ------------------------------------------------------------------------


@pytest.mark.anydb
def test_a_notice_offers_only_its_projects_files_and_refuses_others(site, client):
    make_file(site.project, "工程量清单", pdf_bytes("工程量清单"), "工程量清单.pdf")
    login(client, site.czj_editor)
    address = edit_url(site.tender)
    html = client.get(address).content.decode()
    select = re.search(r'<select name="documents-0-file".*?</select>', html, re.S).group(0)
    labels = re.findall(r"<option value=\"\d+\"[^>]*>([^<]*)</option>", select)
    assert labels == ["工程量清单（第1版，须发布新的更正公告才会发布）", "招标文件（第1版，已发布）"]
    assert "规划编制服务招标文件" not in html

    data = page_form_data(client, address, **{"documents-0-file": str(site.other_file.pk)})
    response = client.post(address, data)
    assert response.status_code == 200
    assert "只能选择本项目的采购文件" in response.content.decode()
    assert [d.file_id for d in site.tender.get_latest_revision_as_object().documents.all()] == [site.file.pk]


@pytest.mark.anydb
def test_publishing_a_tender_again_warns_that_a_replacement_waits_for_a_correction(site, client):
    add_version(site.file, io.BytesIO(pdf_bytes("更正版")), "招标文件.pdf", site.czj_editor)
    login(client, site.czj_reviewer)
    address = edit_url(site.tender)
    data = page_form_data(client, address, **{"action-publish": "action-publish"})
    response = client.post(address, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    warning = " ".join(messages_of(response))
    assert "采购文件“招标文件”的第2版没有随本次发布" in warning and "请发布更正公告" in warning
    assert site.file.published_version().number == 1


def test_the_upload_forms_keep_csrf_protection(site):
    strict = Client(enforce_csrf_checks=True)
    login(strict, site.czj_editor)
    for address in (ADD, url("edit", site.file)):
        response = strict.post(
            address, {"project": site.quiet.pk, "title": "x", "upload": upload("x.pdf", pdf_bytes())}
        )
        assert response.status_code == 403, address
    assert not site.quiet.files.exists() and site.file.versions.count() == 1
