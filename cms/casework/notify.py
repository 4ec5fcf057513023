"""Emails to applicants through an outbox: ``Notification`` rows committed with the change they report,
sent by the worker (``deliver_notifications``) and, as a safety net, by ``manage.py casework send_mail``,
which the scheduler runs every minute. A mail server that is down delays an email; it never loses one or
blocks a state change."""

import contextlib
import datetime
import logging

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

logger = logging.getLogger(__name__)

MAX_DELAY = 3600  # seconds between attempts, at most
BATCH = 100


def queue(to, subject, body, case_label=""):
    from cms.casework.models import Notification

    notice = Notification.objects.create(to=to, subject=subject[:200], body=body, case_label=case_label)
    transaction.on_commit(schedule)
    return notice


def queue_case_notice(case, event):
    context = {"case": case, "event": event, "site_url": settings.WAGTAILADMIN_BASE_URL}
    subject = f"【济源市人民政府】{case.notice_title}：{event.action_label}（{case.tracking_number}）"
    body = render_to_string("casework/email/state_changed.txt", context)
    return queue(case.email, subject, body, case.tracking_number)


def due():
    from cms.casework.models import Notification

    now = timezone.now()
    return Notification.objects.filter(sent_at__isnull=True).filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    )


def retry_delay(attempts):
    return min(30 * 2 ** max(attempts - 1, 0), MAX_DELAY)


def deliver_due(limit=BATCH):
    """Send what is due; returns ``{"sent": n, "failed": n}``. One failure stops the batch (the server is
    most likely down) and schedules the next attempt with a doubling delay."""
    sent = failed = 0
    pending = list(due().order_by("pk")[:limit])
    if not pending:
        return {"sent": 0, "failed": 0}
    try:
        connection = get_connection(fail_silently=False)
        connection.open()
    except Exception as error:  # noqa: BLE001 - any transport error means "try later"
        _postpone(pending, error)
        return {"sent": 0, "failed": len(pending)}
    try:
        for notice in pending:
            message = EmailMessage(notice.subject, notice.body, settings.DEFAULT_FROM_EMAIL, [notice.to])
            try:
                connection.send_messages([message])
            except Exception as error:  # noqa: BLE001
                _postpone([notice], error)
                failed += 1
                break
            notice.sent_at = timezone.now()
            notice.attempts += 1
            notice.last_error = ""
            notice.save(update_fields=["sent_at", "attempts", "last_error"])
            sent += 1
    finally:
        with contextlib.suppress(Exception):  # closing a broken connection
            connection.close()
    return {"sent": sent, "failed": failed}


def _postpone(notices, error):
    logger.warning("mail not sent, will retry: %s", error)
    now = timezone.now()
    for notice in notices:
        notice.attempts += 1
        notice.last_error = str(error)[:500]
        notice.next_attempt_at = now + datetime.timedelta(seconds=retry_delay(notice.attempts))
        notice.save(update_fields=["attempts", "last_error", "next_attempt_at"])


def schedule(delay=None):
    """Enqueue the mail task; if even that fails, the scheduler's sweep sends the mail."""
    from cms.casework.tasks import deliver_notifications

    try:
        task = deliver_notifications
        if delay and task.get_backend().supports_defer:
            task = task.using(run_after=timezone.now() + datetime.timedelta(seconds=delay))
        task.enqueue()
    except Exception:  # noqa: BLE001
        logger.exception("could not enqueue the mail task; the scheduler's sweep will send the mail")
