from django.apps import AppConfig


class ServicesConfig(AppConfig):
    """The service guide (办事指南) at /zwfw/: guides, their materials and their online application forms."""

    name = "cms.services"
    label = "services"
    verbose_name = "政务服务"

    def ready(self):
        from . import signals

        signals.connect()
