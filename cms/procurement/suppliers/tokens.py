"""Email verification links: ``/zfcg/supplier/confirm/<uid>/<token>/``.

Built like Django's password reset tokens (HMAC with SECRET_KEY, a timestamp, ``PASSWORD_RESET_TIMEOUT``,
3 days by default). The hash covers the address and whether it is verified yet, so a link works once and
only for the address it was sent to; changing the password also ends it.
"""

from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from cms.procurement.models import Supplier


class EmailVerificationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "cms.procurement.suppliers.tokens.EmailVerificationTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        supplier = user.supplier
        verified = supplier.email_verified_at.isoformat() if supplier.email_verified_at else ""
        return f"{user.pk}|{user.password}|{supplier.email.lower()}|{verified}|{timestamp}"


email_verification = EmailVerificationTokenGenerator()


def make(supplier):
    """``(uidb64, token)`` for the supplier's current address."""
    return urlsafe_base64_encode(force_bytes(supplier.user_id)), email_verification.make_token(supplier.user)


def supplier_for(uidb64):
    """The supplier a link names, or None (malformed, unknown, inactive)."""
    try:
        user_id = urlsafe_base64_decode(uidb64).decode()
    except (TypeError, ValueError, UnicodeDecodeError):
        return None
    if not user_id.isascii() or not user_id.isdigit() or len(user_id) > 18:
        return None
    return Supplier.objects.select_related("user").filter(user_id=user_id, user__is_active=True).first()


def check(supplier, token):
    return supplier is not None and email_verification.check_token(supplier.user, token)
