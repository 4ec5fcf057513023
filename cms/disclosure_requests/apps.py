from django.apps import AppConfig


class DisclosureRequestsConfig(AppConfig):
    """依申请公开: requests for government information under State Council Decree 711 (2019)."""

    name = "cms.disclosure_requests"
    label = "disclosure_requests"
    verbose_name = "依申请公开"
