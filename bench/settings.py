"""Settings for the benchmark's gunicorn servers: production behaviour (DEBUG off, cached
templates) without production's required secrets and HTTPS redirect, on a throw-away database."""

import os
import secrets

from portal.settings.base import *  # noqa: F403

DEBUG = False
# One key for every gunicorn worker (each imports these settings): a session made by one is read by another.
SECRET_KEY = os.environ.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(50)
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
