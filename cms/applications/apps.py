from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    """Online applications (网上办事 / 办件): submitted from a service guide, handled by its department."""

    name = "cms.applications"
    label = "applications"
    verbose_name = "网上办件"
