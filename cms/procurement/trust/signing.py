"""The platform's electronic seal (电子签章) for tender documents: Ed25519 over a signed statement.

The statement binds the digest to the project, the file and its version, so a signature cannot be moved
to another project's document::

    济源市政府采购文件签名|v1|<project number>|<file title>|<version>|sha256:<hex digest>

Anyone can check it with the public key published at /zfcg/verify/public-key.pem, e.g. with OpenSSL 3:
``openssl pkeyutl -verify -pubin -inkey public-key.pem -rawin -in statement.txt -sigfile sig.bin``.

The private key is a PEM file named by ``PROCUREMENT_SIGNING_KEY_FILE`` (production: required, never in
the repository). Development and tests create one under ``var/`` on first use
(``PROCUREMENT_SIGNING_KEY_AUTOCREATE``). Keys retired by a rotation stay trusted for verification when
their public PEM files are listed in ``PROCUREMENT_RETIRED_PUBLIC_KEYS``.
"""

import base64
import hashlib
import os
from functools import lru_cache
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

STATEMENT_PREFIX = "济源市政府采购文件签名|v1"


class SigningKeyMissing(ImproperlyConfigured):
    pass


def statement(project_number, title, version, sha256):
    title = " ".join(str(title).replace("|", "｜").split())
    return f"{STATEMENT_PREFIX}|{project_number}|{title}|{version}|sha256:{sha256}".encode()


def key_id(public_key):
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def _key_path():
    path = getattr(settings, "PROCUREMENT_SIGNING_KEY_FILE", None)
    if not path:
        raise SigningKeyMissing("PROCUREMENT_SIGNING_KEY_FILE 未设置：无法为采购文件签名。")
    return Path(path)


def _create(path):
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    # O_EXCL: two processes starting at once must not each write a different key.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)


@lru_cache(maxsize=4)
def _load_private(path_text):
    path = Path(path_text)
    if not path.exists():
        if not getattr(settings, "PROCUREMENT_SIGNING_KEY_AUTOCREATE", False):
            raise SigningKeyMissing(f"采购文件签名私钥 {path} 不存在。")
        _create(path)
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise SigningKeyMissing(f"{path} 不是 Ed25519 私钥。")
    return key


def private_key():
    return _load_private(str(_key_path()))


def public_key():
    return private_key().public_key()


def public_key_pem(key=None):
    key = key or public_key()
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()


def retired_keys():
    """{key_id: public key} of ``PROCUREMENT_RETIRED_PUBLIC_KEYS``; a file that is missing or not an
    Ed25519 public key raises ``SigningKeyMissing`` naming it (``manage.py check`` reports it first)."""
    keys = {}
    for path in getattr(settings, "PROCUREMENT_RETIRED_PUBLIC_KEYS", ()) or ():
        try:
            key = serialization.load_pem_public_key(Path(path).read_bytes())
        except (OSError, ValueError) as error:
            raise SigningKeyMissing(f"无法读取已轮换的签名公钥 {path}：{error}") from None
        if not isinstance(key, Ed25519PublicKey):
            raise SigningKeyMissing(f"{path} 不是 Ed25519 公钥。")
        keys[key_id(key)] = key
    return keys


def trusted_keys():
    """{key_id: public key}: the current key and the retired ones still trusted for verification."""
    keys = retired_keys()
    current = public_key()
    keys[key_id(current)] = current
    return keys


def sign(message):
    """(base64 signature, key id)."""
    key = private_key()
    return base64.b64encode(key.sign(message)).decode(), key_id(key.public_key())


def verify(message, signature_b64, signer_id):
    key = trusted_keys().get(signer_id)
    if key is None:
        return False
    try:
        key.verify(base64.b64decode(signature_b64), message)
    except (InvalidSignature, ValueError):
        return False
    return True


def forget():
    """Drop the cached key (tests that switch keys)."""
    _load_private.cache_clear()


@checks.register(checks.Tags.security)
def signing_keys_readable(app_configs=None, **kwargs):
    """A missing or wrong key must stop a deployment, not surface as an error on the verify page."""
    errors = []
    try:
        retired_keys()
    except SigningKeyMissing as error:
        hint = "检查 PROCUREMENT_RETIRED_PUBLIC_KEYS（逗号分隔的公钥 PEM 文件路径）。"
        errors.append(checks.Error(str(error), hint=hint, id="procurement.E001"))
    path = getattr(settings, "PROCUREMENT_SIGNING_KEY_FILE", None)
    if not getattr(settings, "PROCUREMENT_SIGNING_KEY_AUTOCREATE", False):
        try:
            private_key()
        except (SigningKeyMissing, OSError, ValueError) as error:
            errors.append(
                checks.Error(
                    f"采购文件签名私钥不可用：{error}",
                    hint=f"PROCUREMENT_SIGNING_KEY_FILE={path}：需为未加密的 Ed25519 私钥（PEM）。",
                    id="procurement.E002",
                )
            )
    return errors
