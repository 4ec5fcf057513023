from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_POST

from .middleware import ELDER_COOKIE

ONE_YEAR = 365 * 24 * 3600


def _safe_next(request, fallback="/"):
    target = request.POST.get("next") or request.GET.get("next") or request.META.get("HTTP_REFERER")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


@require_POST
def toggle_elder_mode(request):
    """Switch 适老化 mode on or off; a plain form POST, so it works without JavaScript."""
    response = HttpResponseRedirect(_safe_next(request))
    if request.POST.get("mode") == "on":
        response.set_cookie(
            ELDER_COOKIE, "1", max_age=ONE_YEAR, samesite="Lax", httponly=True, secure=request.is_secure()
        )
    else:
        response.delete_cookie(ELDER_COOKIE, samesite="Lax")
    return response


@require_GET
@cache_control(max_age=3600, public=True)
def robots_txt(request):
    sitemap = request.build_absolute_uri("/sitemap.xml")
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /django-admin/",
        "Disallow: /search/",
        "Allow: /",
        f"Sitemap: {sitemap}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_GET
def healthz(request):
    """Liveness for the load balancer and a summary for operators: the database (503 when down),
    Elasticsearch (reported, not fatal: search falls back to the database), the index queue and the
    email outbox."""
    from django.db import connection

    from cms.casework import notify
    from search import queue
    from search.es import check_reachable, shared_client

    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception:  # noqa: BLE001 - report, don't crash the probe
        return JsonResponse({"status": "database unavailable", "database": "unavailable"}, status=503)
    client = shared_client(request_timeout=3, max_retries=0)
    if client is None:
        checks["elasticsearch"] = "not configured"
    else:
        try:
            check_reachable(client, timeout="2s")
            checks["elasticsearch"] = "ok"
        except Exception:  # noqa: BLE001
            checks["elasticsearch"] = "unavailable"
    pending, age = queue.backlog()
    checks["index_queue"] = {
        "pending": pending,
        "oldest_seconds": round(age) if age else None,
        "failed": queue.dead().count(),  # set aside after repeated failures: see search_index status
    }
    # The email outbox: "degraded" when a notice has waited over an hour (mail server down, worker stopped).
    checks["outbox"] = notify.outbox_summary()
    stale = (checks["outbox"]["oldest_seconds"] or 0) > notify.STALE_AFTER
    degraded = checks["elasticsearch"] == "unavailable" or stale
    return JsonResponse({"status": "degraded" if degraded else "ok", **checks})


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # Deliberately no context processors that touch the database: the DB may be the cause.
    from django.template import loader

    template = loader.get_template("500.html")
    return HttpResponse(template.render({}), status=500)


def bad_request(request, exception=None):
    return render(request, "400.html", status=400)


def csrf_failure(request, reason=""):
    """A form posted without a valid CSRF token (an expired page, cookies off): say so in Chinese."""
    return render(request, "403_csrf.html", status=403)
