"""Saved searches (订阅) at /zfcg/supplier/subscriptions/: list, new (pre-filled from the project list's
query string: ``new/?category=..&method=..&buyer=..&q=..``), delete; and the one-click unsubscribe link
of every alert email, ``/zfcg/supplier/unsubscribe/<token>/``, which needs no login.

The unsubscribe GET only shows a button (mail clients and scanners prefetch links); the POST
unsubscribes. The POST is exempt from CSRF: the token in the address is the secret, and mail clients
that honour ``List-Unsubscribe-Post`` (RFC 8058) post ``List-Unsubscribe=One-Click`` without a form.
"""

import re

from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from cms.casework import public
from cms.procurement.models import SavedSearch
from cms.procurement.suppliers import alerts
from cms.procurement.suppliers.access import MAX_ID, account_crumb, crumbs, supplier_required
from cms.procurement.suppliers.forms import SavedSearchForm
from cms.procurement.suppliers.views import SCOPE, message, throttled

TEMPLATES = "procurement/suppliers/"
TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{1,64}", re.ASCII)  # secrets.token_urlsafe's alphabet
LIST_FILTERS = ("category", "method", "buyer", "q")
# The list's other filters (status, budget, dates, sorting) describe projects now, not future notices.
IGNORED_FILTERS = ("status", "band", "budget_min", "budget_max", "published_from", "published_to")


def subscriptions_crumb():
    return ("我的订阅", reverse("procurement:subscriptions"))


@never_cache
@require_http_methods(["GET", "HEAD"])
@supplier_required
def index(request):
    searches = list(request.supplier.saved_searches.select_related("buyer"))
    for search in searches:
        search.parts = alerts.criteria(search)
        search.list_url = alerts.list_url(search)
        search.delivered = search.deliveries.filter(sent_at__isnull=False).count()
    context = {
        "supplier": request.supplier,
        "searches": searches,
        "flash": request.GET.get("done", ""),
        "breadcrumbs": crumbs(account_crumb(), subscriptions_crumb()),
    }
    return TemplateResponse(request, TEMPLATES + "subscriptions.html", context)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@supplier_required
def new(request):
    crumb = crumbs(account_crumb(), subscriptions_crumb(), ("新建订阅", request.path))
    if request.method == "POST":
        if public.over_limit(request, "post", scope=SCOPE):
            return throttled(request)
        form = SavedSearchForm(request.POST, supplier=request.supplier)
        if form.is_valid():
            form.save()
            return HttpResponseRedirect(reverse("procurement:subscriptions") + "?done=added")
        status = 400
    else:
        # From the list's "订阅此筛选": its filters as the initial values; unknown values are left out.
        initial = {
            "category": request.GET.get("category", ""),
            "method": request.GET.get("method", ""),
            "buyer": request.GET.get("buyer", ""),
            "keywords": request.GET.get("q", "")[:100],
        }
        form = SavedSearchForm(supplier=request.supplier, initial=initial)
        for name in ("category", "method", "buyer"):
            if initial[name] not in dict(form.fields[name].choices):
                form.initial[name] = ""
        status = 200
    ignored = [name for name in IGNORED_FILTERS if request.GET.get(name)]
    context = {
        "form": form,
        "errors": form.error_summary() if form.is_bound else [],
        "ignored": bool(ignored) or bool(request.GET.get("sort")),
        "supplier": request.supplier,
        "breadcrumbs": crumb,
    }
    return TemplateResponse(request, TEMPLATES + "subscription_form.html", context, status=status)


@require_POST
@supplier_required
def delete(request, pk):
    search = SavedSearch.objects.filter(pk=pk, supplier=request.supplier).first() if pk <= MAX_ID else None
    if search is None:
        return message(
            request,
            "未找到该订阅",
            "该订阅不存在或已经删除。",
            status=404,
            actions=[(reverse("procurement:subscriptions"), "返回我的订阅")],
        )
    search.delete()
    return HttpResponseRedirect(reverse("procurement:subscriptions") + "?done=deleted")


@never_cache
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    crumb = crumbs(("退订", request.path))
    search = None
    if TOKEN_RE.fullmatch(token):  # anything else cannot be a token (a NUL byte would fail in PostgreSQL)
        search = (
            SavedSearch.objects.filter(unsubscribe_token=token).select_related("supplier", "buyer").first()
        )
    if search is None:
        return message(
            request,
            "该订阅已退订或链接无效",
            "没有找到与此链接对应的订阅：它可能已经退订。登录供应商中心可以查看和管理全部订阅。",
            status=404,
            actions=[(reverse("procurement:subscriptions"), "管理我的订阅")],
            breadcrumbs=crumb,
        )
    if request.method != "POST":
        context = {"search": search, "parts": alerts.criteria(search), "breadcrumbs": crumb}
        return TemplateResponse(request, TEMPLATES + "unsubscribe.html", context)
    if public.over_limit(request, "post", scope=SCOPE):
        return throttled(request)
    search.delete()
    return message(
        request,
        "已退订",
        f"订阅（{alerts.summary(search)}）已取消，今后不会再收到该订阅的提醒邮件。",
        status=200,
        actions=[(reverse("procurement:subscriptions"), "管理我的订阅"), ("/zfcg/", "浏览采购项目")],
        breadcrumbs=crumb,
    )
