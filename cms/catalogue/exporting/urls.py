"""Public exports of the catalogue (CSV, JSON, DCAT JSON-LD), under /ziyuan/."""

urlpatterns = []
