"""Public exports of the catalogue (CSV, JSON, DCAT JSON-LD), under /ziyuan/."""

from django.urls import path

from . import views

urlpatterns = [
    path("export.csv", views.export_csv, name="export_csv"),
    path("export.json", views.export_json, name="export_json"),
    path("catalog.jsonld", views.export_dcat, name="export_dcat"),
]
