"""Production settings refuse to start without their secrets and pass Django's deploy checks."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PRODUCTION_ENV = {
    "SECRET_KEY": "a-long-random-production-secret-key-for-the-check-only-0123456789",
    "DATABASE_URL": "sqlite:////tmp/portal-deploy-check.sqlite3",
    "ALLOWED_HOSTS": "www.jiyuan.gov.cn",
    "PORTAL_BASE_URL": "https://www.jiyuan.gov.cn",
    "EMAIL_HOST": "smtp.jiyuan.gov.cn",
    "DEFAULT_FROM_EMAIL": "noreply@jiyuan.gov.cn",
    "PROCUREMENT_SIGNING_KEY_FILE": "/run/secrets/procurement-ed25519.pem",
}


def manage(*args, env):
    clean = {k: v for k, v in os.environ.items() if k not in PRODUCTION_ENV}
    clean.update(env, DJANGO_SETTINGS_MODULE="portal.settings.production")
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120
    )


def signing_key(tmp_path):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    path = tmp_path / "procurement-ed25519.pem"
    path.write_bytes(
        Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return str(path)


def test_check_deploy_is_clean(tmp_path):
    env = PRODUCTION_ENV | {"PROCUREMENT_SIGNING_KEY_FILE": signing_key(tmp_path)}
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    "missing", ["SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS", "EMAIL_HOST", "PROCUREMENT_SIGNING_KEY_FILE"]
)
def test_production_refuses_to_start_without(missing):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert f"Environment variable {missing} is required" in result.stderr


def test_production_refuses_a_missing_signing_key_file(tmp_path):
    env = PRODUCTION_ENV | {"PROCUREMENT_SIGNING_KEY_FILE": str(tmp_path / "absent.pem")}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "procurement.E002" in result.stderr and "采购文件签名私钥不可用" in result.stderr
