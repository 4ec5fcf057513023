"""Supplier accounts at /zfcg/supplier/: registration, email verification, login (axes lockout), logout,
password reset and change, and the account page.

Plain server-rendered pages that work without JavaScript; every POST is CSRF-protected and rate-limited
per client address (``cms.casework.public.over_limit``); bad input gets a Chinese message and a 4xx.
The account's email is verified through a link sent by the outbox; downloads need it verified.
"""

import datetime
import math

from django.contrib.auth import authenticate, get_user_model, login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordChangeForm
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from cms.casework import public
from cms.casework.forms import ErrorSummaryMixin
from cms.procurement.models import (
    ProcurementFileVersion,
    SavedSearchDelivery,
    Supplier,
    SupplierNotification,
)
from cms.procurement.suppliers import alerts, notify, tokens
from cms.procurement.suppliers.access import (
    account_crumb,
    crumbs,
    not_a_supplier,
    safe_next,
    supplier_of,
    supplier_required,
)
from cms.procurement.suppliers.forms import (
    DUPLICATE_USCC,
    LoginForm,
    RegistrationForm,
    SupplierPasswordResetForm,
    SupplierSetPasswordForm,
)

SCOPE = "suppliers"
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
TEMPLATES = "procurement/suppliers/"
LIST_LIMIT = 50  # rows of each table on the account page
FLASHES = ("welcome", "verified", "sent", "password")  # ?<flag>=1 after a redirect: what just happened


def message(request, title, text, *, status, actions=(), breadcrumbs=None):
    """A short Chinese page for an outcome (refusal, not found, done): title, text and links."""
    context = {
        "title": title,
        "text": text,
        "code": status,
        "actions": actions,
        "breadcrumbs": breadcrumbs or crumbs(account_crumb()),
    }
    return TemplateResponse(request, TEMPLATES + "message.html", context, status=status)


def throttled(request, group="post"):
    return public.too_many_requests(
        request,
        group=group,
        message="操作过于频繁，请稍后再试。您填写的内容尚未提交。",
        template=TEMPLATES + "too_many_requests.html",
    )


# --- registration -----------------------------------------------------------------------------


def _render(request, template, form, status=200, **extra):
    context = {"form": form, "errors": form.error_summary() if form.is_bound else [], **extra}
    return TemplateResponse(request, TEMPLATES + template, context, status=status)


@never_cache
@sensitive_post_parameters("password1", "password2")
@require_http_methods(["GET", "HEAD", "POST"])
def register(request):
    crumb = crumbs(account_crumb(), ("供应商注册", request.path))
    if request.user.is_authenticated:
        if supplier_of(request.user) is None:
            return not_a_supplier(request)
        return redirect("procurement:supplier_account")
    if request.method != "POST":
        return _render(request, "register.html", RegistrationForm(), breadcrumbs=crumb)
    if public.over_limit(request, "post", scope=SCOPE):
        return throttled(request)
    form = RegistrationForm(request.POST)
    if not form.is_valid():
        return _render(request, "register.html", form, status=400, breadcrumbs=crumb)
    if public.over_limit(request, "submit", scope="supplier-register"):
        minutes = max(1, public.retry_after_seconds("submit") // 60)
        form.add_error(None, f"注册过于频繁，本次没有提交。请约 {minutes} 分钟后再试。")
        response = _render(request, "register.html", form, status=429, breadcrumbs=crumb)
        response["Retry-After"] = str(public.retry_after_seconds("submit"))
        return response
    try:
        supplier = create_supplier(form.cleaned_data)
    except IntegrityError:  # the same code or address registered a moment ago
        form.add_error("uscc", DUPLICATE_USCC)
        return _render(request, "register.html", form, status=400, breadcrumbs=crumb)
    login(request, supplier.user, backend=MODEL_BACKEND)
    return HttpResponseRedirect(reverse("procurement:supplier_account") + "?welcome=1")


@transaction.atomic
def create_supplier(data):
    """The account, the supplier and the verification email, committed together."""
    user = get_user_model().objects.create_user(
        username=data["uscc"], email=data["email"], password=data["password1"]
    )
    supplier = Supplier.objects.create(
        user=user,
        company_name=data["company_name"],
        uscc=data["uscc"],
        contact_name=data["contact_name"],
        phone=data["phone"],
        email=data["email"],
    )
    notify.queue_verification(supplier)
    return supplier


# --- email verification -----------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def confirm_email(request, uidb64, token):
    """GET shows a button, POST verifies and logs in: mail scanners that follow links must not log a
    session in or use up the one-time link."""
    crumb = crumbs(account_crumb(), ("验证邮箱", request.path))
    supplier = tokens.supplier_for(uidb64)
    if supplier is not None and supplier.is_verified:
        return message(
            request,
            "邮箱已经验证",
            f"{supplier.company_name}的电子邮箱已于{timezone.localtime(supplier.email_verified_at):%Y年%m月%d日}"
            "验证，无需再次验证。请登录后下载采购文件。",
            status=200,
            actions=[(reverse("procurement:supplier_login"), "登录")],
            breadcrumbs=crumb,
        )
    if not tokens.check(supplier, token):
        return message(
            request,
            "验证链接无效或已过期",
            "验证链接只能使用一次，并在发送后3天内有效。请登录供应商中心，重新发送验证邮件。",
            status=400,
            actions=[(reverse("procurement:supplier_account"), "进入供应商中心")],
            breadcrumbs=crumb,
        )
    if request.method != "POST":
        context = {"supplier": supplier, "breadcrumbs": crumb}
        return TemplateResponse(request, TEMPLATES + "confirm_email.html", context)
    if public.over_limit(request, "post", scope=SCOPE):
        return throttled(request)
    Supplier.objects.filter(pk=supplier.pk, email_verified_at__isnull=True).update(
        email_verified_at=timezone.now()
    )
    if request.user.is_authenticated and request.user.pk != supplier.user_id:
        logout(request)
    login(request, supplier.user, backend=MODEL_BACKEND)
    return HttpResponseRedirect(reverse("procurement:supplier_account") + "?verified=1")


@require_POST
@supplier_required
def resend_verification(request):
    supplier = request.supplier
    if supplier.is_verified:
        return redirect("procurement:supplier_account")
    if public.over_limit(request, "submit", scope="supplier-resend"):
        return throttled(request, "submit")
    with transaction.atomic():
        notify.queue_verification(supplier)
    return HttpResponseRedirect(reverse("procurement:supplier_account") + "?sent=1")


# --- login and logout -------------------------------------------------------------------------


def lockout_minutes(request, username):
    """Minutes until axes lets this account try again from this address."""
    from axes.helpers import get_cool_off
    from axes.models import AccessAttempt

    cool_off = get_cool_off(request) or datetime.timedelta(hours=1)
    ip_address = getattr(request, "axes_ip_address", None) or request.META.get("REMOTE_ADDR")
    last = AccessAttempt.objects.filter(username=username, ip_address=ip_address).aggregate(
        last=Max("attempt_time")
    )["last"]
    remaining = (last + cool_off - timezone.now()) if last else cool_off
    return max(1, math.ceil(remaining.total_seconds() / 60))


def locked_out(request, username):
    minutes = lockout_minutes(request, username)
    response = TemplateResponse(
        request,
        TEMPLATES + "locked_out.html",
        {"minutes": minutes, "breadcrumbs": crumbs(account_crumb(), ("供应商登录", request.path))},
        status=429,
    )
    response["Retry-After"] = str(minutes * 60)
    # This page is the answer: AxesMiddleware would replace it with its own English text otherwise.
    request.axes_locked_out = False
    return response


def authenticate_supplier(request, username, password):
    """The supplier's user if ``password`` is right; a name that is no supplier's (a staff account's)
    fails like a wrong password, without its password being checked: this page must not confirm one."""
    if Supplier.objects.filter(uscc=username, user__username=username).exists():
        return authenticate(request, username=username, password=password)
    get_user_model()().set_password(password)  # as slow as a password check: the timing tells nothing
    # No password: ModelBackend declines at once, while axes still checks the lockout and counts
    # the failure under this name (Django's user_login_failed signal), as for a wrong password.
    authenticate(request, username=username, password=None)
    return None


@never_cache
@sensitive_post_parameters("password")
@require_http_methods(["GET", "HEAD", "POST"])
def login_view(request):
    next_url = safe_next(request, request.POST.get("next") or request.GET.get("next"))
    crumb = crumbs(account_crumb(), ("供应商登录", request.path))
    extra = {"next": next_url, "breadcrumbs": crumb}
    if request.method != "POST":
        if supplier_of(request.user) is not None:
            return HttpResponseRedirect(next_url)
        return _render(request, "login.html", LoginForm(), **extra)
    if public.over_limit(request, "post", scope=SCOPE):
        return throttled(request)
    form = LoginForm(request.POST)
    if not form.is_valid():
        return _render(request, "login.html", form, status=400, **extra)
    username = form.username()
    user = authenticate_supplier(request, username, form.cleaned_data["password"])
    if user is None:
        if getattr(request, "axes_locked_out", False):
            return locked_out(request, username)
        form.add_error(None, "账号或密码不正确。连续输错多次后，该账号将在本网络暂停登录一段时间。")
        return _render(request, "login.html", form, status=400, **extra)
    login(request, user)
    return HttpResponseRedirect(next_url)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def logout_view(request):
    """POST logs out (a link cannot log anyone out); GET offers the button."""
    if request.method == "POST":
        logout(request)
        return HttpResponseRedirect("/zfcg/")
    context = {"breadcrumbs": crumbs(account_crumb(), ("退出登录", request.path))}
    return TemplateResponse(request, TEMPLATES + "logout.html", context)


# --- the account page -------------------------------------------------------------------------


def latest_numbers(version_ids_by_file):
    """{file id: number of its newest published version}."""
    rows = (
        ProcurementFileVersion.objects.filter(
            procurement_file_id__in=version_ids_by_file, published_at__isnull=False, withdrawn_at__isnull=True
        )
        .values("procurement_file_id")
        .annotate(latest=Max("number"))
    )
    return {row["procurement_file_id"]: row["latest"] for row in rows}


def received_notices(supplier):
    """The notices the supplier was emailed: as a downloader, and through its subscriptions."""
    entries = []
    told = (
        SupplierNotification.objects.filter(supplier=supplier)
        .select_related("notice", "notification")
        .order_by("-created_at")[:LIST_LIMIT]
    )
    for item in told:
        sent_at = item.notification.sent_at if item.notification_id else None
        entries.append(
            {
                "notice": item.notice,
                "at": item.created_at,
                "reason": "已获取该项目采购文件",
                "sent_at": sent_at,
            }
        )
    alerted = (
        SavedSearchDelivery.objects.filter(saved_search__supplier=supplier, sent_at__isnull=False)
        .select_related("notice", "saved_search__buyer")
        .order_by("-sent_at")[:LIST_LIMIT]
    )
    for item in alerted:
        entries.append(
            {
                "notice": item.notice,
                "at": item.sent_at,
                "reason": f"订阅：{item.saved_search}",
                "sent_at": None,
            }
        )
    entries.sort(key=lambda e: e["at"], reverse=True)
    return entries[:LIST_LIMIT]


@never_cache
@require_http_methods(["GET", "HEAD"])
@supplier_required
def account(request):
    supplier = request.supplier
    downloads = list(
        supplier.downloads.select_related("project", "version__procurement_file").order_by("-downloaded_at")[
            :LIST_LIMIT
        ]
    )
    latest = latest_numbers({d.version.procurement_file_id for d in downloads})
    for record in downloads:
        newest = latest.get(record.version.procurement_file_id)
        record.replaced_by = newest if newest and newest > record.version.number else None
    context = {
        "supplier": supplier,
        "downloads": downloads,
        "download_count": supplier.downloads.count(),
        "received": received_notices(supplier),
        "saved_searches": [
            (alerts.summary(s), s.get_frequency_display())
            for s in supplier.saved_searches.select_related("buyer")
        ],
        "flash": next((flag for flag in FLASHES if request.GET.get(flag)), ""),
        "breadcrumbs": crumbs(account_crumb()),
    }
    return TemplateResponse(request, TEMPLATES + "account.html", context)


# --- password reset and change (Django's views, our templates, the outbox) ----------------------


class ErrorsAs400Mixin:
    """An invalid form is a 400 with an error summary, like the other public forms."""

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context.get("form")
        context["errors"] = form.error_summary() if form is not None and form.is_bound else []
        context["breadcrumbs"] = crumbs(account_crumb(), (self.crumb, self.request.path))
        return context


class PasswordResetView(ErrorsAs400Mixin, auth_views.PasswordResetView):
    crumb = "找回密码"
    template_name = TEMPLATES + "password_reset_form.html"
    email_template_name = TEMPLATES + "email/password_reset.txt"
    subject_template_name = TEMPLATES + "email/password_reset_subject.txt"
    form_class = SupplierPasswordResetForm
    success_url = reverse_lazy("procurement:supplier_password_reset_done")

    def post(self, request, *args, **kwargs):
        if public.over_limit(request, "post", scope=SCOPE):
            return throttled(request)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        self.extra_email_context = {"site_url": notify.site_url()}
        with transaction.atomic():
            return super().form_valid(form)


class PasswordResetDoneView(ErrorsAs400Mixin, auth_views.PasswordResetDoneView):
    crumb = "找回密码"
    template_name = TEMPLATES + "password_reset_done.html"


class PasswordResetConfirmView(ErrorsAs400Mixin, auth_views.PasswordResetConfirmView):
    crumb = "设置新密码"
    template_name = TEMPLATES + "password_reset_confirm.html"
    form_class = SupplierSetPasswordForm
    success_url = reverse_lazy("procurement:supplier_password_reset_complete")

    def post(self, request, *args, **kwargs):
        if public.over_limit(request, "post", scope=SCOPE):
            return throttled(request)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        from axes.utils import reset

        response = super().form_valid(form)
        user = form.user
        # The link reached the registered address: that address works, and the lockout can end.
        Supplier.objects.filter(user=user, email_verified_at__isnull=True).update(
            email_verified_at=timezone.now()
        )
        reset(username=user.username)
        return response


class PasswordResetCompleteView(ErrorsAs400Mixin, auth_views.PasswordResetCompleteView):
    crumb = "设置新密码"
    template_name = TEMPLATES + "password_reset_complete.html"


class SupplierPasswordChangeForm(ErrorSummaryMixin, PasswordChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = "原密码"
        self.fields["new_password1"].label = "新密码"
        self.fields["new_password1"].help_text = "至少8位，不能全是数字，不能与账号信息相近，不能是常见密码"
        self.fields["new_password2"].label = "确认新密码"


@method_decorator(supplier_required, name="dispatch")
class PasswordChangeView(ErrorsAs400Mixin, auth_views.PasswordChangeView):
    crumb = "修改密码"
    template_name = TEMPLATES + "password_change.html"
    form_class = SupplierPasswordChangeForm

    def post(self, request, *args, **kwargs):
        if public.over_limit(request, "post", scope=SCOPE):
            return throttled(request)
        return super().post(request, *args, **kwargs)

    def get_success_url(self):
        return reverse("procurement:supplier_account") + "?password=1"
