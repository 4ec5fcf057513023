"""/api/: Wagtail's API v2 under v2/, the ninja API (docs, OpenAPI, domain endpoints) beside it.

Every view here is wrapped by ``caching.api_cache`` (Cache-Control, Vary, ETag, 304);
CORS is django-cors-headers' middleware, limited to ^/api/ by CORS_URLS_REGEX.
"""

from django.http import JsonResponse
from django.urls import path, reverse
from wagtail.utils.urlpatterns import decorate_urlpatterns

from .caching import api_cache
from .main import api
from .v2 import router as v2_router


def api_index(request):
    return JsonResponse(
        {
            "title": api.title,
            "version": api.version,
            "openapi": reverse("portal_api:openapi-json"),
            "docs": reverse("portal_api:openapi-view"),
            "endpoints": {
                "pages": reverse("wagtailapi:pages:listing"),
                "images": reverse("wagtailapi:images:listing"),
                "documents": reverse("wagtailapi:documents:listing"),
                "disclosure_documents": reverse("portal_api:list_documents"),
                "departments": reverse("portal_api:list_departments"),
                "topics": reverse("portal_api:list_topics"),
                "search": reverse("portal_api:search_api"),
                "search_suggest": reverse("portal_api:suggest_api"),
                "disclosure_requests": reverse("portal_api:submit_request"),
                "disclosure_request_tracking": reverse("portal_api:track_request"),
                "service_guides": reverse("portal_api:list_guides"),
                "service_topics": reverse("portal_api:list_service_topics"),
                "application_tracking": reverse("portal_api:track_application"),
                "procurement_projects": reverse("portal_api:list_procurement_projects"),
                "procurement_ocds_releases": reverse("portal_api:ocds_bulk_releases"),
                "procurement_ocds_release_lines": reverse("portal_api:ocds_bulk_release_lines"),
            },
        },
        json_dumps_params={"ensure_ascii": False},
    )


urlpatterns = decorate_urlpatterns(
    [
        path("v2/", v2_router.urls),
        # Before ninja's own root view (which only answers 404); reverse() still finds ninja's.
        path("", api_index, name="api_index"),
        path("", api.urls),
    ],
    api_cache,
)
