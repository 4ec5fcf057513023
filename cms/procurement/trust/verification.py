"""The answer to "is this the tender document the platform published?", for the verify page and the
``manage.py procurement verify`` command alike (same sentences, so both say the same thing).

``verdict(sha256)`` looks the digest up among the *published* versions only (a draft is never confirmed
nor revealed), checks each match's signature against the trusted keys (the current one and the retired
ones still listed in settings) and notes whether a newer version of that file has been published since.
"""

import re
import unicodedata
from dataclasses import dataclass, field

from django.utils import timezone

from cms.procurement.trust import signing
from cms.procurement.trust.versions import find_published, version_statement

NOT_FOUND = "未找到该文件：它不是本平台发布的采购文件，或已被修改"
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_HEX_RUN = re.compile(r"(?<![0-9a-f])[0-9a-f]{64}(?![0-9a-f])")


class DigestInvalid(ValueError):
    """``str()`` is the Chinese message to show next to the field."""


def parse_sha256(text):
    """A SHA-256 digest as people paste it: upper or lower case, with ``sha256:`` in front, with spaces
    between byte pairs (older Windows certutil), a whole ``sha256sum`` line (digest, then the file name)
    or certutil's whole output. Returns 64 lower-case hex characters or raises ``DigestInvalid``."""
    value = unicodedata.normalize("NFKC", text or "").strip().lower()
    if value.startswith(("sha256:", "sha-256:")):
        value = value.split(":", 1)[1].strip()
    if not value:
        raise DigestInvalid("请输入文件的 SHA-256 摘要")
    if len(value) > 1000:
        raise DigestInvalid("输入的内容过长：请只粘贴 64 位的 SHA-256 摘要")
    squeezed = "".join(value.split())
    if _HEX64.match(squeezed):
        return squeezed
    for line in value.splitlines():
        line = "".join(line.split())
        if _HEX64.match(line):
            return line  # certutil prints the digest on a line of its own
    found = _HEX_RUN.search(value)
    if found:
        return found.group(0)  # "<digest>  招标文件.pdf", as sha256sum prints it
    if re.fullmatch(r"[0-9a-f]+", squeezed):
        raise DigestInvalid(
            f"SHA-256 摘要应为 64 位十六进制字符，您输入了 {len(squeezed)} 位，请核对是否复制完整"
        )
    raise DigestInvalid("SHA-256 摘要由 64 位数字 0-9 和字母 a-f 组成，请核对后重新输入")


def format_time(moment):
    return timezone.localtime(moment).strftime("%Y年%m月%d日 %H:%M") if moment else ""


@dataclass
class Match:
    """One published version whose digest is the one asked about."""

    version: object
    signature_valid: bool
    key_status: str  # "current", "retired" or "untrusted"
    replaced_by: object = None  # the newest published version of the same file, if newer

    @property
    def procurement_file(self):
        return self.version.procurement_file

    @property
    def project(self):
        return self.version.procurement_file.project

    @property
    def key_label(self):
        return {
            "current": "平台当前密钥",
            "retired": "平台已轮换的旧密钥（仍受信任，用于校验轮换前发布的文件）",
        }.get(self.key_status, "不受信任的密钥")

    @property
    def signature_text(self):
        if self.signature_valid:
            return f"有效，签名密钥 {self.version.key_id}（{self.key_label}）"
        if self.key_status == "untrusted":
            return f"无法确认：签名密钥 {self.version.key_id} 不在平台公布的受信任密钥之列"
        return f"无效：签名与文件信息不符（签名密钥 {self.version.key_id}）"

    @property
    def replaced_text(self):
        if self.replaced_by is None:
            return ""
        when = timezone.localtime(self.replaced_by.published_at).strftime("%Y年%m月%d日")
        return f"此文件已被第{self.replaced_by.number}版替换（{when}）"

    def facts(self):
        """(label, value) pairs, in the order the page and the command show them."""
        return [
            ("项目编号", self.project.project_number),
            ("项目名称", self.project.title),
            ("文件", self.file_text),
            ("发布时间", self.published_text),
            ("电子签名", self.signature_text),
        ]

    @property
    def file_text(self):
        return f"{self.procurement_file.title}，第{self.version.number}版"

    @property
    def published_text(self):
        return format_time(self.version.published_at)


@dataclass
class Verdict:
    sha256: str
    size: int | None = None
    name: str = ""
    matches: list = field(default_factory=list)

    @property
    def valid(self):
        """At least one published version matches and its signature holds."""
        return any(match.signature_valid for match in self.matches)

    @property
    def headline(self):
        if self.valid:
            return "校验通过：该文件是本平台发布的采购文件，内容未被修改"
        if self.matches:
            return "摘要与本平台发布的采购文件一致，但电子签名校验未通过，请联系采购人或平台"
        return NOT_FOUND

    def lines(self):
        """The answer as plain text lines (the command prints these)."""
        lines = [self.headline, f"SHA-256：{self.sha256}"]
        if self.name:
            lines.insert(1, f"文件：{self.name}")
        for index, match in enumerate(self.matches, start=1):
            if len(self.matches) > 1:
                lines.append(f"—— 匹配 {index} ——")
            lines += [f"{label}：{value}" for label, value in match.facts()]
            if match.replaced_by is not None:
                lines.append(match.replaced_text)
        return lines


def verdict(sha256, *, size=None, name=""):
    """The answer for a digest (already parsed by ``parse_sha256``)."""
    current_id = signing.key_id(signing.public_key())
    trusted = signing.trusted_keys()
    matches = []
    for version in find_published(sha256):
        valid = signing.verify(version_statement(version), version.signature, version.key_id)
        if version.key_id not in trusted:
            key_status = "untrusted"
        else:
            key_status = "current" if version.key_id == current_id else "retired"
        newest = (
            version.procurement_file.versions.filter(published_at__isnull=False, number__gt=version.number)
            .order_by("-number")
            .first()
        )
        matches.append(Match(version, valid, key_status, newest))
    return Verdict(sha256=sha256, size=size, name=name, matches=matches)
