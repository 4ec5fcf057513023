"""/xxgk/ysqgk/: how to request government information, the request form and its receipt."""

import re

from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from cms.casework import public
from cms.casework.workdays import add_workdays
from cms.core.models import Department

from .forms import ORGANISATION_FIELDS, PERSON_FIELDS, DisclosureRequestForm
from .models import DisclosureRequest
from .models.flow import MAX_EXTENSION_DAYS, STATUTORY_DAYS, SUPPLEMENT_WITHIN_DAYS, THIRD_PARTY_DAYS
from .submission import SCOPE, receive

SLUG_RE = re.compile(r"^[a-z0-9_-]{1,40}$")
TOO_MANY = "提交过于频繁，请稍后再试。您填写的内容尚未提交：请返回上一页，稍候重新提交。"


def crumbs(*items):
    return [{"label": "政府信息公开", "url": "/xxgk/"}] + [
        {"label": label, "url": url} for label, url in items
    ]


def too_many_requests(request, group="submit", message=TOO_MANY):
    return public.too_many_requests(
        request, group=group, message=message, template="disclosure_requests/too_many_requests.html"
    )


def procedure():
    """The figures the explanation quotes, from the rules the code applies."""
    return {
        "statutory_days": STATUTORY_DAYS,
        "max_extension_days": MAX_EXTENSION_DAYS,
        "supplement_within_days": SUPPLEMENT_WITHIN_DAYS,
        "third_party_days": THIRD_PARTY_DAYS,
    }


def initial_department(request):
    slug = request.GET.get("department", "")
    return Department.objects.filter(slug=slug).first() if SLUG_RE.match(slug) else None


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def index(request):
    if request.method == "POST":
        if public.over_limit(request, "post", scope=SCOPE):
            return too_many_requests(request, "post")
        key = public.clean_submission_key(request.POST.get(public.SUBMISSION_KEY_FIELD))
        existing = DisclosureRequest.objects.filter(submission_key=key).first() if key else None
        if existing is not None:
            # A double click or a resubmitted page: the first submission's receipt, not a second request.
            if public.holds_receipt(request, existing):
                return redirect("disclosure_requests:receipt", tracking_number=existing.tracking_number)
            return already_submitted(request)
        key = key or public.new_submission_key(request)
        form = DisclosureRequestForm(request.POST)
        if form.is_valid():
            if public.over_limit(request, "submit", scope=SCOPE):
                return too_many_requests(request)
            case, _code, created = receive(form, key, request)
            if not created and not public.holds_receipt(request, case):
                return already_submitted(request)
            return redirect("disclosure_requests:receipt", tracking_number=case.tracking_number)
        status = 400
    else:
        department = initial_department(request)
        form = DisclosureRequestForm(initial={"department": department} if department else None)
        key = public.new_submission_key(request)
        status = 200
    context = {
        "form": form,
        "person_fields": form.fields_of(PERSON_FIELDS),
        "organisation_fields": form.fields_of(ORGANISATION_FIELDS),
        "submission_key": key,  # kept after errors: the corrected form is still the same submission
        "procedure": procedure(),
        "breadcrumbs": crumbs(("依申请公开", reverse("disclosure_requests:index"))),
    }
    return TemplateResponse(request, "disclosure_requests/index.html", context, status=status)


def already_submitted(request):
    """A submission key already used by another browser (a copied page): nothing new is created."""
    context = {"breadcrumbs": crumbs(("依申请公开", reverse("disclosure_requests:index")))}
    return TemplateResponse(request, "disclosure_requests/already_submitted.html", context, status=409)


@never_cache
@require_safe
def receipt(request, tracking_number):
    case = (
        DisclosureRequest.objects.select_related("department").filter(tracking_number=tracking_number).first()
    )
    if case is None or not public.holds_receipt(request, case):
        raise Http404("没有可显示的回执")
    context = {
        "case": case,
        "query_code": public.receipt_code(request, case),
        "supplement_deadline": add_workdays(case.received_on, SUPPLEMENT_WITHIN_DAYS),
        "procedure": procedure(),
        "breadcrumbs": crumbs(
            ("依申请公开", reverse("disclosure_requests:index")),
            ("提交成功", request.path),
        ),
    }
    return TemplateResponse(request, "disclosure_requests/receipt.html", context)
