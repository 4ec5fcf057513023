"""``manage.py procurement verify PATH`` or ``... verify --sha256 HEX``: the verify page's answer on stdout.

Exit code 0 when a published version matches and its signature is valid, 1 otherwise (no match, an
invalid signature, a missing file or a malformed digest), so scripts can rely on it.
"""

from pathlib import Path

from django.core.management.base import CommandError

from cms.procurement.trust.verification import DigestInvalid, parse_sha256, verdict
from cms.procurement.trust.versions import file_sha256


def add_arguments(parser):
    parser.add_argument("path", nargs="?", help="要校验的文件路径")
    parser.add_argument("--sha256", metavar="HEX", help="按 SHA-256 摘要查询（不提供文件时）")


def run(command, *, path=None, sha256=None, **options):
    if bool(path) == bool(sha256):
        raise CommandError("请提供一个文件路径，或用 --sha256 提供摘要（二者选一）。", returncode=1)
    if path:
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"文件不存在或不是普通文件：{path}", returncode=1)
        with file.open("rb") as handle:
            digest, size = file_sha256(handle)
        result = verdict(digest, size=size, name=file.name)
    else:
        try:
            result = verdict(parse_sha256(sha256))
        except DigestInvalid as error:
            raise CommandError(str(error), returncode=1) from None
    for line in result.lines():
        command.stdout.write(line)
    if not result.valid:
        raise CommandError("校验未通过", returncode=1)
