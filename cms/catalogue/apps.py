from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "cms.catalogue"
    label = "catalogue"
    verbose_name = "政务信息资源目录"

    def ready(self):
        from .importing import admin  # noqa: F401 - registers the import view's Wagtail hooks
