"""The applicant's side of any case (办件, 依申请公开): what the public forms and tracking pages share.

* Submission keys: every form carries a one-time key; the case stores it (``Case.submission_key`` is
  unique), so a double click or a resubmitted page lands on the receipt of the first submission instead
  of creating a second case (``submit_once``).
* Receipts: the clear query code (查询码) lives only in the applicant's session, for ``RECEIPT_SECONDS``,
  so the receipt page can show it (``receipt_code``); the database keeps only its digest.
* Tracking: tracking number + query code -> the case, with one generic message for every failure and a
  throttle on failed attempts per client address (``find_case``); a successful lookup authorises the
  session for that case for a while (``authorise``/``authorised_case``), so the tracking page can offer
  supplement uploads, withdrawal and rating without asking for the code again.
* Rate limits of public form submissions per client address, answered with a Chinese 429 page
  (``over_limit``/``too_many_requests``).

Rate limits use django-ratelimit with the "shared" cache (``RATELIMIT_USE_CACHE``) so every worker process
counts together. The client address is REMOTE_ADDR unless ``RATELIMIT_IP_META_KEY`` says otherwise (set it
behind a reverse proxy). See /work/notes/public-api.md for a usage example.
"""

import re
import secrets
import time
from dataclasses import dataclass
from importlib import import_module

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.response import TemplateResponse
from django_ratelimit import ALL
from django_ratelimit.core import get_usage

from cms.casework import codes

# --- submission keys (idempotent forms) -------------------------------------------------------

SUBMISSION_KEY_FIELD = "submission_key"
_KEY_RE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


ISSUED_SESSION_KEY = "casework.issued"


def new_submission_key(request=None):
    """A fresh one-time key for a form (put it in a hidden field named ``SUBMISSION_KEY_FIELD``).

    Pass the request when rendering the form: the key is noted in the session, which makes sure the
    browser holds a session cookie *before* it posts. Otherwise the two requests of a double click on a
    first visit would each start a session of their own, and the one whose answer the browser shows
    could not see the receipt (and its query code) that the other one created."""
    key = secrets.token_urlsafe(24)
    if request is not None:
        issued = request.session.get(ISSUED_SESSION_KEY, [])[-9:]
        request.session[ISSUED_SESSION_KEY] = [*issued, key]
    return key


def clean_submission_key(value):
    """The key a form posted back, or None if it is missing or malformed (then the view issues a new one
    and the submission is not protected against repetition, but still works)."""
    value = (value or "").strip()
    return value if _KEY_RE.match(value) else None


def submit_once(request, model, key, create):
    """Create a case at most once per submission key. Returns ``(case, created)``.

    ``create()`` runs inside a transaction and must build, save and return ``(case, query_code)`` with
    ``case.submission_key == key`` (plus everything else that belongs to it: files, events, the outbox
    email). The clear code is written to the session in the same transaction, so a second request that
    waited on the first (double click) finds both the case and the code. If a case with ``key`` exists,
    nothing is created and it is returned with ``created=False``.

    Pass ``request=None`` (API) to skip the session."""
    existing = model.objects.filter(submission_key=key).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            case, code = create()
            if request is not None:
                remember_receipt(request, case, code)
                authorise(request, case)
                request.session.save()  # inside the transaction: the case and its receipt commit together
    except IntegrityError:
        # The same key committed meanwhile (a concurrent double click): that case is the answer.
        existing = model.objects.filter(submission_key=key).first()
        if existing is None:
            raise
        return existing, False
    return case, True


# --- receipts ---------------------------------------------------------------------------------

RECEIPTS_SESSION_KEY = "casework.receipts"
RECEIPT_SECONDS = 2 * 3600  # long enough to print or copy the code; the session never keeps it for good
MAX_RECEIPTS = 10


def _case_key(case):
    return f"{case._meta.label_lower}:{case.pk}"


def remember_receipt(request, case, code):
    """Keep the clear query code of a case just created by this session (for the receipt page)."""
    now = int(time.time())
    receipts = {k: v for k, v in request.session.get(RECEIPTS_SESSION_KEY, {}).items() if v[1] > now}
    receipts[_case_key(case)] = [code, now + RECEIPT_SECONDS]
    # Oldest first out: a session never accumulates codes.
    request.session[RECEIPTS_SESSION_KEY] = dict(
        sorted(receipts.items(), key=lambda kv: kv[1][1])[-MAX_RECEIPTS:]
    )


def holds_receipt(request, case):
    """Whether this session submitted ``case`` (the receipt page is only for its submitter).

    Also asks the session store afresh: in a double click, the request that lost the race may have read
    the session before the winner committed the receipt into it."""
    key = _case_key(case)
    if key in request.session.get(RECEIPTS_SESSION_KEY, {}):
        return True
    if request.session.session_key is None:
        return False
    stored = import_module(settings.SESSION_ENGINE).SessionStore(request.session.session_key)
    return key in stored.get(RECEIPTS_SESSION_KEY, {})


def receipt_code(request, case):
    """The clear query code while the session still keeps it, else None."""
    entry = request.session.get(RECEIPTS_SESSION_KEY, {}).get(_case_key(case))
    if entry and entry[1] > time.time():
        return entry[0]
    return None


def forget_receipt(request, case):
    receipts = request.session.get(RECEIPTS_SESSION_KEY, {})
    if receipts.pop(_case_key(case), None) is not None:
        request.session[RECEIPTS_SESSION_KEY] = receipts


# --- rate limits ------------------------------------------------------------------------------

# (count/period) pairs; every pair must hold. Settings can override per group.
DEFAULT_RATES = {
    "submit": ("5/m", "30/h"),  # accepted submissions of a public form, per address
    "post": ("30/m",),  # any POST of a public form (errors included): bounds the work of checking uploads
    "track": ("10/15m",),  # failed tracking lookups per address
}


def rates(group):
    """The rates of ``group`` (``CASEWORK_RATES = {"submit": ("5/m", "30/h"), ...}`` overrides)."""
    configured = getattr(settings, "CASEWORK_RATES", {})
    return tuple(configured.get(group, DEFAULT_RATES.get(group, DEFAULT_RATES["post"])))


def over_limit(request, group, *, increment=True, scope=""):
    """Count one event of ``group`` (e.g. "submit") for the client address; True if any of its rates
    is exceeded (then answer ``too_many_requests``). ``increment=False`` only looks.

    ``scope`` separates users of the same group (e.g. "applications" and "disclosure_requests")."""
    name = f"casework.{scope}.{group}" if scope else f"casework.{group}"
    limited = False
    for rate in rates(group):
        usage = get_usage(request, group=name, key="ip", rate=rate, method=ALL, increment=increment)
        if usage is None:
            continue
        # Counting: this event is one too many. Looking: the next one would be.
        if usage["should_limit"] if increment else usage["count"] >= usage["limit"]:
            limited = True
    return limited


def retry_after_seconds(group):
    """How long to tell a throttled client to wait: the shortest period of the group's rates."""
    return min(_period_seconds(rate) for rate in rates(group))


def _period_seconds(rate):
    # "5/m", "10/15m": django-ratelimit's syntax.
    match = re.match(r"^\d+/(\d*)([smhd])$", rate)
    multiple, unit = match.groups()
    return int(multiple or 1) * {"s": 1, "m": 60, "h": 3600, "d": 86400}[unit]


def too_many_requests(
    request, *, group="submit", message=None, template="applications/too_many_requests.html"
):
    """The 429 page (Chinese), with ``Retry-After``."""
    seconds = retry_after_seconds(group)
    context = {
        "message": message or "提交过于频繁，请稍后再试。您已填写的内容尚未提交，请稍候重新提交。",
        "retry_minutes": max(1, seconds // 60),
    }
    response = TemplateResponse(request, template, context, status=429)
    response["Retry-After"] = str(seconds)
    return response


# --- tracking ---------------------------------------------------------------------------------

TRACKING_FAILED = "受理编号或查询码不正确，请核对后重新输入。"
TRACKING_THROTTLED = "查询失败次数过多，请{minutes}分钟后再试。"
_TRACKING_RE = re.compile(r"^[A-Z]{2}\d{13}$")


class TrackingError(Exception):
    """A failed lookup; ``str()`` is the message to show, ``status`` the HTTP status to answer."""

    def __init__(self, message, status=400):
        super().__init__(message)
        self.status = status


def normalize_tracking_number(value):
    return "".join((value or "").split()).upper()


def find_case(request, model, tracking_number, query_code, *, scope=""):
    """The case of ``model`` with this tracking number and query code; raises ``TrackingError`` with one
    generic message whatever was wrong (unknown number, wrong code, malformed input), and with status 429
    once the client address has failed too often (then the code is not even checked)."""
    if over_limit(request, "track", increment=False, scope=scope):
        minutes = max(1, retry_after_seconds("track") // 60)
        raise TrackingError(TRACKING_THROTTLED.format(minutes=minutes), status=429)
    number = normalize_tracking_number(tracking_number)
    case = None
    if _TRACKING_RE.match(number) and len(codes.normalize_query_code(query_code)) <= 32:
        case = model.objects.filter(tracking_number=number).first()
    # Compare even when the number is unknown: the answer takes as long either way.
    digest = case.query_code_digest if case is not None else codes.query_code_digest("-")
    if case is None or not codes.query_code_matches(query_code, digest):
        over_limit(request, "track", scope=scope)
        raise TrackingError(TRACKING_FAILED)
    return case


AUTHORISED_SESSION_KEY = "casework.authorised"
AUTHORISED_SECONDS = 30 * 60


def authorise(request, case):
    """After a successful lookup (or a submission), this session may act on ``case`` for a while."""
    now = int(time.time())
    granted = {k: v for k, v in request.session.get(AUTHORISED_SESSION_KEY, {}).items() if v > now}
    granted[_case_key(case)] = now + AUTHORISED_SECONDS
    request.session[AUTHORISED_SESSION_KEY] = granted


def is_authorised(request, case):
    expires = request.session.get(AUTHORISED_SESSION_KEY, {}).get(_case_key(case))
    return bool(expires and expires > time.time())


def authorised_case(request, model, tracking_number):
    """The case with this tracking number if this session is authorised for it, else None."""
    case = model.objects.filter(tracking_number=normalize_tracking_number(tracking_number)).first()
    return case if case is not None and is_authorised(request, case) else None


def revoke(request, case):
    granted = request.session.get(AUTHORISED_SESSION_KEY, {})
    if granted.pop(_case_key(case), None) is not None:
        request.session[AUTHORISED_SESSION_KEY] = granted


@dataclass(frozen=True)
class PublicEvent:
    """One line of the public timeline: what the applicant may see of a history entry."""

    at: object
    action: str
    state: str
    reason: str


def public_timeline(case):
    """The case's public history entries (``public=True``), oldest first, without officers' names."""
    labels = dict(type(case)._meta.get_field("state").choices)
    return [
        PublicEvent(at=e.at, action=e.action_label, state=str(labels.get(e.to_state, "")), reason=e.reason)
        for e in case.events.filter(public=True).order_by("at", "pk")
    ]
