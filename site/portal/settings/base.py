"""Settings shared by every environment. No secrets here: see production.py."""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parents[3]  # the repository root
THEME = os.environ.get("PORTAL_THEME", "default")
THEME_DIR = BASE_DIR / "themes" / THEME
VAR_DIR = Path(os.environ.get("PORTAL_VAR_DIR", BASE_DIR / "var"))

INSTALLED_APPS = [
    "cms.core",
    "cms.home",
    "cms.news",
    "cms.disclosure",
    "cms.catalogue",
    "cms.casework",
    "cms.services",
    "cms.applications",
    "cms.disclosure_requests",
    "cms.procurement",
    "cms.editors",
    "cms.api",
    "search",
    "wagtail.contrib.settings",
    "wagtail.contrib.forms",
    "wagtail.contrib.search_promotions",
    "wagtail.contrib.redirects",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.table_block",
    "wagtail.contrib.typed_table_block",
    "wagtail.contrib.routable_page",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail.api.v2",
    "wagtail",
    "modelcluster",
    "taggit",
    "rest_framework",
    "django_filters",
    "corsheaders",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "cms.core.middleware.NulBytesMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "cms.core.middleware.ElderModeMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [THEME_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "cms.core.context_processors.portal",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}", conn_max_age=60)
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Lock an account+address out after repeated failed logins (admin included).
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_VERBOSE = False

# Chinese first, English available, for the site and the admin.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
WAGTAIL_I18N_ENABLED = False
WAGTAIL_CONTENT_LANGUAGES = [("zh-hans", "简体中文")]
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "static_collected"
STATICFILES_DIRS = [THEME_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("PORTAL_MEDIA_ROOT", VAR_DIR / "media"))
# Applicants' uploads and decision documents: never under MEDIA_ROOT, served only by permission-checked views.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PORTAL_PRIVATE_MEDIA_ROOT", VAR_DIR / "private"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

WAGTAIL_SITE_NAME = "济源市人民政府"
WAGTAILADMIN_BASE_URL = os.environ.get("PORTAL_BASE_URL", "http://127.0.0.1:8000")
WAGTAILDOCS_EXTENSIONS = ["pdf", "doc", "docx", "xls", "xlsx", "ofd", "wps", "txt", "zip", "csv", "odt"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 50 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAIL_WORKFLOW_ENABLED = True
WAGTAIL_MODERATION_ENABLED = True
WAGTAILADMIN_NOTIFICATION_USE_HTML = True

# Database search is the embedded fallback; text is segmented with jieba on
# the way in and out (search.backends), so Chinese words match on SQLite and
# PostgreSQL alike.
WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": "search.backends.segmented"},
}
ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")
ELASTICSEARCH_INDEX_PREFIX = os.environ.get("ELASTICSEARCH_INDEX_PREFIX", "portal")

# Seconds per SMTP step: an unreachable or silent mail server cannot stall the worker.
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "20"))

CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # Rate limits on public forms must be shared by every worker process: the database is what they share
    # (table created by `manage.py createcachetable`, which the set-up scripts run after migrate).
    "shared": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "portal_cache"},
}
RATELIMIT_USE_CACHE = "shared"

# django-tasks: work is committed to the database first, a worker runs it.
TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend"},
}

# Index numbers (索引号): {org} 机构代码, {topic} 主题分类 code, {year}, {seq}.
DISCLOSURE_INDEX_NUMBER_PATTERN = os.environ.get("DISCLOSURE_INDEX_NUMBER_PATTERN", "{org}/{year}-{seq:05d}")

# Headless API.
WAGTAILAPI_BASE_URL = WAGTAILADMIN_BASE_URL
WAGTAILAPI_LIMIT_MAX = 100
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOWED_ORIGINS = [o for o in os.environ.get("CORS_ALLOWED_ORIGINS", "").split(",") if o]
CORS_ALLOW_METHODS = ["GET", "OPTIONS"]
API_CACHE_SECONDS = int(os.environ.get("API_CACHE_SECONDS", "300"))

# Content Security Policy: everything from our own origin, nothing external.
CONTENT_SECURITY_POLICY = {
    # The admin needs inline scripts and sits behind a login; the public site stays strict.
    "EXCLUDE_URL_PREFIXES": ["/admin/", "/django-admin/"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "script-src": ["'self'"],
        "font-src": ["'self'", "data:"],
        "frame-ancestors": ["'self'"],
        "form-action": ["'self'"],
    },
}

SESSION_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "cms.core.views.csrf_failure"
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "SAMEORIGIN"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"

LOGIN_URL = "wagtailadmin_login"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # elastic_transport logs every request at INFO: noise, and a cost on every search.
    "loggers": {"jieba": {"level": "WARNING"}, "elastic_transport": {"level": "WARNING"}},
}

PORTAL_LANGUAGE_NAMES = {"zh-hans": _("简体中文"), "en": _("English")}

# Procurement (cms.procurement): the platform's Ed25519 key that signs tender documents (trust/signing.py).
# Production names its own key file (production.py); dev and tests create one under var/ on first use.
PROCUREMENT_SIGNING_KEY_FILE = os.environ.get(
    "PROCUREMENT_SIGNING_KEY_FILE", str(VAR_DIR / "keys" / "procurement-ed25519.pem")
)
PROCUREMENT_SIGNING_KEY_AUTOCREATE = True
# The largest tender document an editor may upload (bytes; 100 MB).
PROCUREMENT_FILE_MAX_BYTES = int(os.environ.get("PROCUREMENT_FILE_MAX_BYTES", 100 * 1024 * 1024))
PROCUREMENT_RETIRED_PUBLIC_KEYS = [
    p for p in os.environ.get("PROCUREMENT_RETIRED_PUBLIC_KEYS", "").split(",") if p
]

# OCDS open data (cms/procurement/ocds): ocid = prefix + "-" + project number. A real prefix is registered
# with the Open Contracting Partnership; this default only stands in for it until then.
OCDS_OCID_PREFIX = os.environ.get("OCDS_OCID_PREFIX", "ocds-jyzfcg")
