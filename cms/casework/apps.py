from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    """The shared core of casework: working days, tracking numbers, transitions, notices by email."""

    name = "cms.casework"
    label = "casework"
    verbose_name = "办件管理"
