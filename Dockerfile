# syntax=docker/dockerfile:1
# Production image: gunicorn serving portal.wsgi, static files collected at
# build time (served by whitenoise). See compose.yaml for the full stack.

# --- builder: install the pinned runtime deps into a self-contained venv ----
FROM python:3.11-slim-bookworm AS builder
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
# All pins ship manylinux wheels except pure-Python sdists (e.g. jieba), so
# no compiler is needed here.
RUN python -m venv /opt/venv
COPY requirements.txt /tmp/requirements.txt
RUN /opt/venv/bin/pip install -r /tmp/requirements.txt

# --- runtime -----------------------------------------------------------------
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/opt/venv/bin:$PATH \
    DJANGO_SETTINGS_MODULE=portal.settings.production \
    PORTAL_MEDIA_ROOT=/app/media

RUN groupadd --system portal && useradd --system --gid portal --home-dir /app portal
COPY --from=builder /opt/venv /opt/venv

WORKDIR /app
# Code stays root-owned (read-only for the app); only media/ and var/ are
# writable by the app user.
COPY . .
RUN mkdir -p media var && chown portal:portal media var

# The SECRET_KEY/DATABASE_URL here exist only for this RUN: production
# settings refuse to load without them, and collectstatic touches no DB.
RUN SECRET_KEY=build-only-collectstatic-not-secret \
    DATABASE_URL=sqlite:////tmp/build.sqlite3 \
    ALLOWED_HOSTS=build.invalid PORTAL_BASE_URL=https://build.invalid \
    EMAIL_HOST=build.invalid DEFAULT_FROM_EMAIL=build@build.invalid \
    PROCUREMENT_SIGNING_KEY_FILE=/nonexistent-build-only \
    python manage.py collectstatic --noinput

USER portal
EXPOSE 8000
# slim has no curl: probe with the stdlib. Host is 127.0.0.1, so production
# ALLOWED_HOSTS must accept it and /healthz/ must not be redirected to HTTPS.
HEALTHCHECK --interval=30s --timeout=5s --start-period=40s --retries=3 \
  CMD ["python", "-c", "import sys, urllib.request; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/healthz/', timeout=4).status == 200 else 1)"]
# Run via sh so a lost exec bit (e.g. a checkout on Windows) cannot break it.
ENTRYPOINT ["/bin/sh", "/app/scripts/docker-entrypoint.sh"]
CMD ["gunicorn", "portal.wsgi:application", "--pythonpath", "site", \
     "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
