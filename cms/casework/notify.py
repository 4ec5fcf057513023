"""Emails to applicants through an outbox: ``Notification`` rows committed with the change they report,
sent by the worker (``deliver_notifications``) and, as a safety net, by ``manage.py casework send_mail``,
which the scheduler runs every minute. A mail server that is down delays an email; it never loses one or
blocks a state change.

Several senders may run at once (worker processes, the scheduler). Each notice is claimed before it is sent:
its ``next_attempt_at`` becomes a lease in the future, set by a conditional update that only one sender can
win (on PostgreSQL the candidates are also picked with ``FOR UPDATE SKIP LOCKED``, so senders take disjoint
batches). A sender renews the lease, again conditionally, right before each message, so a notice is sent
once even if a batch outlives its lease. Only a sender that dies between the SMTP server's "250 OK" and the
next database write can cause a second copy, after the lease ends."""

import contextlib
import datetime
import logging
import smtplib
from email.header import Header
from email.message import Message

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import connection as db_connection
from django.db import transaction
from django.db.models import F, Min, Q
from django.template.loader import render_to_string
from django.utils import timezone

logger = logging.getLogger(__name__)

MAX_DELAY = 3600  # seconds between attempts, at most
BATCH = 100
LEASE = datetime.timedelta(minutes=5)  # longer than one message can take (EMAIL_TIMEOUT per SMTP step)
DEFAULT_TIMEOUT = 20  # seconds; used when settings.EMAIL_TIMEOUT is not set
STALE_AFTER = 3600  # seconds: an older pending notice makes /healthz/ "degraded"

# Errors about one message (a refused recipient): the others can still go. Anything else means the server
# or the connection is the problem, and the batch stops.
_MESSAGE_ERRORS = (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError)


def queue(to, subject, body, case_label="", headers=None):
    """Put an email in the outbox (in the caller's transaction); None when there is no address.
    ``headers``: extra header lines, e.g. ``{"List-Unsubscribe": "<https://...>"}``."""
    from cms.casework.models import Notification

    if not to:
        return None
    subject = " ".join(str(subject).split())[:200]  # one line: a header cannot carry a line break
    headers = {" ".join(str(k).split()): " ".join(str(v).split()) for k, v in (headers or {}).items()}
    notice = Notification.objects.create(
        to=to, subject=subject, body=body, case_label=case_label, headers=headers
    )
    transaction.on_commit(schedule)
    return notice


def queue_case_notice(case, event):
    context = {"case": case, "event": event, "site_url": settings.WAGTAILADMIN_BASE_URL}
    subject = f"【济源市人民政府】{case.notice_title}：{event.action_label}（{case.tracking_number}）"
    body = render_to_string("casework/email/state_changed.txt", context)
    return queue(case.email, subject, body, case.tracking_number)


def pending():
    from cms.casework.models import Notification

    return Notification.objects.filter(sent_at__isnull=True)


def due(now=None):
    now = now or timezone.now()
    return pending().filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))


def retry_delay(attempts):
    return min(30 * 2 ** max(attempts - 1, 0), MAX_DELAY)


def seconds_until_next():
    """Seconds until the earliest pending notice is due (0: now); None when nothing is pending."""
    first = pending().aggregate(first=Min("next_attempt_at"))["first"]
    if first is None:
        return 0 if pending().exists() else None
    return max((first - timezone.now()).total_seconds(), 0)


def outbox_summary(now=None):
    """For /healthz/ and ``casework status``: pending notices, the oldest one's age, and how many of them
    have failed at least once."""
    now = now or timezone.now()
    waiting = pending()
    oldest = waiting.aggregate(oldest=Min("created_at"))["oldest"]
    return {
        "pending": waiting.count(),
        "oldest_seconds": round((now - oldest).total_seconds()) if oldest else None,
        "failing": waiting.filter(attempts__gt=0).count(),
    }


def claim(limit=BATCH):
    """Take up to ``limit`` due notices for this sender; returns them (oldest first)."""
    from cms.casework.models import Notification

    now = timezone.now()
    lease = now + LEASE
    with transaction.atomic():
        candidates = due(now).order_by("pk")
        if db_connection.features.has_select_for_update_skip_locked:
            candidates = candidates.select_for_update(skip_locked=True)
        ids = list(candidates.values_list("pk", flat=True)[:limit])
        if not ids:
            return []
        # Conditional: without row locks (SQLite) another sender may have taken some of them meanwhile.
        due(now).filter(pk__in=ids).update(next_attempt_at=lease)
    claimed = Notification.objects.filter(pk__in=ids, sent_at__isnull=True, next_attempt_at=lease)
    return list(claimed.order_by("pk"))


def _renew(notice):
    """Still ours? Extend the lease; False if another sender took the notice (our lease ran out)."""
    lease = timezone.now() + LEASE
    won = pending().filter(pk=notice.pk, next_attempt_at=notice.next_attempt_at).update(next_attempt_at=lease)
    notice.next_attempt_at = lease
    return bool(won)


class NoticeMessage(EmailMessage):
    """Django 5.2 folds a long Chinese subject right after ``Subject:``, which some readers show with a
    leading space; a ``Header`` that knows its name folds it after the first encoded word instead."""

    def message(self, **kwargs):
        msg = super().message(**kwargs)
        del msg["Subject"]
        # Message.__setitem__ skips Django's check for newlines, which the encoding makes moot.
        Message.__setitem__(msg, "Subject", Header(self.subject, "utf-8", header_name="Subject"))
        return msg


def _message(notice):
    return NoticeMessage(
        notice.subject,
        notice.body,
        settings.DEFAULT_FROM_EMAIL,
        [notice.to],
        # RFC 3834: no out-of-office replies to the portal's automatic mail.
        headers={
            **(notice.headers or {}),
            "Auto-Submitted": "auto-generated",
            "X-Auto-Response-Suppress": "All",
        },
    )


def open_connection():
    """An SMTP connection that cannot hang the worker: ``EMAIL_TIMEOUT`` (default 20 s) bounds each step."""
    timeout = getattr(settings, "EMAIL_TIMEOUT", None) or DEFAULT_TIMEOUT
    connection = get_connection(fail_silently=False, timeout=timeout)
    connection.open()
    return connection


def deliver_due(limit=BATCH):
    """Send up to ``limit`` due notices; returns ``{"sent": n, "failed": n}``. A failure of the server or the
    connection stops the batch (the server is most likely down) and schedules the next attempt with a
    doubling delay; a message the server refuses is retried later on its own."""
    notices = claim(limit)
    if not notices:
        return {"sent": 0, "failed": 0}
    try:
        connection = open_connection()
    except Exception as error:  # noqa: BLE001 - any transport error means "try later"
        _postpone(notices, error)
        return {"sent": 0, "failed": len(notices)}
    sent = failed = 0
    try:
        for position, notice in enumerate(notices):
            if not _renew(notice):
                continue
            try:
                message = _message(notice)
                message.message()  # a notice that cannot become an email fails alone, before SMTP
            except Exception as error:  # noqa: BLE001
                _postpone([notice], error)
                failed += 1
                continue
            try:
                if not connection.send_messages([message]):
                    raise smtplib.SMTPRecipientsRefused({notice.to: (550, b"not sent")})
            except _MESSAGE_ERRORS as error:
                _postpone([notice], error)
                failed += 1
                continue
            except Exception as error:  # noqa: BLE001 - the connection broke: stop here
                _postpone([notice], error)
                _release(notices[position + 1 :], notice.next_attempt_at)
                failed += 1
                break
            _mark_sent(notice)
            sent += 1
    finally:
        with contextlib.suppress(Exception):  # closing a broken connection
            connection.close()
    return {"sent": sent, "failed": failed}


def _mark_sent(notice):
    pending().filter(pk=notice.pk).update(
        sent_at=timezone.now(), attempts=F("attempts") + 1, last_error="", next_attempt_at=None
    )


def _postpone(notices, error):
    logger.warning("mail not sent, will retry: %s", error)
    now = timezone.now()
    for notice in notices:
        notice.attempts += 1
        notice.last_error = f"{error.__class__.__name__}: {error}"[:500]
        notice.next_attempt_at = now + datetime.timedelta(seconds=retry_delay(notice.attempts))
        pending().filter(pk=notice.pk).update(
            attempts=notice.attempts, last_error=notice.last_error, next_attempt_at=notice.next_attempt_at
        )


def _release(notices, when):
    """Claimed but not tried: due again with the failed one, without counting an attempt."""
    for notice in notices:
        pending().filter(pk=notice.pk, next_attempt_at=notice.next_attempt_at).update(next_attempt_at=when)


def deliver_all(limit=1000):
    """Batches until nothing is due, a batch fails, or ``limit`` notices were handled."""
    total = {"sent": 0, "failed": 0}
    while total["sent"] + total["failed"] < limit:
        summary = deliver_due(min(BATCH, limit - total["sent"] - total["failed"]))
        total["sent"] += summary["sent"]
        total["failed"] += summary["failed"]
        if summary["failed"] or not summary["sent"]:
            break
    return total


def schedule(delay=None):
    """Enqueue the mail task; if even that fails, the scheduler's sweep sends the mail."""
    from cms.casework.tasks import deliver_notifications

    try:
        task = deliver_notifications
        if delay:
            if not task.get_backend().supports_defer:
                return  # the scheduler's sweep retries
            task = task.using(run_after=timezone.now() + datetime.timedelta(seconds=delay))
        task.enqueue()
    except Exception:  # noqa: BLE001
        logger.exception("could not enqueue the mail task; the scheduler's sweep will send the mail")
