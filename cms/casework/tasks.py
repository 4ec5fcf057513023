"""Background work of casework (django-tasks; run by the django-tasks-db worker)."""

from django_tasks import task


@task()
def deliver_notifications():
    """Send the emails that are due; when the mail server fails, try again later."""
    from cms.casework import notify

    summary = notify.deliver_due()
    if summary["failed"]:
        nxt = notify.due().order_by("next_attempt_at").values_list("attempts", flat=True).first() or 1
        notify.schedule(delay=notify.retry_delay(nxt))
    return summary
