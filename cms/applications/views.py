"""Public pages of online applications (网上办事): the form of a guide, its receipt, tracking with the
applicant's own actions (supplements, withdrawal, rating) and the public rating statistics.

Plain server-rendered pages that work without JavaScript. Every POST is CSRF-protected and rate-limited
per client address; nothing is half-saved (``submission.submit`` is one transaction that also removes the
files it wrote if it fails).
"""

from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from cms.casework import public, uploads, workflow
from cms.services.choices import Audience
from cms.services.models import ServiceGuidePage
from cms.services.models.guide import is_page_id

from . import ratings, submission
from .forms import ApplicationForm
from .models import Application, Rating, State
from .tracking_forms import RatingForm, SupplyForm, TrackForm, WithdrawForm

SCOPE = "applications"


def crumbs(*items):
    return [{"label": label, "url": url} for label, url in items]


def service_crumb():
    return ("办事服务", "/zwfw/")


def find_guide(guide_id):
    if not is_page_id(guide_id):
        return None
    return ServiceGuidePage.objects.live().public().filter(pk=guide_id).select_related("department").first()


def not_available(request, guide=None):
    context = {"guide": guide, "breadcrumbs": crumbs(service_crumb(), ("网上申请", request.path))}
    return TemplateResponse(request, "applications/not_available.html", context, status=404)


def applicant_kind(request, guide):
    """个人 or 法人 from ``?as=`` (or the posted form), limited to the guide's audiences."""
    audiences = guide.audiences or [Audience.PERSON]
    wanted = request.POST.get("applicant_kind") if request.method == "POST" else request.GET.get("as")
    return wanted if wanted in audiences else audiences[0]


# --- the form ---------------------------------------------------------------------------------


@csrf_exempt
@cache_control(private=True, no_cache=True)  # not no-store: Back restores the page with the same key
@require_http_methods(["GET", "HEAD", "POST"])
def apply(request, guide_id):
    """/zwfw/apply/<guide id>/. The upload handler that caps the request must be installed before anything
    reads the body, so CSRF is checked inside (``_apply``), as Django's documentation on upload handlers
    shows."""
    guide = find_guide(guide_id)
    if guide is None:
        return not_available(request)
    guide = guide.specific
    if not guide.accepts_applications:
        return not_available(request, guide)
    if request.method == "POST":
        uploads.limit_request_size(request, submission.max_request_bytes(guide.materials.all()))
    return _apply(request, guide)


@csrf_protect
def _apply(request, guide):
    kind = applicant_kind(request, guide)
    if request.method != "POST":
        form = ApplicationForm(guide, kind)
        return render_form(request, guide, form, public.new_submission_key(request))

    if public.over_limit(request, "post", scope=SCOPE):
        return public.too_many_requests(request, group="post")
    too_large = uploads.request_too_large(request)
    key = public.clean_submission_key(request.POST.get(public.SUBMISSION_KEY_FIELD))
    if key:
        existing = Application.objects.filter(submission_key=key).first()
        if existing is not None:
            return already_submitted(request, existing)
    key = key or public.new_submission_key()

    form = ApplicationForm(guide, kind, request.POST, request.FILES)
    if too_large:
        form.add_error(too_large)
    if not form.is_valid():
        return render_form(request, guide, form, key, status=413 if too_large else 400)
    if public.over_limit(request, "submit", scope=SCOPE):
        # The form again, with what was typed: only the files have to be chosen again.
        minutes = max(1, public.retry_after_seconds("submit") // 60)
        form.add_error(f"提交过于频繁，本次申请没有提交。请约 {minutes} 分钟后再提交。")
        response = render_form(request, guide, form, key, status=429)
        response["Retry-After"] = str(public.retry_after_seconds("submit"))
        return response
    application, _ = submission.submit(request, guide, form, key)
    return already_submitted(request, application)


def render_form(request, guide, form, key, status=200):
    audiences = guide.audiences or [Audience.PERSON]
    context = {
        "guide": guide,
        "form": form,
        "submission_key": key,
        "kinds": [(a, Audience(a).label) for a in audiences],
        "kind": form.kind,
        "kind_label": Audience(form.kind).label,
        "errors": form.error_summary(),
        "max_request": uploads.format_size(submission.max_request_bytes(guide.materials.all())),
        "breadcrumbs": crumbs(service_crumb(), (guide.title, guide.url), ("网上申请", request.path)),
    }
    return TemplateResponse(request, "applications/apply.html", context, status=status)


def already_submitted(request, application):
    """Where a submission lands, the first time or again (double click, page resubmitted)."""
    if public.holds_receipt(request, application):
        return redirect("applications:receipt", tracking_number=application.tracking_number)
    context = {
        "application": application,
        "breadcrumbs": crumbs(service_crumb(), ("网上申请", request.path)),
    }
    return TemplateResponse(request, "applications/duplicate.html", context, status=200)


@never_cache
@require_safe
def receipt(request, tracking_number):
    """受理回执: only for the session that submitted it; the query code while the session keeps it."""
    application = (
        Application.objects.filter(tracking_number=tracking_number).select_related("department").first()
    )
    if application is None or not public.holds_receipt(request, application):
        raise Http404("没有找到该回执")
    context = {
        "application": application,
        "query_code": public.receipt_code(request, application),
        "files": application.files.all(),
        "guide": application.guide,
        "breadcrumbs": crumbs(service_crumb(), ("申请回执", request.path)),
    }
    return TemplateResponse(request, "applications/receipt.html", context)


# --- tracking ---------------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def track(request):
    """/zwfw/track/: tracking number + query code. One generic message for any wrong pair; failed
    attempts are throttled per client address."""
    error = None
    status = 200
    if request.method == "POST":
        form = TrackForm(request.POST)
        if form.is_valid():
            try:
                application = public.find_case(
                    request,
                    Application,
                    form.cleaned_data["tracking_number"],
                    form.cleaned_data["query_code"],
                    scope=SCOPE,
                )
            except public.TrackingError as failure:
                error, status = str(failure), failure.status
            else:
                public.authorise(request, application)
                return redirect("applications:track_detail", tracking_number=application.tracking_number)
        else:
            status = 400
    else:
        form = TrackForm(initial={"tracking_number": request.GET.get("number", "")[:24]})
    context = {
        "form": form,
        "error": error,
        "errors": form.error_summary() if form.is_bound else [],
        "breadcrumbs": crumbs(service_crumb(), ("办件查询", reverse("applications:track"))),
    }
    return TemplateResponse(request, "applications/track.html", context, status=status)


def authorised(request, tracking_number):
    application = public.authorised_case(request, Application, tracking_number)
    if application is None:
        return None
    return Application.objects.select_related("department", "guide").get(pk=application.pk)


def ask_for_code(request, tracking_number):
    url = reverse("applications:track")
    return redirect(f"{url}?number={public.normalize_tracking_number(tracking_number)[:24]}")


@never_cache
@require_safe
def track_detail(request, tracking_number):
    application = authorised(request, tracking_number)
    if application is None:
        return ask_for_code(request, tracking_number)
    return render_detail(request, application)


DONE = {
    "supply": "补正材料已提交，办理部门将继续办理，办理时限恢复计算。",
    "withdraw": "申请已撤回。",
    "rate": "感谢您的评价！",
}


def render_detail(request, application, forms=None, status=200, notice=None):
    forms = forms or {}
    actions = {t.action for t in application.flow.available(application, workflow.APPLICANT)}
    supplement = None
    if application.state == State.SUPPLEMENT:
        supplement = application.events.filter(action="request_supplement").order_by("-at", "-pk").first()
    materials = submission.supply_materials(application)
    rating = getattr(application, "rating", None)  # RelatedObjectDoesNotExist is an AttributeError
    context = {
        "application": application,
        "timeline": public.public_timeline(application),
        "days_left": application.days_left(),
        "supplement": supplement,
        "files": application.files.all(),
        "can_supply": "supply" in actions,
        "can_withdraw": "withdraw" in actions,
        "can_rate": application.can_be_rated,
        "rating": rating,
        "supply_form": forms.get("supply") or SupplyForm(materials=materials),
        "withdraw_form": forms.get("withdraw") or WithdrawForm(),
        "rating_form": forms.get("rate") or RatingForm(),
        "notice": notice,
        "done": DONE.get(request.GET.get("done", "")) if request.method == "GET" else None,
        "breadcrumbs": crumbs(
            service_crumb(),
            ("办件查询", reverse("applications:track")),
            (application.tracking_number, request.path),
        ),
    }
    return TemplateResponse(request, "applications/track_detail.html", context, status=status)


def _detail_url(application):
    return reverse("applications:track_detail", kwargs={"tracking_number": application.tracking_number})


@csrf_exempt
@never_cache
@require_POST
def supply(request, tracking_number):
    """补正: the applicant uploads what was asked for; the clock resumes (``workflow.perform``)."""
    application = authorised(request, tracking_number)
    if application is None:
        return ask_for_code(request, tracking_number)
    materials = submission.supply_materials(application)
    uploads.limit_request_size(request, submission.max_request_bytes(materials))
    return _supply(request, application, materials)


@csrf_protect
def _supply(request, application, materials):
    if public.over_limit(request, "post", scope=SCOPE):
        return public.too_many_requests(request, group="post")
    too_large = uploads.request_too_large(request)
    form = SupplyForm(request.POST, request.FILES, materials=materials)
    if too_large:
        form.add_error(None, too_large)
    if not form.is_valid():
        return render_detail(request, application, {"supply": form}, status=413 if too_large else 400)
    try:
        with uploads.StoredFiles() as stored, transaction.atomic():
            locked = Application.objects.select_for_update().get(pk=application.pk)
            if locked.state != State.SUPPLEMENT:
                raise workflow.TransitionError("此办件当前不需要补正材料", code="state")
            round_ = submission.supplement_round(locked)
            submission.store_files(locked, form.checked_files(), stored, round_=round_)
            workflow.perform(locked, "supply", by=workflow.APPLICANT, reason=form.cleaned_data["note"])
    except workflow.TransitionError as error:
        application.refresh_from_db()
        return render_detail(request, application, status=409, notice=error.messages[0])
    return redirect(_detail_url(application) + "?done=supply")


@csrf_protect
@never_cache
@require_POST
def withdraw(request, tracking_number):
    application = authorised(request, tracking_number)
    if application is None:
        return ask_for_code(request, tracking_number)
    if public.over_limit(request, "post", scope=SCOPE):
        return public.too_many_requests(request, group="post")
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        return render_detail(request, application, {"withdraw": form}, status=400)
    try:
        workflow.perform(application, "withdraw", by=workflow.APPLICANT, reason=form.cleaned_data["reason"])
    except workflow.TransitionError as error:
        application.refresh_from_db()
        return render_detail(request, application, status=409, notice=error.messages[0])
    return redirect(_detail_url(application) + "?done=withdraw")


@csrf_protect
@never_cache
@require_POST
def rate(request, tracking_number):
    """好差评: once per completed application."""
    application = authorised(request, tracking_number)
    if application is None:
        return ask_for_code(request, tracking_number)
    if public.over_limit(request, "post", scope=SCOPE):
        return public.too_many_requests(request, group="post")
    form = RatingForm(request.POST)
    if application.state != State.COMPLETED:
        return render_detail(request, application, status=409, notice="办件办结后才能评价")
    if hasattr(application, "rating"):
        return render_detail(
            request, application, status=409, notice="此办件已经评价过，每件办件只能评价一次"
        )
    if not form.is_valid():
        return render_detail(request, application, {"rate": form}, status=400)
    try:
        with transaction.atomic():
            Rating.objects.create(
                application=application,
                service_code=application.service_code,
                score=form.cleaned_data["score"],
                comment=form.cleaned_data["comment"],
            )
    except IntegrityError:  # a second tab rated meanwhile
        application = Application.objects.get(pk=application.pk)
        return render_detail(
            request, application, status=409, notice="此办件已经评价过，每件办件只能评价一次"
        )
    return redirect(_detail_url(application) + "?done=rate")


@csrf_protect
@require_POST
def leave(request, tracking_number):
    """退出查询: this browser forgets the authorisation (a shared computer at a service hall)."""
    application = Application.objects.filter(tracking_number=tracking_number).first()
    if application is not None:
        public.revoke(request, application)
        public.forget_receipt(request, application)
    return redirect("applications:track")


# --- public rating statistics -----------------------------------------------------------------

PER_PAGE = 30


@require_safe
def rating_index(request):
    """/zwfw/ratings/: 好差评 statistics per service, most rated first."""
    summaries = ratings.summaries()
    guides = {
        guide.item_code: guide
        for guide in ServiceGuidePage.objects.live()
        .public()
        .filter(item_code__in=summaries)
        .select_related("department")
    }
    titles = dict(
        Application.objects.filter(service_code__in=summaries)
        .order_by("service_code", "-submitted_at")
        .values_list("service_code", "service_title")
    )
    rows = [
        {
            "summary": s,
            "guide": guides.get(code),
            "title": guides[code].title if code in guides else titles.get(code, code),
        }
        for code, s in summaries.items()
    ]
    rows.sort(key=lambda row: (-row["summary"].count, row["title"]))
    total = ratings.overall(summaries.values())
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page_obj": page,
        "rows": page.object_list,
        "total": total,
        "generated_at": timezone.now(),
        "breadcrumbs": crumbs(service_crumb(), ("好差评", reverse("applications:ratings"))),
    }
    return TemplateResponse(request, "applications/ratings.html", context)
