"""Shared fixtures. Server-backed tests FAIL under CI=true when their server is missing,
and skip loudly elsewhere (see pytest_terminal_summary)."""

import os
import shutil

import pytest

from tests.builders import build_portal

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
_missing_servers = []


def need_server(what, why):
    """Fail under CI, skip loudly elsewhere."""
    message = f"{what} is required for this test but {why}"
    if IN_CI:
        pytest.fail(f"CI=true: {message}", pytrace=False)
    _missing_servers.append(message)
    pytest.skip(f"NO SERVER: {message}")


@pytest.fixture(autouse=True)
def _server_markers(request):
    if request.node.get_closest_marker("postgres"):
        from django.db import connection

        if connection.vendor != "postgresql":
            need_server("PostgreSQL", "DATABASE_URL does not point at PostgreSQL")
    if request.node.get_closest_marker("browser") and not shutil.which(CHROMIUM):
        need_server("Chromium", f"{CHROMIUM} is not installed (scripts/chromium.sh)")


@pytest.fixture
def elasticsearch_url():
    url = os.environ.get("ELASTICSEARCH_URL", "")
    if not url:
        need_server("Elasticsearch", "ELASTICSEARCH_URL is not set")
    from elasticsearch import Elasticsearch

    client = Elasticsearch(url, request_timeout=5)
    try:
        client.cluster.health(wait_for_status="yellow", timeout="10s")
    except Exception as error:  # noqa: BLE001 - any failure means "not reachable"
        need_server("Elasticsearch", f"{url} does not answer ({error.__class__.__name__})")
    return url


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Caches (search synonyms, "Elasticsearch is down" cool-downs), the buffered search statistics
    and the active language must not leak between tests."""
    from django.conf import settings
    from django.core.cache import cache
    from django.utils import translation

    from cms.casework import workdays
    from search.service import query_log

    cache.clear()
    query_log.reset()
    workdays.forget()
    # A request in English leaves the thread's language on English; each test starts in Chinese.
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()
    cache.clear()
    query_log.reset()
    workdays.forget()


@pytest.fixture
def portal(db):
    """A small but complete site: home, news, the disclosure catalogue with departments and documents."""
    return build_portal()


def pytest_terminal_summary(terminalreporter):
    # Read the skip reasons from the reports, not from _missing_servers: under pytest-xdist the tests
    # run in worker processes and only their reports reach this one.
    missing = set(_missing_servers)
    for report in terminalreporter.stats.get("skipped", []):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        if "NO SERVER: " in reason:
            missing.add(reason.split("NO SERVER: ", 1)[1])
    if missing:
        terminalreporter.section("TESTS SKIPPED FOR LACK OF A SERVER", sep="!", red=True, bold=True)
        for line in sorted(missing):
            terminalreporter.write_line(f"  {line}", red=True)
