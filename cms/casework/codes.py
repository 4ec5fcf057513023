"""Tracking numbers (受理编号) and query codes (查询码)."""

import secrets
import unicodedata

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

# No 0/O, 1/I/L: a code read out over the phone or copied from paper survives.
QUERY_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
QUERY_CODE_LENGTH = 8


def next_tracking_number(prefix):
    """``<prefix><YYYYMMDD><5-digit sequence>``, e.g. ``ZW2026112400017``; unique, gap-free per day."""
    from cms.casework.models import TrackingSequence

    day = timezone.localdate().strftime("%Y%m%d")
    key = f"{prefix}{day}"
    with transaction.atomic():
        sequence, _ = TrackingSequence.objects.select_for_update().get_or_create(key=key)
        sequence.last += 1
        sequence.save(update_fields=["last"])
    return f"{key}{sequence.last:05d}"


def new_query_code():
    return "".join(secrets.choice(QUERY_CODE_ALPHABET) for _ in range(QUERY_CODE_LENGTH))


def normalize_query_code(code):
    """What the applicant typed, as issued: full-width characters (a Chinese input method), spaces and
    hyphens (a code copied in groups) and lower case are forgiven."""
    code = unicodedata.normalize("NFKC", code or "")
    return "".join(code.split()).replace("-", "").upper()


def query_code_digest(code, secret=None):
    """Only a keyed digest is stored: a database dump does not reveal the codes."""
    return salted_hmac(
        "casework.query_code", normalize_query_code(code), secret=secret, algorithm="sha256"
    ).hexdigest()


def query_code_matches(code, digest):
    """Also accepts digests made with a retired key (``SECRET_KEY_FALLBACKS``), so rotating the secret key
    does not lock applicants out of their cases."""
    if not digest or not normalize_query_code(code):
        return False
    secrets_ = [None, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return any(constant_time_compare(query_code_digest(code, secret), digest) for secret in secrets_)
