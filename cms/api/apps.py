from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "cms.api"
    label = "portal_api"
    verbose_name = "数据接口"
