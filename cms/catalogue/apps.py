from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "cms.catalogue"
    label = "catalogue"
    verbose_name = "政务信息资源目录"
