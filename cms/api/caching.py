"""HTTP caching for everything under /api/: Cache-Control, Vary, ETag and conditional GET.

Applied to the API's url patterns only (see urls.py), not as a site-wide middleware:

* a successful GET/HEAD gets ``Cache-Control: public, max-age=<API_CACHE_SECONDS>`` and
  ``Vary: Accept-Encoding`` (Django REST framework adds ``Accept`` itself); if answering
  it touched the session (e.g. a password-protected page was checked) or sets a cookie
  (e.g. a CSRF token), it is ``private``: a shared cache must never hand it to someone else;
* it gets a strong ETag of its body, and ``If-None-Match`` / ``If-Modified-Since`` are
  answered with 304 Not Modified, as ``ConditionalGetMiddleware`` would;
* errors (4xx, 5xx) are not cached.
"""

import functools

from django.conf import settings
from django.utils.cache import (
    add_never_cache_headers,
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
    set_response_etag,
)
from django.utils.http import parse_http_date_safe

SAFE_METHODS = ("GET", "HEAD")


def api_cache(view):
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if request.method not in SAFE_METHODS:
            return response
        return cache_response(request, response)

    return wrapped


def cache_response(request, response):
    if callable(getattr(response, "render", None)) and not getattr(response, "is_rendered", True):
        response.render()  # DRF responses are rendered lazily; the ETag needs the body
    if response.status_code >= 400:
        add_never_cache_headers(response)
        return response
    if response.status_code != 200:
        return response
    if is_personal(request, response):
        patch_cache_control(response, private=True, max_age=settings.API_CACHE_SECONDS)
    else:
        patch_cache_control(response, public=True, max_age=settings.API_CACHE_SECONDS)
    patch_vary_headers(response, ["Accept-Encoding"])
    if response.streaming:
        return response
    if not response.has_header("ETag"):
        set_response_etag(response)
    return get_conditional_response(
        request,
        etag=response.get("ETag"),
        last_modified=parse_http_date_safe(response.get("Last-Modified", "")) or None,
        response=response,
    )


def is_personal(request, response):
    session = getattr(request, "session", None)
    return bool(
        (session is not None and session.accessed)
        # The language may come from a cookie, which a shared cache cannot see.
        or settings.LANGUAGE_COOKIE_NAME in request.COOKIES
        or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        or response.cookies
    )
