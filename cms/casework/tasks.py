"""Background work of casework (django-tasks; run by the django-tasks-db worker)."""

from django_tasks import task


@task()
def deliver_notifications():
    """Send the emails that are due; when the mail server fails, try again when the next one is due."""
    from cms.casework import notify

    summary = notify.deliver_all()
    if summary["failed"]:
        wait = notify.seconds_until_next()
        if wait is not None:
            notify.schedule(delay=max(wait, 1))
    return summary
