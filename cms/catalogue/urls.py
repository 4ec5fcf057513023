"""/ziyuan/: the public information resource catalogue."""

from django.urls import include, path, re_path

from . import views

app_name = "catalogue"
# /ziyuan/302001/000015/: a resource code's two parts (see codes.RESOURCE_CODE_RE).
RESOURCE_PATH = r"^(?P<front>[1-3][0-9]{2}(?:[0-9]{3}){0,2})/(?P<seq>[0-9]{6})/$"

urlpatterns = [
    path("", include("cms.catalogue.exporting.urls")),
    path("", views.index, name="index"),
    re_path(RESOURCE_PATH, views.resource, name="resource"),
]
