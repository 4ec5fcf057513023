"""/ziyuan/: the public information resource catalogue."""

from django.urls import include, path

app_name = "catalogue"

urlpatterns = [
    path("", include("cms.catalogue.exporting.urls")),
]
