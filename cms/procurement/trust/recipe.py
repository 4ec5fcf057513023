"""The OpenSSL commands that verify a tender document without trusting this website (shown on the verify
page; ``tests/test_procurement_trust.py`` runs them). OpenSSL 3.0 or later: Ed25519 needs ``-rawin``."""

import shlex
from dataclasses import dataclass

from django.urls import reverse

SUCCESS = "Signature Verified Successfully"


@dataclass(frozen=True)
class Step:
    text: str  # what the step does (Chinese)
    command: str  # one shell command line
    fetch: str = ""  # the URL a curl line downloads (tests fetch it themselves)


def steps(base_url, version=None, *, key_id=None, file_name="招标文件.pdf"):
    """The commands for one published ``version`` (its own URLs and file name), or with placeholders."""
    base = base_url.rstrip("/")
    if version is not None:
        ident = str(version.pk)
        file_name = version.original_name or file_name
        statement_url = base + reverse("procurement:statement", args=[version.pk])
        signature_url = base + reverse("procurement:signature", args=[version.pk])
    else:
        ident = "<版本编号>"
        statement_url = base + reverse("procurement:verify") + f"statement/{ident}.txt"
        signature_url = base + reverse("procurement:verify") + f"signature/{ident}.sig"
    key_url = base + (
        reverse("procurement:public_key_by_id", args=[key_id])
        if key_id
        else reverse("procurement:public_key")
    )
    name = shlex.quote(file_name)
    return [
        Step("下载平台公钥", f"curl -o public-key.pem {key_url}", key_url),
        Step("下载该版本的签名声明（被签名的原文）", f"curl -o statement.txt {statement_url}", statement_url),
        Step("下载该版本的电子签名", f"curl -o signature.sig {signature_url}", signature_url),
        Step(
            "确认签名声明中的摘要就是您手中文件的摘要（显示“摘要一致”）",
            f'grep -q "sha256:$(openssl dgst -sha256 -r {name} | cut -c1-64)$" statement.txt'
            " && echo 摘要一致",
        ),
        Step(
            f"用公钥校验签名（显示“{SUCCESS}”即签名有效）",
            "openssl pkeyutl -verify -pubin -inkey public-key.pem -rawin"
            " -in statement.txt -sigfile signature.sig",
        ),
    ]
