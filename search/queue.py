"""The index queue: record updates inside the change's transaction, apply them in bulk later.

    enqueue(["page:12"])   # in the transaction that published page 12
    process()              # the worker: refresh entries, push to Elasticsearch, mark done

A failure (Elasticsearch down, a rejected document) leaves the rows pending; the worker task
schedules itself again with a growing delay, and ``manage.py search_index process`` (run every
minute by the scheduler) sweeps whatever is left, so the index converges once Elasticsearch is back.
"""

import datetime
import logging

from django.db import transaction
from django.db.models import F, Min
from django.utils import timezone

from search import entries
from search.es import get_client
from search.indexing import apply_updates, ensure_index
from search.models import IndexUpdate

logger = logging.getLogger(__name__)
BATCH_SIZE = 500
KEEP_DONE = datetime.timedelta(days=1)
MAX_DELAY = 600


def enqueue(keys):
    """Record an index update per key in the current transaction; wake the worker on commit."""
    keys = list(dict.fromkeys(keys))
    if not keys:
        return
    IndexUpdate.objects.bulk_create(IndexUpdate(key=key) for key in keys)
    transaction.on_commit(schedule)


def schedule(delay=None):
    """Enqueue the worker task (once: not while another is already waiting)."""
    from search.tasks import apply_index_updates

    try:
        task = apply_index_updates
        backend = task.get_backend()
        if backend.supports_defer and _task_waiting(task):
            return
        if delay and backend.supports_defer:
            task = task.using(run_after=timezone.now() + datetime.timedelta(seconds=delay))
        task.enqueue()
    except Exception:  # noqa: BLE001 - the rows are committed; the scheduler's sweep still runs them
        logger.exception("could not enqueue the index worker; pending updates wait for the sweep")


def _task_waiting(task):
    try:
        from django_tasks_db.models import DBTaskResult
    except ImportError:  # pragma: no cover - another backend
        return False
    return DBTaskResult.objects.filter(task_path=task.module_path, status="READY").exists()


def backlog():
    """(pending updates, age in seconds of the oldest one or None)."""
    pending = IndexUpdate.objects.filter(done_at__isnull=True)
    oldest = pending.aggregate(oldest=Min("created_at"))["oldest"]
    age = (timezone.now() - oldest).total_seconds() if oldest else None
    return pending.count(), age


def process(batch_size=BATCH_SIZE, max_batches=100):
    """Apply pending updates, a batch at a time; returns a summary dict. Raises nothing: a failed
    batch is recorded on its rows (attempts, last_error) and stops the run."""
    summary = {"applied": 0, "failed": 0, "error": ""}
    client = get_client()
    for _ in range(max_batches):
        rows = list(IndexUpdate.objects.filter(done_at__isnull=True).order_by("pk")[:batch_size])
        if not rows:
            break
        ids = [row.pk for row in rows]
        try:
            saved, deleted = entries.refresh(row.key for row in rows)
            if client is not None:  # no Elasticsearch configured: the entries are all there is
                apply_updates(client, saved, deleted, index=ensure_index(client))
        except Exception as error:  # noqa: BLE001 - recorded and retried, never lost
            message = f"{error.__class__.__name__}: {error}"[:1000]
            IndexUpdate.objects.filter(pk__in=ids).update(attempts=F("attempts") + 1, last_error=message)
            summary.update(failed=len(ids), error=message)
            logger.warning("index update failed for %d keys: %s", len(ids), message)
            break
        IndexUpdate.objects.filter(pk__in=ids).update(done_at=timezone.now(), last_error="")
        summary["applied"] += len(ids)
    IndexUpdate.objects.filter(done_at__lt=timezone.now() - KEEP_DONE).delete()
    return summary


def retry_delay():
    """Seconds until the next attempt: doubling from 30 s, at most 10 minutes."""
    attempts = (
        IndexUpdate.objects.filter(done_at__isnull=True).order_by("pk").values_list("attempts", flat=True)
    )
    first = attempts.first() or 1
    return min(30 * 2 ** (first - 1), MAX_DELAY)
