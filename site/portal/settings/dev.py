"""Local development and the demo: SQLite, console email, debug on."""

from .base import *  # noqa: F403
from .base import VAR_DIR

DEBUG = True
# A throw-away key for the local demo only; production.py refuses to start without a real one.
SECRET_KEY = "dev-only-not-secret-" + "jiyuan-portal-demo"  # noqa: S105
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", "testserver"]
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = "noreply@jiyuan.gov.cn"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
VAR_DIR.mkdir(parents=True, exist_ok=True)
# The one-command demo runs no worker process, so background tasks (search
# index and reference index updates) run inline; production queues them in the
# database for `manage.py db_worker`.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Inline tasks would log every run at INFO: thousands of lines that bury the demo's accounts and codes.
LOGGING["loggers"]["django_tasks"] = {"level": "WARNING"}  # noqa: F405
