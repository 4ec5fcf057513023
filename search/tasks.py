"""Background work of the search (django-tasks; run by the django-tasks-db worker)."""

from django_tasks import task


@task()
def apply_index_updates():
    """Drain the index queue; on failure try again later with a growing delay."""
    from search import queue

    summary = queue.process()
    if summary["failed"]:
        queue.schedule(delay=queue.retry_delay())
    return summary
