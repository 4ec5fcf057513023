from django.apps import AppConfig


class EditorsConfig(AppConfig):
    name = "cms.editors"
    label = "editors"
    verbose_name = "编辑权限与审核"

    def ready(self):
        from . import signals  # noqa: F401
