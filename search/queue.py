"""The index queue: record updates inside the change's transaction, apply them in bulk later.

    enqueue(["page:12"])   # in the transaction that published page 12
    process()              # the worker: refresh entries, push to Elasticsearch, mark done

A failure (Elasticsearch down, a rejected document) leaves the rows pending; the worker task
schedules itself again with a growing delay, and ``manage.py search_index process`` (run every
minute by the scheduler) sweeps whatever is left, so the index converges once Elasticsearch is back.
"""

import datetime
import logging
from contextlib import contextmanager

from django.db import connection, transaction
from django.db.models import F, Min
from django.utils import timezone

from search import entries
from search.es import get_client
from search.indexing import add_missing_fields, apply_updates, has_index, rebuild_index
from search.models import IndexUpdate
from search.service import is_outage

logger = logging.getLogger(__name__)
BATCH_SIZE = 500
KEEP_DONE = datetime.timedelta(days=1)
MAX_DELAY = 600
MAX_ATTEMPTS = 20
ADVISORY_LOCK = 0x6A79_7365  # "jyse": the index queue


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
    waiting = pending()
    oldest = waiting.aggregate(oldest=Min("created_at"))["oldest"]
    age = (timezone.now() - oldest).total_seconds() if oldest else None
    return waiting.count(), age


def _apply(client, rows):
    saved, deleted = entries.refresh(row.key for row in rows)
    if client is None:  # no Elasticsearch configured: the entries are all there is
        return
    if not has_index(client):
        # First start, or Elasticsearch lost its data: an index of only the latest changes would
        # answer almost nothing, so build the whole of it (from the entries) instead.
        rebuild_index(client)
        return
    add_missing_fields(client)  # an index built before a new kind's fields were mapped
    apply_updates(client, saved, deleted)


def _failed(rows, error):
    message = f"{error.__class__.__name__}: {error}"[:1000]
    IndexUpdate.objects.filter(pk__in=[r.pk for r in rows]).update(
        attempts=F("attempts") + 1, last_error=message
    )
    logger.warning("index update failed for %d keys: %s", len(rows), message)
    return message


def _done(rows):
    IndexUpdate.objects.filter(pk__in=[r.pk for r in rows]).update(done_at=timezone.now(), last_error="")


def pending():
    """Updates still to apply; those that failed MAX_ATTEMPTS times are set aside (see ``dead``)."""
    return IndexUpdate.objects.filter(done_at__isnull=True, attempts__lt=MAX_ATTEMPTS)


def dead():
    return IndexUpdate.objects.filter(done_at__isnull=True, attempts__gte=MAX_ATTEMPTS)


def process(batch_size=BATCH_SIZE, max_batches=100):
    """Apply pending updates, a batch at a time; returns a summary dict. Raises nothing.

    An outage stops the run (the rows stay pending, retried later). Any other failure is retried
    key by key, so one update that can never succeed does not hold back the others; after
    MAX_ATTEMPTS it is set aside and shown by ``search_index status`` and /healthz/."""
    summary = {"applied": 0, "failed": 0, "error": ""}
    with _exclusive() as mine:
        if not mine:  # another worker is applying the queue right now
            return summary
        client = get_client()
        for _ in range(max_batches):
            rows = list(pending().order_by("pk")[:batch_size])
            if not rows:
                break
            try:
                _apply(client, rows)
                _done(rows)
                summary["applied"] += len(rows)
                continue
            except Exception as error:  # noqa: BLE001 - recorded and retried, never lost
                if is_outage(error) or len(rows) == 1:
                    summary.update(failed=len(rows), error=_failed(rows, error))
                    break
            for row in rows:  # find the one(s) that fail, apply the others
                try:
                    _apply(client, [row])
                    _done([row])
                    summary["applied"] += 1
                except Exception as error:  # noqa: BLE001
                    summary["failed"] += 1
                    summary["error"] = _failed([row], error)
                    if is_outage(error):
                        return summary
        IndexUpdate.objects.filter(done_at__lt=timezone.now() - KEEP_DONE).delete()
    return summary


@contextmanager
def _exclusive():
    """One queue processor at a time (the worker's task and the scheduler's sweep may overlap),
    so an older state can never be written over a newer one. PostgreSQL: an advisory lock."""
    if connection.vendor != "postgresql":
        yield True
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [ADVISORY_LOCK])
        mine = cursor.fetchone()[0]
    try:
        yield mine
    finally:
        if mine:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [ADVISORY_LOCK])


def retry_delay():
    """Seconds until the next attempt: doubling from 30 s, at most 10 minutes."""
    attempts = pending().order_by("pk").values_list("attempts", flat=True)
    first = attempts.first() or 1
    return min(30 * 2 ** (first - 1), MAX_DELAY)
