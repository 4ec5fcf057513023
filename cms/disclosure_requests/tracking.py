"""/xxgk/ysqgk/track/: the applicant follows a request with its tracking number and query code, answers a
request for a supplement, withdraws it, and downloads the reply. Nothing personal is shown: whoever holds
the two codes sees the state, the deadline and what the office did, not who applied."""

from django.contrib import messages
from django.core.files import File
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from cms.casework import public, uploads
from cms.casework.workflow import APPLICANT, TransitionError, perform

from .models import REQUEST_FLOW, DisclosureRequest, State
from .submission import SCOPE
from .tracking_forms import SupplementForm, TrackingForm, WithdrawForm
from .views import crumbs, too_many_requests

SUPPLY_REQUEST_MAX_BYTES = 12 * 1024 * 1024  # one file of at most 10 MB, and the text
NOT_AUTHORISED = "请输入受理编号和查询码查询办理进度。"
# The applicant's own steps: their texts are not repeated on the page.
APPLICANT_ACTIONS = {t.action for t in REQUEST_FLOW.transitions if t.by == APPLICANT} | {"submit"}


def tracking_crumbs(*items):
    return crumbs(
        ("依申请公开", reverse("disclosure_requests:index")),
        ("办理进度查询", reverse("disclosure_requests:track")),
        *items,
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def track(request):
    status = 200
    if request.method == "POST":
        form = TrackingForm(request.POST)
        if form.is_valid():
            try:
                case = public.find_case(
                    request,
                    DisclosureRequest,
                    form.cleaned_data["tracking_number"],
                    form.cleaned_data["query_code"],
                    scope=SCOPE,
                )
            except public.TrackingError as error:
                form.add_error(None, str(error))
                status = error.status
            else:
                public.authorise(request, case)
                return redirect("disclosure_requests:status", tracking_number=case.tracking_number)
        else:
            status = 400
    else:
        form = TrackingForm(initial={"tracking_number": request.GET.get("number", "")[:24]})
    context = {"form": form, "breadcrumbs": tracking_crumbs()}
    response = TemplateResponse(request, "disclosure_requests/track.html", context, status=status)
    if status == 429:
        response["Retry-After"] = str(public.retry_after_seconds("track"))
    return response


def _authorised(request, tracking_number):
    case = public.authorised_case(request, DisclosureRequest, tracking_number)
    if case is None:
        messages.info(request, NOT_AUTHORISED)
    return case


SUBMITTED_ENTRY = {
    "action": "submit",
    "label": "提交申请",
    "state": State.SUBMITTED.label,
    "reason": "",
    "by_applicant": True,
    "attachment": False,
    "attachment_name": "",
    "pk": None,
}


def timeline(case):
    """The public history: what happened, when, and the office's reasons; the applicant's own texts
    (a supplement, a reason to withdraw) and the officers' names are left out."""
    entries = []
    for event in case.events.filter(public=True).order_by("at", "pk"):
        by_applicant = event.action in APPLICANT_ACTIONS
        entries.append(
            {
                "action": event.action,
                "at": event.at,
                "label": event.action_label,
                "state": State(event.to_state).label if event.to_state in State.values else "",
                "reason": "" if by_applicant else event.reason,
                "by_applicant": by_applicant,
                "attachment": bool(event.attachment) and not by_applicant,
                "attachment_name": event.attachment_name.rsplit("/", 1)[-1],
                "pk": event.pk,
            }
        )
    if not entries or entries[0]["action"] != "submit":
        # A request entered without the public form (the back office, an import) still starts here.
        entries.insert(0, {**SUBMITTED_ENTRY, "at": case.submitted_at})
    return entries


@never_cache
@require_safe
def status(request, tracking_number):
    case = _authorised(request, tracking_number)
    if case is None:
        return redirect(f"{reverse('disclosure_requests:track')}?number={tracking_number}")
    return render_status(request, case)


def render_status(request, case, supplement_form=None, withdraw_form=None, status=200):
    events = timeline(case)
    reply = next((e for e in reversed(events) if e["action"] in ("reply", "lapse")), None)
    context = {
        "case": case,
        "events": events,
        "reply": reply,
        "days_left": case.days_left(),
        "today": timezone.localdate(),
        "can_supply": case.state == State.SUPPLEMENT,
        "can_withdraw": case.state in (State.SUBMITTED, State.SUPPLEMENT, State.CONSULTING),
        "supplement_request": next(
            (e for e in reversed(events) if e["action"] == "request_supplement"), None
        ),
        "supplement_form": supplement_form or SupplementForm(),
        "withdraw_form": withdraw_form or WithdrawForm(),
        "breadcrumbs": tracking_crumbs((case.tracking_number, request.path)),
    }
    return TemplateResponse(request, "disclosure_requests/status.html", context, status=status)


@never_cache
@csrf_exempt  # protected inside, once the upload limit is installed (Django's rule for upload handlers)
@require_POST
def supply(request, tracking_number):
    uploads.limit_request_size(request, SUPPLY_REQUEST_MAX_BYTES)
    return _supply(request, tracking_number)


@csrf_protect
def _supply(request, tracking_number):
    case = _authorised(request, tracking_number)
    if case is None:
        return redirect("disclosure_requests:track")
    if public.over_limit(request, "post", scope=SCOPE):
        return too_many_requests(request, "post", "提交过于频繁，请稍后再试。")
    form = SupplementForm(request.POST, request.FILES, too_large=uploads.request_too_large(request))
    if not form.is_valid():
        return render_status(request, case, supplement_form=form, status=413 if form.too_large else 400)
    checked = form.cleaned_data.get("file")
    # Stored under a name of our own (the content was checked above); the applicant's name is kept as data.
    attachment = File(checked.upload, name=checked.storage_name) if checked is not None else None
    try:
        perform(
            case,
            "supply",
            by=APPLICANT,
            reason=form.cleaned_data["text"],
            attachment=attachment,
            attachment_name=checked.original_name if checked is not None else "",
        )
    except TransitionError as error:
        form.add_error(None, error.message)
        return render_status(request, case, supplement_form=form, status=409)
    messages.success(request, "补正已提交。答复期限自今日起重新计算。")
    return redirect("disclosure_requests:status", tracking_number=case.tracking_number)


@never_cache
@require_POST
def withdraw(request, tracking_number):
    case = _authorised(request, tracking_number)
    if case is None:
        return redirect("disclosure_requests:track")
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        return render_status(request, case, withdraw_form=form, status=400)
    try:
        perform(case, "withdraw", by=APPLICANT, reason=form.cleaned_data["reason"])
    except TransitionError as error:
        form.add_error(None, error.message)
        return render_status(request, case, withdraw_form=form, status=409)
    messages.success(request, "申请已撤回。")
    return redirect("disclosure_requests:status", tracking_number=case.tracking_number)


@never_cache
@require_safe
def document(request, tracking_number, event_id):
    """A document the office attached to a public step (the reply, a notice), for the authorised session
    only; the file lives outside the public media."""
    case = public.authorised_case(request, DisclosureRequest, tracking_number)
    if case is None:
        raise Http404("文件不存在或查询已过期")
    event = (
        case.events.filter(pk=event_id, public=True)
        .exclude(attachment="")
        .exclude(action__in=APPLICANT_ACTIONS)
        .first()
    )
    if event is None:
        raise Http404("文件不存在")
    try:
        handle = event.attachment.open("rb")
    except FileNotFoundError:
        raise Http404("文件不存在") from None
    name = event.attachment_name.rsplit("/", 1)[-1] or event.attachment.name.rsplit("/", 1)[-1]
    response = FileResponse(handle, as_attachment=True, filename=name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def leave(request, tracking_number):
    """结束查询: this browser forgets the authorisation (on a shared computer)."""
    case = DisclosureRequest.objects.filter(tracking_number=tracking_number).first()
    if case is not None:
        public.revoke(request, case)
    return redirect("disclosure_requests:track")
