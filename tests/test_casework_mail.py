"""Email notices through a real SMTP server on loopback (aiosmtpd): what the applicant receives, what
happens while the server is down or hangs, and that each notice is sent exactly once even when several
senders run at once. Also the outbox in /healthz/ and in ``manage.py casework status``."""

import datetime
import email
import socket
import threading
import time
from email import policy

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from cms.casework import notify
from cms.casework.models import Notification
from cms.casework.workflow import OFFICER, perform
from tests.casework_builders import make_application, make_guide, make_officer, make_service_tree

pytestmark = pytest.mark.anydb


class Mailbox:
    """An aiosmtpd handler that keeps what it receives; it refuses recipients at refused.example.com."""

    def __init__(self, delay=0.0):
        self.messages = []
        self.delay = delay
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.endswith("@refused.example.com"):
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            time.sleep(self.delay)  # a slow server: makes concurrent senders overlap
        with self.lock:
            self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"

    def subjects(self):
        return [m["Subject"] for m in self.messages]


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SMTPServer:
    def __init__(self, port, delay=0.0):
        self.port = port
        self.mailbox = Mailbox(delay)
        self.controller = None

    def start(self):
        self.controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp(settings):
    """A port for an SMTP server, not yet listening (``smtp.start()``); Django sends there."""
    server = SMTPServer(free_port())
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_TIMEOUT = 5
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield server
    server.stop()


@pytest.fixture
def travel(monkeypatch):
    def to(moment):
        monkeypatch.setattr(timezone, "now", lambda: moment)
        return moment

    return to


@pytest.fixture
def case(portal):
    _, folders = make_service_tree(portal)
    guide = make_guide(folders["czj"])
    application, _ = make_application(guide)
    return application, make_officer(portal.departments["czj"])


def test_a_state_change_reaches_the_applicant_by_smtp(case, smtp, django_capture_on_commit_callbacks):
    app, officer = case
    smtp.start()
    reason = "请补充经营场所使用证明（租赁合同或产权证明）<script>alert(1)</script>"
    with django_capture_on_commit_callbacks(execute=True):  # the worker's task runs on commit
        perform(app, "request_supplement", by=OFFICER, user=officer, reason=reason)
    [message] = smtp.mailbox.messages
    assert message["Subject"] == f"【济源市人民政府】办件：要求补正（{app.tracking_number}）"
    assert message["To"] == "applicant@example.com"
    assert message["From"] == "noreply@jiyuan.gov.cn"
    assert message["Auto-Submitted"] == "auto-generated"
    assert message.get_content_charset() == "utf-8"
    body = message.get_content()
    assert body.startswith("王小明，您好：")
    assert f"受理编号：{app.tracking_number}" in body
    assert "办理事项：个体工商户设立登记" in body
    assert "办理进展：要求补正" in body and "当前状态：待补正" in body
    assert f"说明：{reason}" in body  # plain text: nothing escaped, nothing lost
    assert "办理时限：暂停计算" in body
    assert "http://127.0.0.1:8000/zwfw/track/" in body
    assert "办理部门：济源市财政局" in body
    notice = Notification.objects.get()
    assert notice.sent_at is not None and notice.attempts == 1 and notice.last_error == ""


def test_mail_server_down_delays_the_email_and_never_the_state_change(
    case, smtp, travel, django_capture_on_commit_callbacks
):
    app, officer = case
    with django_capture_on_commit_callbacks(execute=True):
        event = perform(app, "accept", by=OFFICER, user=officer)  # nothing listens on the port
    app.refresh_from_db()
    assert app.state == "accepted" and app.events.get() == event
    notice = Notification.objects.get()
    assert notice.sent_at is None and notice.attempts == 1
    assert "Connection refused" in notice.last_error or "ConnectionRefused" in notice.last_error
    assert notice.next_attempt_at > timezone.now()

    smtp.start()
    assert notify.deliver_due() == {"sent": 0, "failed": 0}  # not due yet: waits its turn
    assert smtp.mailbox.messages == []
    travel(notice.next_attempt_at + datetime.timedelta(seconds=1))
    assert notify.deliver_due() == {"sent": 1, "failed": 0}
    assert notify.deliver_due() == {"sent": 0, "failed": 0}
    call_command("casework", "send_mail")
    assert smtp.mailbox.subjects() == [f"【济源市人民政府】办件：受理（{app.tracking_number}）"]
    notice.refresh_from_db()
    assert notice.sent_at is not None and notice.attempts == 2 and notice.last_error == ""


def test_retries_back_off_and_the_command_sends_what_is_due_once(smtp, travel, db, capsys):
    start = travel(timezone.now())
    for n in range(3):
        notify.queue(f"person{n}@example.com", f"通知{n}", "正文", f"ZW{n}")
    assert notify.deliver_due() == {"sent": 0, "failed": 3}
    delays = []
    for _ in range(3):  # 30 s, 60 s, 120 s ...
        notice = Notification.objects.get(to="person0@example.com")
        delays.append(round((notice.next_attempt_at - timezone.now()).total_seconds()))
        travel(notice.next_attempt_at)
        notify.deliver_due()
    assert delays == [30, 60, 120]
    assert Notification.objects.filter(attempts=4).count() == 3
    call_command("casework", "status")
    assert "其中 3 封发送失败、等待重试" in capsys.readouterr().out

    smtp.start()
    travel(start + datetime.timedelta(hours=1))
    call_command("casework", "send_mail")
    call_command("casework", "send_mail")
    assert sorted(smtp.mailbox.subjects()) == ["通知0", "通知1", "通知2"]
    assert "已发送 3 封" in capsys.readouterr().out
    assert not notify.pending().exists()


def test_a_silent_mail_server_cannot_hang_the_sender(smtp, settings, db):
    settings.EMAIL_TIMEOUT = 1
    with socket.socket() as silent:  # accepts connections (the kernel's backlog) and never answers
        silent.bind(("127.0.0.1", smtp.port))
        silent.listen(8)
        notify.queue("a@example.com", "主题", "正文")
        started = time.monotonic()
        assert notify.deliver_due() == {"sent": 0, "failed": 1}
        assert time.monotonic() - started < 4
    notice = Notification.objects.get()
    assert "timed out" in notice.last_error or "Timeout" in notice.last_error


def test_a_refused_recipient_does_not_hold_back_the_others(smtp, travel, db):
    smtp.start()
    for to in ("first@example.com", "wrong@refused.example.com", "broken\n@example.com", "last@example.com"):
        notify.queue(to, f"给 {to.strip()}", "正文")
    assert notify.deliver_due() == {"sent": 2, "failed": 2}
    assert smtp.mailbox.subjects() == ["给 first@example.com", "给 last@example.com"]
    refused, broken = Notification.objects.filter(sent_at__isnull=True).order_by("pk")
    assert refused.to == "wrong@refused.example.com"
    assert "SMTPRecipientsRefused" in refused.last_error and refused.attempts == 1
    assert broken.attempts == 1 and broken.last_error  # an address no email can carry


def test_a_claimed_notice_is_not_sent_by_a_second_sender(smtp, travel, db):
    smtp.start()
    notify.queue("a@example.com", "只发一次", "正文")
    [mine] = notify.claim()  # sender A takes it ...
    assert notify.claim() == []  # ... so sender B finds nothing
    assert notify.deliver_due() == {"sent": 0, "failed": 0}
    # A dies without sending: after the lease the notice is due again, and B sends it.
    travel(timezone.now() + notify.LEASE + datetime.timedelta(seconds=1))
    assert notify.deliver_due() == {"sent": 1, "failed": 0}
    # A wakes up: its lease is gone, so it does not send.
    assert notify._renew(mine) is False
    assert smtp.mailbox.subjects() == ["只发一次"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_senders_send_each_notice_exactly_once(settings):
    server = SMTPServer(free_port(), delay=0.005)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", server.port, 5
    server.start()
    try:
        # Rows as queue() writes them, without its on-commit task (that would send them right here).
        Notification.objects.bulk_create(
            Notification(to=f"p{n}@example.com", subject=f"通知{n:02d}", body="正文") for n in range(40)
        )
        senders = 4
        barrier = threading.Barrier(senders)
        errors = []

        def send():
            try:
                barrier.wait()
                while notify.deliver_due(limit=3)["sent"]:
                    pass
            except Exception as error:  # noqa: BLE001 - collected and asserted below
                errors.append(error)
            finally:
                connection.close()

        threads = [threading.Thread(target=send) for _ in range(senders)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        server.stop()
    assert not errors
    subjects = server.mailbox.subjects()
    assert sorted(subjects) == [f"通知{n:02d}" for n in range(40)]  # each once, none missing
    assert not notify.pending().exists()
    assert set(Notification.objects.values_list("attempts", flat=True)) == {1}


# --- /healthz/ -------------------------------------------------------------------------------------


def test_healthz_reports_the_outbox(client, db):
    data = client.get("/healthz/").json()
    assert data["outbox"] == {"pending": 0, "oldest_seconds": None, "failing": 0}
    assert {"database", "elasticsearch", "index_queue"} <= data.keys()  # the existing fields stay
    if data["elasticsearch"] != "unavailable":
        assert data["status"] == "ok"

    fresh = notify.queue("a@example.com", "新的", "正文")
    Notification.objects.filter(pk=fresh.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=50)
    )
    data = client.get("/healthz/").json()
    assert data["outbox"] == {"pending": 1, "oldest_seconds": 3000, "failing": 0}
    if data["elasticsearch"] != "unavailable":
        assert data["status"] == "ok"

    old = notify.queue("b@example.com", "旧的", "正文")
    Notification.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=2), attempts=5, last_error="timed out"
    )
    response = client.get("/healthz/")
    assert response.status_code == 200
    data = response.json()
    assert data["status"] == "degraded"
    assert data["outbox"]["pending"] == 2 and data["outbox"]["failing"] == 1
    assert data["outbox"]["oldest_seconds"] == 7200


def test_healthz_ignores_sent_notices(client, db):
    notice = notify.queue("a@example.com", "已发送", "正文")
    Notification.objects.filter(pk=notice.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=3), sent_at=timezone.now()
    )
    assert client.get("/healthz/").json()["outbox"] == {"pending": 0, "oldest_seconds": None, "failing": 0}


def test_queue_without_an_address_queues_nothing(db):
    assert notify.queue("", "主题", "正文") is None
    assert not Notification.objects.exists()
