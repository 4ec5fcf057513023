from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from cms.core import views as core_views

urlpatterns = [
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/setlang/", set_language, name="set_language"),
    path("elder-mode/", core_views.toggle_elder_mode, name="elder_mode"),
    path("robots.txt", core_views.robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("healthz/", core_views.healthz, name="healthz"),
    path("search/", include("search.urls")),
    path("ziyuan/", include("cms.catalogue.urls")),
    # Before Wagtail's pages: /zwfw/ and /xxgk/ are page trees, these are the forms and tracking beside them.
    path("zwfw/", include("cms.applications.urls")),
    path("xxgk/ysqgk/", include("cms.disclosure_requests.urls")),
    path("zfcg/", include("cms.procurement.urls")),
    path("api/", include("cms.api.urls")),
]

if settings.DEBUG or getattr(settings, "SERVE_MEDIA", False):
    from django.urls import re_path
    from django.views.static import serve

    # Renditions and uploads; in a larger deployment the proxy in front serves /media/ instead.
    media_prefix = settings.MEDIA_URL.strip("/")
    urlpatterns += [re_path(rf"^{media_prefix}/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})]

urlpatterns += [path("", include(wagtail_urls))]

handler400 = "cms.core.views.bad_request"
handler404 = "cms.core.views.page_not_found"
handler500 = "cms.core.views.server_error"
