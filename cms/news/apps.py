from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "cms.news"
    label = "news"
    verbose_name = "政务动态"
