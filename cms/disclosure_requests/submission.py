"""Receiving a disclosure request: one transaction creates the request with its tracking number, query code
and deadline, the first entry of its history, and the email receipt in the outbox (sent by the worker).
Used by the public form and the JSON endpoint alike."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from cms.casework import notify, public

from .models import DisclosureRequest, State

SCOPE = "disclosure_requests"  # rate-limit counters of this form, apart from the online applications'


def receive(form, key, request=None):
    """Create the request of a valid ``form`` once per submission ``key``. Returns ``(case, code, created)``;
    ``code`` is the clear query code when this call created the case (else None: the first submission's
    receipt shows it)."""
    created_code = {}

    def create():
        case = form.build_request(key)
        code = case.issue_codes()
        now = timezone.now()
        case.submitted_at = now
        case.begin(timezone.localdate(now))
        case.save()
        case.events.create(
            action="submit",
            action_label="提交申请",
            to_state=State.SUBMITTED,
            actor_name="申请人",
            at=now,
        )
        if case.email:
            queue_receipt(case)
        created_code["code"] = code
        return case, code

    case, created = public.submit_once(request, DisclosureRequest, key, create)
    return case, created_code.get("code"), created


def queue_receipt(case):
    """The email receipt. It does not carry the query code: the outbox keeps what it sends in clear, and
    the database must not reveal codes (only their digests are stored)."""
    context = {"case": case, "site_url": settings.WAGTAILADMIN_BASE_URL}
    body = render_to_string("disclosure_requests/email/receipt.txt", context)
    subject = f"【济源市人民政府】政府信息公开申请已收到（受理编号 {case.tracking_number}）"
    return notify.queue(case.email, subject, body, case.tracking_number)
