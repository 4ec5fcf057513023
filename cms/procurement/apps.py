from django.apps import AppConfig


class ProcurementConfig(AppConfig):
    """Government procurement (政府采购) at /zfcg/: projects, notices, tender documents, suppliers."""

    name = "cms.procurement"
    label = "procurement"
    verbose_name = "政府采购"

    def ready(self):
        from . import signals

        signals.connect()
