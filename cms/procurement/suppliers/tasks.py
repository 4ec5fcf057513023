"""Background work of the suppliers part (django-tasks; run by the django-tasks-db worker)."""

from django_tasks import task


@task()
def send_alert_digests():
    """The saved searches' daily digests that are due (``alerts.send_digests``); safe to run often."""
    from cms.procurement.suppliers import alerts

    return alerts.send_digests()
