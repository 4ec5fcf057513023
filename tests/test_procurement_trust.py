"""Signed tender documents: when a version reaches suppliers, the verify page and command, the public
keys, the OpenSSL recipe (run for real) and key rotation."""

import io
import shutil
import subprocess
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse
from django.utils.html import escape

from cms.procurement.models import NoticeDocument, ProcurementFileVersion
from cms.procurement.trust import recipe, signing
from cms.procurement.trust.digests import DigestedFile
from cms.procurement.trust.verification import NOT_FOUND, DigestInvalid, parse_sha256
from cms.procurement.trust.versions import add_version, describe_versions, file_sha256
from tests.builders import build_portal, publish
from tests.procurement_builders import (
    make_correction,
    make_procurement_tree,
    make_project,
    make_tender,
    pdf_bytes,
)

pytestmark = pytest.mark.django_db

VERIFY = reverse("procurement:verify")
ZONE = ZoneInfo("Asia/Shanghai")
FIRST = pdf_bytes("济源市财政局办公设备采购项目 招标文件 第1版")
SECOND = pdf_bytes("济源市财政局办公设备采购项目 招标文件 第2版（更正）")


def sha(content):
    digest, _ = file_sha256(io.BytesIO(content))
    return digest


def build_tender():
    """A published tender of 市财政局 with one document, 招标文件 (version 1 published)."""
    _, folders = make_procurement_tree(build_portal())
    project = make_project(folders["czj"])
    notice = make_tender(project, files=[("招标文件", FIRST)])
    pfile = project.files.get()
    return SimpleNamespace(
        project=project, notice=notice, file=pfile, v1=pfile.versions.get(), folders=folders
    )


@pytest.fixture(scope="module")
def tender_module(django_db_setup, django_db_blocker):
    """``build_tender`` once for the module, in a transaction rolled back at its end (each test runs in
    its own savepoint inside it, so what a test changes is gone before the next one)."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build_tender()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def tender(tender_module, db):
    for name in ("project", "notice", "file", "v1"):
        getattr(tender_module, name).refresh_from_db()
    return tender_module


def replace(pfile, content, name="招标文件（更正）.pdf"):
    return add_version(pfile, io.BytesIO(content), name)


def correct(project, *files, slug="correction-1"):
    return make_correction(project, slug=slug, documents=[NoticeDocument(file=f) for f in files])


def verify_digest(client, digest):
    return client.get(VERIFY, {"sha256": digest})


def verify_upload(client, content, name="招标文件.pdf"):
    return client.post(VERIFY, {"file": named(content, name)})


def named(content, name):
    handle = io.BytesIO(content)
    handle.name = name
    return handle


# --- when a version reaches suppliers ----------------------------------------------------------------------


@pytest.mark.anydb
def test_a_replacement_waits_for_a_correction_and_a_republished_tender_does_not_send_it(tender):
    assert tender.v1.published_at is not None
    v2 = replace(tender.file, SECOND)
    assert v2.number == 2 and v2.published_at is None
    assert tender.file.published_version() == tender.v1  # suppliers still get version 1

    publish(tender.notice)  # the tender again (a typo fixed): no new document goes out with it
    v2.refresh_from_db()
    assert v2.published_at is None
    assert [state for _, state in describe_versions(tender.file)] == [
        "未发布：待随更正公告发布",
        "已发布：供应商当前下载的版本",
    ]

    correct(tender.project, tender.file)
    v2.refresh_from_db()
    assert v2.published_at is not None
    assert tender.file.published_version() == v2
    assert [state for _, state in describe_versions(tender.file)] == [
        "已发布：供应商当前下载的版本",
        "已发布，已被第2版替换（仍可校验）",
    ]


# --- the verify page --------------------------------------------------------------------------------------


@pytest.mark.anydb
def test_an_uploaded_document_is_recognised_with_its_project_version_and_signature(tender, client):
    response = verify_upload(client, FIRST, "下载的招标文件.pdf")
    html = response.content.decode()
    assert response.status_code == 200
    key_id = signing.key_id(signing.public_key())
    for text in (
        "校验通过：该文件是本平台发布的采购文件，内容未被修改",
        "下载的招标文件.pdf",
        sha(FIRST),
        "JYCG-2026-0001",
        "济源市财政局办公设备采购项目",
        "招标文件，第1版",
        f"有效，签名密钥 {key_id}（平台当前密钥）",
        reverse("procurement:signature", args=[tender.v1.pk]),
        tender.project.url,
    ):
        assert text in html, text
    assert "已被第" not in html


@pytest.mark.anydb
def test_a_replaced_version_says_so_and_stays_verifiable(tender, client):
    replace(tender.file, SECOND)
    correct(tender.project, tender.file)
    v2 = tender.file.published_version()
    html = verify_digest(client, sha(FIRST)).content.decode()
    day = v2.published_at.astimezone(ZONE).strftime("%Y年%m月%d日")
    assert "校验通过" in html and "招标文件，第1版" in html
    assert f"此文件已被第2版替换（{day}）" in html
    html = verify_digest(client, sha(SECOND)).content.decode()
    assert "招标文件，第2版" in html and "已被第" not in html


def test_an_unknown_or_unpublished_file_is_not_found_and_nothing_is_revealed(tender, client):
    draft = replace(tender.file, SECOND)  # uploaded, not published
    for response in (verify_digest(client, sha(SECOND)), verify_upload(client, SECOND)):
        html = response.content.decode()
        assert response.status_code == 200
        assert NOT_FOUND in html
        assert "招标文件，第2版" not in html and "JYCG-2026-0001" not in html
    for name in ("procurement:signature", "procurement:statement"):
        assert client.get(reverse(name, args=[draft.pk])).status_code == 404
        assert client.get(reverse(name, args=[999999])).status_code == 404
        assert client.get(reverse(name, args=[tender.v1.pk])).status_code == 200


def test_digests_are_accepted_as_people_paste_them(tender, client):
    digest = sha(FIRST)
    pasted = [
        digest.upper(),
        f"sha256:{digest}",
        f"{digest}  招标文件.pdf",  # sha256sum
        " ".join(digest[i : i + 2] for i in range(0, 64, 2)),  # old certutil
        f"SHA256 的 招标文件.pdf 哈希:\n{digest}\nCertUtil: -hashfile 命令成功完成。",
        "".join(chr(ord(c) + 0xFEE0) for c in digest),  # full-width, from a Chinese input method
    ]
    for text in pasted:
        assert parse_sha256(text) == digest, text
    for text, message in (
        ("", "请输入文件的 SHA-256 摘要"),
        (digest[:40], "您输入了 40 位"),
        ("招标文件.pdf", "64 位数字 0-9 和字母 a-f"),
        (digest + "00", "您输入了 66 位"),
    ):
        with pytest.raises(DigestInvalid) as refused:
            parse_sha256(text)
        assert message in str(refused.value)
    assert "校验通过" in verify_digest(client, f"{digest}  招标文件.pdf").content.decode()


def test_bad_input_gets_a_chinese_message_and_a_4xx(tender, client):
    response = verify_digest(client, "not-a-digest")
    html = response.content.decode()
    assert response.status_code == 400
    assert 'href="#id_sha256"' in html and "64 位数字 0-9 和字母 a-f" in html
    assert 'aria-invalid="true"' in html
    response = client.post(VERIFY, {})
    assert response.status_code == 400 and "请选择要校验的文件" in response.content.decode()
    response = verify_upload(client, b"", "空.pdf")
    assert response.status_code == 400 and "空文件" in response.content.decode()
    assert client.put(VERIFY).status_code == 405


@override_settings(PROCUREMENT_FILE_MAX_BYTES=64 * 1024)
def test_an_upload_over_the_limit_is_stopped_and_nothing_is_stored(tender, client, settings):
    folder = Path(settings.PRIVATE_MEDIA_ROOT) / "procurement" / str(tender.project.pk)
    stored = sorted(folder.iterdir())
    versions = ProcurementFileVersion.objects.count()
    response = verify_upload(client, b"%PDF-1.4\n" + bytes(200 * 1024) + b"%%EOF\n")
    html = response.content.decode()
    assert response.status_code == 413
    assert "文件超过 64 KB，未能在线校验" in html and "按摘要查询" in html
    response = verify_upload(client, pdf_bytes("别的文件", size=40 * 1024))  # under the limit: answered
    assert response.status_code == 200 and NOT_FOUND in response.content.decode()
    received = response.wsgi_request.FILES["file"]
    assert isinstance(received, DigestedFile) and not hasattr(received, "read")  # hashed, never kept
    assert (received.name, received.size) == ("招标文件.pdf", 40 * 1024)
    assert sorted(folder.iterdir()) == stored and ProcurementFileVersion.objects.count() == versions


@override_settings(CASEWORK_RATES={"verify": ("3/m",)})
def test_verification_is_rate_limited_per_address(tender, client):
    statuses = [verify_digest(client, sha(FIRST)).status_code for _ in range(3)]
    statuses.append(verify_upload(client, FIRST).status_code)
    assert statuses == [200, 200, 200, 429]
    response = verify_digest(client, sha(FIRST))
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert "校验请求过于频繁" in response.content.decode()
    assert client.get(VERIFY).status_code == 200  # the page itself is never refused


def test_the_upload_form_is_csrf_protected(tender):
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(VERIFY, {"file": named(FIRST, "a.pdf")}).status_code == 403
    page = strict.get(VERIFY)
    token = page.cookies["csrftoken"].value
    response = strict.post(VERIFY, {"file": named(FIRST, "a.pdf"), "csrfmiddlewaretoken": token})
    assert response.status_code == 200 and "校验通过" in response.content.decode()


# --- keys, signatures, statements and the OpenSSL recipe ---------------------------------------------------


def test_the_public_key_signature_and_statement_are_published(tender, client):
    response = client.get(reverse("procurement:public_key"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    key = serialization.load_pem_public_key(response.content)
    assert signing.key_id(key) == tender.v1.key_id
    statement = client.get(reverse("procurement:statement", args=[tender.v1.pk])).content
    assert statement == f"{signing.STATEMENT_PREFIX}|JYCG-2026-0001|招标文件|1|sha256:{sha(FIRST)}".encode()
    sig = client.get(reverse("procurement:signature", args=[tender.v1.pk]))
    assert sig["Content-Type"] == "application/octet-stream" and len(sig.content) == 64
    key.verify(sig.content, statement)  # raises if invalid
    page = client.get(VERIFY).content.decode()
    assert tender.v1.key_id in page and "BEGIN PUBLIC KEY" in page
    assert "openssl pkeyutl -verify -pubin -inkey public-key.pem -rawin" in page
    assert client.get(reverse("procurement:public_key_by_id", args=["0" * 16])).status_code == 404


@pytest.mark.skipif(not shutil.which("openssl"), reason="openssl is not installed")
def test_the_openssl_recipe_on_the_page_really_verifies(tender, client, tmp_path):
    """Run the page's commands for this version: curl lines are replaced by the test client's downloads."""
    steps = recipe.steps("http://testserver/", tender.v1)
    (tmp_path / tender.v1.original_name).write_bytes(FIRST)
    html = verify_digest(client, sha(FIRST)).content.decode()
    for step in steps:
        assert escape(step.command) in html, step.command
        if step.fetch:
            target = step.command.split()[2]
            (tmp_path / target).write_bytes(client.get(step.fetch.replace("http://testserver", "")).content)
    commands = [step.command for step in steps if not step.fetch]

    def run(command):
        return subprocess.run(
            ["bash", "-c", command], cwd=tmp_path, capture_output=True, text=True, timeout=30
        )

    digest_check, signature_check = (run(command) for command in commands)
    assert digest_check.returncode == 0 and digest_check.stdout.strip() == "摘要一致", digest_check.stderr
    assert signature_check.returncode == 0 and recipe.SUCCESS in signature_check.stdout
    # A modified file fails the digest step; a forged statement fails the signature.
    (tmp_path / tender.v1.original_name).write_bytes(SECOND)
    assert "摘要一致" not in run(commands[0]).stdout
    statement = tmp_path / "statement.txt"
    statement.write_bytes(statement.read_bytes().replace(b"|1|", b"|2|"))
    forged = run(commands[1])
    assert forged.returncode != 0 and recipe.SUCCESS not in forged.stdout


def write_key(path):
    key = Ed25519PrivateKey.generate()
    path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    public = path.with_suffix(".pub.pem")
    public.write_text(signing.public_key_pem(key.public_key()))
    return signing.key_id(key.public_key()), public


@pytest.mark.anydb
def test_a_retired_key_stays_trusted_for_the_versions_it_signed(tender, client, tmp_path):
    old_id, old_public = write_key(tmp_path / "2025.pem")
    new_id, _ = write_key(tmp_path / "2026.pem")
    project = make_project(
        tender.folders["fgw"], number="JYCG-2026-0002", title="济源市发展和改革委员会规划编制服务项目"
    )
    first, second = pdf_bytes("规划编制服务 招标文件"), pdf_bytes("规划编制服务 招标文件 更正")
    try:
        with override_settings(PROCUREMENT_SIGNING_KEY_FILE=str(tmp_path / "2025.pem")):
            make_tender(project, files=[("招标文件", first)])
        pfile = project.files.get()
        assert pfile.versions.get().key_id == old_id

        rotated = {"PROCUREMENT_SIGNING_KEY_FILE": str(tmp_path / "2026.pem")}
        with override_settings(**rotated, PROCUREMENT_RETIRED_PUBLIC_KEYS=[str(old_public)]):
            v2 = replace(pfile, second)
            assert v2.key_id == new_id
            correct(project, pfile)
            html = verify_digest(client, sha(first)).content.decode()
            assert f"有效，签名密钥 {old_id}（平台已轮换的旧密钥" in html
            html = verify_digest(client, sha(second)).content.decode()
            assert f"有效，签名密钥 {new_id}（平台当前密钥）" in html
            page = client.get(VERIFY).content.decode()
            assert old_id in page and new_id in page
            old_pem = client.get(reverse("procurement:public_key_by_id", args=[old_id])).content.decode()
            assert old_pem == old_public.read_text()
            out = io.StringIO()
            call_command("procurement", "verify", "--sha256", sha(first), stdout=out)
            assert f"签名密钥 {old_id}" in out.getvalue()

        with override_settings(**rotated, PROCUREMENT_RETIRED_PUBLIC_KEYS=[]):
            html = verify_digest(client, sha(first)).content.decode()
            assert f"无法确认：签名密钥 {old_id} 不在平台公布的受信任密钥之列" in html
            assert "校验通过" not in html
            with pytest.raises(CommandError) as failed:
                call_command("procurement", "verify", "--sha256", sha(first), stdout=io.StringIO())
            assert failed.value.returncode == 1
    finally:
        signing.forget()


def test_a_missing_or_wrong_retired_key_stops_the_deployment(tmp_path, settings):
    from cryptography.hazmat.primitives.asymmetric import ec

    not_ed25519 = tmp_path / "ec.pem"
    not_ed25519.write_bytes(
        ec.generate_private_key(ec.SECP256R1())
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    cases = ((tmp_path / "gone.pem", "无法读取已轮换的签名公钥"), (not_ed25519, "不是 Ed25519 公钥"))
    for path, message in cases:
        settings.PROCUREMENT_RETIRED_PUBLIC_KEYS = [str(path)]
        [error] = signing.signing_keys_readable()
        assert error.id == "procurement.E001" and message in error.msg and str(path) in error.msg
    settings.PROCUREMENT_RETIRED_PUBLIC_KEYS = []
    assert signing.signing_keys_readable() == []


# --- manage.py procurement verify -------------------------------------------------------------------------


@pytest.mark.anydb
def test_the_command_answers_like_the_page_with_an_exit_code(tender, tmp_path):
    document = tmp_path / "招标文件.pdf"
    document.write_bytes(FIRST)
    out = io.StringIO()
    call_command("procurement", "verify", str(document), stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "校验通过：该文件是本平台发布的采购文件，内容未被修改"
    for expected in (
        "文件：招标文件.pdf",
        f"SHA-256：{sha(FIRST)}",
        "项目编号：JYCG-2026-0001",
        "文件：招标文件，第1版",
    ):
        assert expected in lines, expected
    assert any(line.startswith("发布时间：20") for line in lines)

    replace(tender.file, SECOND)
    correct(tender.project, tender.file)
    out = io.StringIO()
    call_command("procurement", "verify", "--sha256", sha(FIRST).upper(), stdout=out)
    assert "此文件已被第2版替换（" in out.getvalue()

    for args, message in (
        (["--sha256", sha(b"something else")], "校验未通过"),
        ([str(tmp_path / "missing.pdf")], "文件不存在"),
        (["--sha256", "xyz"], "64 位数字"),
        ([], "二者选一"),
    ):
        out = io.StringIO()
        with pytest.raises(CommandError) as failed:
            call_command("procurement", "verify", *args, stdout=out)
        assert failed.value.returncode == 1 and message in str(failed.value)
    call_command_output = io.StringIO()
    with pytest.raises(CommandError):
        call_command("procurement", "verify", "--sha256", sha(b"x"), stdout=call_command_output)
    assert call_command_output.getvalue().startswith(NOT_FOUND)
