"""Who may use the supplier pages: a logged-in user with a supplier account (``request.user.supplier``).

Staff share the session with the admin but are not suppliers: the supplier pages refuse them with a
polite page instead of letting them download in the register's name. Anonymous visitors go to the login
page with ``next``; an unverified supplier may see the account but not download.
"""

from functools import wraps
from urllib.parse import urlencode

from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from cms.procurement.models import Supplier

MAX_ID = 2**63 - 1  # a larger id in an address is no row's: answer 404 before the database overflows


def crumbs(*items):
    return [{"label": "政府采购", "url": "/zfcg/"}] + [{"label": label, "url": url} for label, url in items]


def account_crumb():
    return ("供应商中心", reverse("procurement:supplier_account"))


def supplier_of(user):
    """The user's supplier account, or None (anonymous, staff, an inactive account)."""
    if not user.is_authenticated or not user.is_active:
        return None
    try:
        return user.supplier
    except Supplier.DoesNotExist:
        return None


def login_url(next_url):
    return f"{reverse('procurement:supplier_login')}?{urlencode({'next': next_url})}"


def safe_next(request, value, fallback=None):
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return fallback or reverse("procurement:supplier_account")


def not_a_supplier(request):
    """Logged in, but not as a supplier (a member of staff): explain, do not log them out."""
    context = {"breadcrumbs": crumbs(("供应商中心", request.path))}
    return TemplateResponse(request, "procurement/suppliers/not_supplier.html", context, status=403)


def supplier_required(view):
    """The view gets ``request.supplier``; others are sent to the login page or refused politely."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return HttpResponseRedirect(login_url(request.get_full_path()))
        supplier = supplier_of(request.user)
        if supplier is None:
            return not_a_supplier(request)
        request.supplier = supplier
        return view(request, *args, **kwargs)

    return wrapped
