"""/zfcg/ beside the page tree (department folders are page slugs; these prefixes are reserved)."""

from django.urls import include, path

app_name = "procurement"

urlpatterns = [
    path("", include("cms.procurement.public.urls")),  # feed/, deadlines.ics
    path("supplier/", include("cms.procurement.suppliers.urls")),  # accounts, downloads, subscriptions
    path("verify/", include("cms.procurement.trust.urls")),  # signature check, public key
]

RESERVED_SLUGS = frozenset({"feed", "deadlines.ics", "supplier", "verify"})
