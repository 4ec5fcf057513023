"""Production: everything sensitive comes from the environment; no defaults for secrets."""

import os

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403


def require_env(name: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"Environment variable {name} is required in production.")
    return value


DEBUG = False
SECRET_KEY = require_env("SECRET_KEY")
ALLOWED_HOSTS = [h.strip() for h in require_env("ALLOWED_HOSTS").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]
DATABASES = {"default": dj_database_url.parse(require_env("DATABASE_URL"), conn_max_age=600)}
# Elasticsearch is optional: without it search answers from the database fallback.
ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = require_env("EMAIL_HOST")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "") in ("1", "true", "True")
EMAIL_USE_SSL = os.environ.get("EMAIL_USE_SSL", "") in ("1", "true", "True")
DEFAULT_FROM_EMAIL = require_env("DEFAULT_FROM_EMAIL")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# HTTPS everywhere; the TLS terminator in front sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Rate limits of the public forms count per client address. Behind a proxy, name the header that carries
# the client's address (e.g. HTTP_X_REAL_IP, set by the proxy), or every client shares the proxy's limit.
RATELIMIT_IP_META_KEY = os.environ.get("RATELIMIT_IP_META_KEY") or None
SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "true") != "false"
SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
# Government sites are HTTPS-only by rule; a domain with plain-HTTP subdomains can opt out.
SECURE_HSTS_INCLUDE_SUBDOMAINS = os.environ.get("SECURE_HSTS_INCLUDE_SUBDOMAINS", "true") != "false"
SECURE_HSTS_PRELOAD = os.environ.get("SECURE_HSTS_PRELOAD", "true") != "false"
LANGUAGE_COOKIE_SECURE = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
# Uploaded images' renditions live in MEDIA_ROOT; Django serves them unless a proxy in front does.
SERVE_MEDIA = os.environ.get("SERVE_MEDIA", "true") != "false"
WAGTAILADMIN_BASE_URL = require_env("PORTAL_BASE_URL")
WAGTAILAPI_BASE_URL = WAGTAILADMIN_BASE_URL
# Wagtail's live preview shows the page in a same-origin frame, so SAMEORIGIN
# (base.py) is deliberate rather than DENY; frame-ancestors 'self' in the CSP agrees.
SILENCED_SYSTEM_CHECKS = ["security.W019"]
# The platform's seal for tender documents: a key file of its own, never created on the fly.
PROCUREMENT_SIGNING_KEY_FILE = require_env("PROCUREMENT_SIGNING_KEY_FILE")
PROCUREMENT_SIGNING_KEY_AUTOCREATE = False
