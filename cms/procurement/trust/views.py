"""/zfcg/verify/: anyone checks that a file is a tender document the platform published, unmodified.

* Upload a file (its SHA-256 is computed while it streams in; nothing is stored, see ``digests.py``) or
  give its SHA-256 (``?sha256=``, so the project page and the admin can link to an answer). Both are
  rate-limited per client address; the answer is ``verification.verdict``.
* The platform's public keys, and for each published version its signature (raw bytes) and the exact
  signed statement, so that anyone can check the signature with OpenSSL without trusting this page.
"""

import base64

from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_safe

from cms.casework import public
from cms.casework.uploads import format_size
from cms.procurement.trust import digests, documents, recipe, signing
from cms.procurement.trust.forms import VerifyDigestForm, VerifyFileForm
from cms.procurement.trust.verification import verdict
from cms.procurement.trust.versions import version_statement

SCOPE = "procurement"
RATE_GROUP = "verify"  # CASEWORK_RATES = {"verify": (...)} overrides the default of public form posts


def crumbs():
    return [
        {"label": "政府采购", "url": "/zfcg/"},
        {"label": "采购文件校验", "url": reverse("procurement:verify")},
    ]


def key_section():
    """The keys anyone may verify with: the current one first, then the retired ones still trusted."""
    current = signing.public_key()
    current_id = signing.key_id(current)
    keys = [{"id": current_id, "pem": signing.public_key_pem(current), "current": True}]
    for key_id, key in signing.trusted_keys().items():
        if key_id != current_id:
            keys.append({"id": key_id, "pem": signing.public_key_pem(key), "current": False})
    return {"keys": keys, "current_key_id": current_id, "statement_prefix": signing.STATEMENT_PREFIX}


def render(request, *, file_form=None, digest_form=None, result=None, status=200, too_large=None):
    context = {
        "file_form": file_form or VerifyFileForm(),
        "digest_form": digest_form or VerifyDigestForm(),
        "result": result,
        "too_large": too_large,
        "max_size": documents.limit_label(),
        "breadcrumbs": crumbs(),
        "recipe": recipe.steps(base_url(request)),
        **key_section(),
    }
    errors = []
    for form in (context["file_form"], context["digest_form"]):
        if form.is_bound:
            errors += form.error_summary()
    if too_large:
        errors.insert(0, {"href": "#id_file", "label": "", "message": too_large})
    context["errors"] = errors
    return TemplateResponse(request, "procurement/trust/verify.html", context, status=status)


def throttled(request):
    return public.too_many_requests(
        request,
        group=RATE_GROUP,
        message="校验请求过于频繁，请稍后再试。",
        template="procurement/trust/too_many_requests.html",
    )


def base_url(request):
    return request.build_absolute_uri("/")


def with_links(request, result):
    """Each match's project link (only while the project is public) and its own OpenSSL commands."""
    for match in result.matches:
        project = match.project
        match.project_url = project.get_url(request) if project.live else ""
        key_id = match.version.key_id if match.key_status == "retired" else None
        match.recipe = recipe.steps(base_url(request), match.version, key_id=key_id)
    return result


@csrf_exempt
@never_cache  # answers depend on what was asked; nothing to keep
@require_http_methods(["GET", "HEAD", "POST"])
def verify(request):
    """GET: the page, or the answer for ``?sha256=``. POST: the answer for an uploaded file. The upload
    handlers must be in place before anything reads the body, so CSRF is checked inside (``_verify_file``)."""
    if request.method == "POST":
        if public.over_limit(request, RATE_GROUP, scope=SCOPE):
            return throttled(request)
        digests.install(request, documents.max_bytes())
        return _verify_file(request)
    if "sha256" not in request.GET:
        return render(request)
    form = VerifyDigestForm(request.GET)
    if not form.is_valid():
        return render(request, digest_form=form, status=400)
    if public.over_limit(request, RATE_GROUP, scope=SCOPE):
        return throttled(request)
    result = with_links(request, verdict(form.cleaned_data["sha256"]))
    return render(request, digest_form=form, result=result)


@csrf_protect
def _verify_file(request):
    limit = digests.too_large(request)
    if limit:
        message = (
            f"文件超过 {format_size(limit)}，未能在线校验。本平台发布的采购文件都不超过该大小；"
            "如确需校验，请在本机计算 SHA-256 摘要后用下方“按摘要查询”校验"
        )
        return render(request, file_form=VerifyFileForm(), too_large=message, status=413)
    form = VerifyFileForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, file_form=form, status=400)
    digested = form.cleaned_data["file"]
    result = verdict(digested.sha256, size=digested.size, name=digested.name)
    return render(request, result=with_links(request, result))


# --- what anyone needs to verify without us ---------------------------------------------------------------


@require_safe
@cache_control(public=True, max_age=3600)
def public_key(request):
    response = HttpResponse(signing.public_key_pem(), content_type="text/plain; charset=us-ascii")
    response["Content-Disposition"] = 'inline; filename="jiyuan-zfcg-public-key.pem"'
    return response


@require_safe
@cache_control(public=True, max_age=3600)
def public_key_by_id(request, key_id):
    key = signing.trusted_keys().get(key_id)
    if key is None:
        raise Http404("没有该签名密钥")
    response = HttpResponse(signing.public_key_pem(key), content_type="text/plain; charset=us-ascii")
    response["Content-Disposition"] = f'inline; filename="jiyuan-zfcg-key-{key_id}.pem"'
    return response


def published_version(version_id):
    from cms.procurement.trust.versions import public_versions

    version = public_versions().filter(pk=version_id).select_related("procurement_file__project").first()
    if version is None:
        raise Http404("没有找到该已发布的采购文件版本")
    return version


@require_safe
@cache_control(public=True, max_age=3600)
def signature(request, version_id):
    version = published_version(version_id)
    response = HttpResponse(base64.b64decode(version.signature), content_type="application/octet-stream")
    response["Content-Disposition"] = f'attachment; filename="signature-{version.pk}.sig"'
    return response


@require_safe
@cache_control(public=True, max_age=3600)
def statement(request, version_id):
    """The exact bytes that were signed: UTF-8, no line break at the end."""
    version = published_version(version_id)
    response = HttpResponse(version_statement(version), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="statement-{version.pk}.txt"'
    return response
