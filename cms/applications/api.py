"""网上申请 as JSON (/api/zwfw/applications/): the form of a guide described, an application submitted with
its files (the HTML form's validation, limits and idempotency), and tracking by tracking number and query
code. Mounted in cms/api/main.py."""

import hashlib
import json

from django.core.cache import caches
from django.http import JsonResponse
from django.urls import reverse
from ninja import Field, Path, Router, Schema, Status

from cms.casework import public, uploads
from cms.casework.codes import QUERY_CODE_LENGTH
from cms.services.choices import Audience
from cms.services.models import ServiceGuidePage
from cms.services.models.guide import is_page_id

from . import submission
from .forms import ApplicantForm, ApplicationForm, details_form_class
from .models import Application

router = Router(tags=["网上办事"])
SCOPE = "applications.api"
REPLAY_SECONDS = 24 * 3600
REPLAY_CACHE = "shared"


# --- schemas ----------------------------------------------------------------------------------


class Message(Schema):
    message: str = Field(..., description="说明（中文），可直接展示给用户")


class FieldError(Schema):
    field: str = Field(..., description="出错的表单字段名（与提交时的字段名相同）；空字符串表示整个申请")
    label: str = Field(..., description="字段的中文名称")
    message: str = Field(..., description="错误说明（中文）")


class Invalid(Schema):
    message: str = Field(..., description="总的说明，例如“提交未成功：有 2 处需要修改”")
    errors: list[FieldError] = Field(..., description="逐项的错误；文件错误会写明文件名和原因")


class Choice(Schema):
    value: str = Field(..., description="提交的值")
    label: str = Field(..., description="显示的名称")


class FormField(Schema):
    name: str = Field(..., description="提交时的字段名")
    label: str = Field(..., description="字段名称")
    type: str = Field(
        ...,
        description="类型：text、textarea、email、tel、date、datetime、number、url、select、radio、"
        "checkboxes（可多值）、checkbox（true/on 表示勾选）、hidden",
    )
    required: bool = Field(..., description="是否必填")
    help_text: str = Field("", description="填写说明")
    max_length: int | None = Field(None, description="最多字数")
    choices: list[Choice] = Field([], description="可选值（select、radio、checkboxes）")


class Material(Schema):
    name: str = Field(..., description="上传时的字段名，形如 m-<材料编号>")
    label: str = Field(..., description="材料名称")
    required: bool = Field(..., description="是否必须上传")
    allowed_types: list[str] = Field(
        ..., description="允许的格式（按文件实际内容判断）：pdf、jpg、png、docx、xlsx、ofd"
    )
    max_size_mb: int = Field(..., description="单个文件的大小上限（MB）")
    form: str = Field(..., description="材料形式，例如 原件、复印件")
    note: str = Field("", description="填写说明")
    blank_form_url: str | None = Field(None, description="空白表格下载地址")
    sample_url: str | None = Field(None, description="示例样表下载地址")


class ApplicationFormSpec(Schema):
    guide_id: int = Field(..., description="办事指南编号（提交时用于网址）")
    title: str = Field(..., description="事项名称")
    item_code: str = Field(..., description="事项编码")
    department: str = Field(..., description="办理部门")
    submit_url: str = Field(..., description="提交申请的接口地址（multipart/form-data，POST）")
    applicant_kinds: list[Choice] = Field(..., description="可选的申请人类型（applicant_kind 的取值）")
    applicant_fields: dict[str, list[FormField]] = Field(
        ..., description="按申请人类型列出的申请人和联系方式字段（person=个人，organisation=法人）"
    )
    fields: list[FormField] = Field(..., description="本事项的申请内容字段（由编辑在办事指南中定义）")
    materials: list[Material] = Field(..., description="上传材料，每项一个文件")
    max_request_mb: float = Field(..., description="一次提交全部文件合计的大小上限（MB）")


class Submitted(Schema):
    tracking_number: str = Field(..., description="受理编号")
    query_code: str | None = Field(
        ...,
        description=f"查询码（{QUERY_CODE_LENGTH} 位），只在首次提交的响应中返回，系统不保存其明文；"
        "同一幂等键在 24 小时内重试时原样返回",
    )
    state: str = Field(..., description="状态代码，新申请为 submitted")
    state_display: str = Field(..., description="状态名称")
    acceptance_due_on: str | None = Field(..., description="受理期限（办理部门须在此日期前决定是否受理）")
    tracking_url: str = Field(..., description="网页上的查询地址")


class TrackRequest(Schema):
    tracking_number: str = Field(..., max_length=40, description="受理编号，如 ZW2026112400017")
    query_code: str = Field(..., max_length=40, description="查询码（不区分大小写）")


class TimelineEntry(Schema):
    at: str = Field(..., description="时间（ISO 8601，北京时间）")
    action: str = Field(..., description="办理环节，例如 受理、要求补正、准予许可")
    state: str = Field(..., description="该环节之后的状态名称")
    reason: str = Field(..., description="理由或说明（如补正要求、不予受理的理由）")


class Tracked(Schema):
    tracking_number: str = Field(..., description="受理编号")
    service_title: str = Field(..., description="事项名称")
    service_code: str = Field(..., description="事项编码")
    department: str = Field(..., description="办理部门")
    applicant: str = Field(..., description="申请人（个人姓名已打码）")
    state: str = Field(..., description="状态代码")
    state_display: str = Field(..., description="状态名称")
    submitted_at: str = Field(..., description="提交时间")
    due_on: str | None = Field(..., description="当前期限（受理期限或办理期限）；暂停计时或已办结时为空")
    days_left: int | None = Field(..., description="距期限的工作日数，负数表示已超期")
    clock_stopped: bool = Field(..., description="是否暂停计时（等待补正）")
    supplement_reason: str | None = Field(..., description="待补正时，办理部门要求补正的内容")
    closed_at: str | None = Field(..., description="办结（或撤回、不予受理）时间")
    timeline: list[TimelineEntry] = Field(..., description="办理过程（公开的环节），按时间先后")


# --- the form described -----------------------------------------------------------------------


def _live_guide(guide_id):
    if not is_page_id(guide_id):
        return None
    guide = ServiceGuidePage.objects.live().public().filter(pk=guide_id).first()
    guide = guide.specific if guide else None
    return guide if guide is not None and guide.accepts_applications else None


def _field_spec(name, field):
    widget = field.widget
    kind = {
        "textarea": "textarea",
        "emailinput": "email",
        "dateinput": "date",
        "datetimeinput": "datetime",
        "numberinput": "number",
        "urlinput": "url",
        "select": "select",
        "radioselect": "radio",
        "checkboxselectmultiple": "checkboxes",
        "selectmultiple": "checkboxes",
        "checkboxinput": "checkbox",
        "hiddeninput": "hidden",
    }.get(type(widget).__name__.lower(), "tel" if getattr(widget, "input_type", "") == "tel" else "text")
    choices = [{"value": str(v), "label": str(label)} for v, label in getattr(field, "choices", [])]
    return {
        "name": name,
        "label": str(field.label),
        "type": kind,
        "required": field.required,
        "help_text": str(field.help_text or ""),
        "max_length": getattr(field, "max_length", None),
        "choices": choices,
    }


def _applicant_fields(kind):
    form = ApplicantForm(kind=kind)
    return [_field_spec(name, field) for name, field in form.fields.items() if name != "applicant_kind"]


@router.get(
    "/forms/{guide_id}",
    response={200: ApplicationFormSpec, 404: Message},
    summary="网上申请表单说明",
    description="某一可网上申请事项的表单：申请人字段、本事项的申请内容字段和上传材料，以及各字段的提交名称。"
    "据此组织 multipart/form-data 提交到 submit_url。",
)
def describe_form(request, guide_id: int = Path(..., description="办事指南编号")):
    guide = _live_guide(guide_id)
    if guide is None:
        return Status(404, {"message": "没有找到该事项，或该事项不支持网上申请"})
    details = details_form_class(guide)(prefix="f")
    materials = list(guide.materials.all())
    audiences = guide.audiences or [Audience.PERSON]
    return {
        "guide_id": guide.pk,
        "title": guide.title,
        "item_code": guide.item_code,
        "department": guide.unit_display,
        "submit_url": reverse("portal_api:submit_application", kwargs={"guide_id": guide.pk}),
        "applicant_kinds": [{"value": a, "label": str(Audience(a).label)} for a in audiences],
        "applicant_fields": {a: _applicant_fields(a) for a in audiences},
        "fields": [_field_spec(details.add_prefix(name), field) for name, field in details.fields.items()],
        "materials": [
            {
                "name": f"m-{m.pk}",
                "label": m.name,
                "required": m.required,
                "allowed_types": m.allowed_types,
                "max_size_mb": m.max_size_mb,
                "form": str(m.get_form_display()),
                "note": m.note,
                "blank_form_url": m.blank_form.url if m.blank_form_id else None,
                "sample_url": m.sample.url if m.sample_id else None,
            }
            for m in materials
        ],
        "max_request_mb": round(submission.max_request_bytes(materials) / (1024 * 1024), 1),
    }


# --- submitting -------------------------------------------------------------------------------


def _text(description, **extra):
    return {"type": "string", "description": description, **extra}


SUBMIT_FIELDS = {
    "applicant_kind": _text("申请人类型", enum=list(Audience.values)),
    "name": _text("姓名（个人）", maxLength=50),
    "id_number": _text("公民身份号码（个人），校验 GB 11643 校验位"),
    "organisation_name": _text("单位名称（法人）", maxLength=200),
    "uscc": _text("统一社会信用代码（法人），校验 GB 32100 校验位"),
    "contact_name": _text("联系人（法人）", maxLength=50),
    "phone": _text("联系电话：手机号码或带区号的固定电话"),
    "email": _text("电子邮箱（选填，回执发往此处）", format="email"),
    "address": _text("通信地址", maxLength=200),
    "consent": {"type": "boolean", "description": "申请人已阅读并同意承诺（须为 true）"},
    "submission_key": _text(
        "幂等键（也可用 Idempotency-Key 请求头）：同一键只创建一件申请", pattern="^[A-Za-z0-9_-]{16,64}$"
    ),
}
SUBMIT_BODY = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["applicant_kind", "phone", "address", "consent"],
                "properties": SUBMIT_FIELDS,
                "additionalProperties": {
                    "description": "本事项的申请内容字段（f-<名称>）和材料文件（m-<材料编号>，binary），"
                    "见 GET /api/zwfw/applications/forms/{guide_id}",
                },
            }
        }
    },
}


def _replay_keys(idempotency_key):
    """The stored submission key and the key that seals the cached answer: both derived from the client's
    key, which is never stored, so neither the database nor the cache reveals the query code."""
    stored = "api-" + hashlib.sha256(b"submission:" + idempotency_key.encode()).hexdigest()[:56]
    seal = hashlib.sha256(b"replay:" + idempotency_key.encode()).digest()
    return stored, seal


def _seal(code, seal):
    return bytes(a ^ b for a, b in zip(code.encode(), seal, strict=False)).hex()


def _unseal(sealed, seal):
    return bytes(a ^ b for a, b in zip(bytes.fromhex(sealed), seal, strict=False)).decode()


def _answer(application, code):
    return {
        "tracking_number": application.tracking_number,
        "query_code": code,
        "state": application.state,
        "state_display": str(application.get_state_display()),
        "acceptance_due_on": application.due_on.isoformat() if application.due_on else None,
        "tracking_url": reverse("applications:track"),
    }


def _too_many(group):
    seconds = public.retry_after_seconds(group)
    response = JsonResponse(
        {"message": f"提交过于频繁，请约 {max(1, seconds // 60)} 分钟后再试"},
        status=429,
        json_dumps_params={"ensure_ascii": False},
    )
    response["Retry-After"] = str(seconds)
    return response


def _invalid(form):
    errors = [{"field": "", "label": "", "message": m} for m in form.extra_errors]
    for part in form.parts:
        for name, messages in part.errors.items():
            label = str(part.fields[name].label) if name in part.fields else ""
            field = part.add_prefix(name) if name != "__all__" else ""
            errors += [{"field": field, "label": label, "message": m} for m in messages]
    return {"message": f"提交未成功：有 {len(errors)} 处需要修改", "errors": errors}


@router.post(
    "/forms/{guide_id}",
    url_name="submit_application",
    response={
        201: Submitted,
        200: Submitted,
        400: Invalid,
        404: Message,
        409: Message,
        413: Invalid,
        429: Message,
    },
    summary="提交网上申请",
    description="multipart/form-data：申请人字段、申请内容字段（f-…）和材料文件（m-…），校验规则与网页表单相同；"
    "文件按实际内容检查格式和大小。成功返回 201 及受理编号和查询码（只返回这一次）。"
    "幂等：带 Idempotency-Key 请求头（或 submission_key 字段，16～64 位字母、数字、-、_）时，"
    "同一键只创建一件申请，"
    "24 小时内重试返回 200 和相同内容（响应头 Idempotent-Replayed: true）。"
    "同一网络地址提交过于频繁时返回 429（Retry-After 头给出等待秒数）。",
    openapi_extra={"requestBody": SUBMIT_BODY},
)
def submit_application(request, guide_id: int = Path(..., description="办事指南编号")):
    guide = _live_guide(guide_id)
    if guide is None:
        return Status(404, {"message": "没有找到该事项，或该事项不支持网上申请"})
    materials = list(guide.materials.all())
    uploads.limit_request_size(request, submission.max_request_bytes(materials))
    if public.over_limit(request, "post", scope=SCOPE):
        return _too_many("post")
    too_large = uploads.request_too_large(request)
    raw_key = request.headers.get("Idempotency-Key") or request.POST.get(public.SUBMISSION_KEY_FIELD)
    idempotency_key = public.clean_submission_key(raw_key)
    if raw_key and not idempotency_key:
        return Status(400, {"message": "幂等键格式不正确：应为 16～64 位字母、数字、-、_", "errors": []})
    key, seal = _replay_keys(idempotency_key) if idempotency_key else (public.new_submission_key(), b"")
    if idempotency_key:
        replay = _replay(key, seal)
        if replay is not None:
            return replay

    kind = request.POST.get("applicant_kind", "")
    if kind not in (guide.audiences or [Audience.PERSON]):
        labels = "、".join(f"{a}（{Audience(a).label}）" for a in guide.audiences or [Audience.PERSON])
        return Status(
            400,
            {
                "message": "申请人类型不正确",
                "errors": [{"field": "applicant_kind", "label": "申请人类型", "message": f"请填写 {labels}"}],
            },
        )
    form = ApplicationForm(guide, kind, request.POST, request.FILES)
    if too_large:
        form.add_error(too_large)
    if not form.is_valid():
        return Status(413 if too_large else 400, _invalid(form))
    if public.over_limit(request, "submit", scope=SCOPE):
        return _too_many("submit")

    code_holder = {}

    def remember(application, code):
        code_holder["code"] = code
        if idempotency_key:
            value = {"tracking_number": application.tracking_number, "sealed": _seal(code, seal)}
            caches[REPLAY_CACHE].set(f"applications.replay:{key}", json.dumps(value), REPLAY_SECONDS)

    application, created = submission.submit(None, guide, form, key, after_create=remember)
    if not created:
        replay = _replay(key, seal)
        if replay is not None:
            return replay
        return _already(application)
    return Status(201, _answer(application, code_holder["code"]))


def _already(application):
    number = application.tracking_number
    return Status(409, {"message": f"该申请已提交，受理编号为 {number}；查询码只在首次提交时返回"})


def _replay(key, seal):
    """The first answer again, for a retry with the same idempotency key."""
    application = Application.objects.filter(submission_key=key).first()
    if application is None:
        return None
    cached = caches[REPLAY_CACHE].get(f"applications.replay:{key}")
    if not cached:
        return _already(application)
    value = json.loads(cached)
    response = JsonResponse(
        _answer(application, _unseal(value["sealed"], seal)),
        status=200,
        json_dumps_params={"ensure_ascii": False},
    )
    response["Idempotent-Replayed"] = "true"
    return response


# --- tracking ---------------------------------------------------------------------------------


def tracked(application):
    supplement = None
    if application.state == "supplement_requested":
        event = application.events.filter(action="request_supplement").order_by("-at", "-pk").first()
        supplement = event.reason if event else ""
    return {
        "tracking_number": application.tracking_number,
        "service_title": application.service_title,
        "service_code": application.service_code,
        "department": application.department.name,
        "applicant": application.applicant_name
        if application.applicant_kind == Audience.ORGANISATION
        else application.masked_name,
        "state": application.state,
        "state_display": str(application.get_state_display()),
        "submitted_at": application.submitted_at.isoformat(),
        "due_on": application.due_on.isoformat()
        if application.due_on and not application.is_closed and not application.clock_stopped
        else None,
        "days_left": application.days_left(),
        "clock_stopped": application.clock_stopped,
        "supplement_reason": supplement,
        "closed_at": application.closed_at.isoformat() if application.closed_at else None,
        "timeline": [
            {"at": e.at.isoformat(), "action": e.action, "state": e.state, "reason": e.reason}
            for e in public.public_timeline(application)
        ],
    }


@router.post(
    "/track",
    response={200: Tracked, 400: Message, 429: Message},
    summary="查询办件进度",
    description="凭受理编号和查询码查询办理状态和公开的办理过程。不返回证件号码、电话等个人信息。"
    "受理编号或查询码不正确时统一返回 400 和同一条提示；同一网络地址失败次数过多时返回 429。",
)
def track_application(request, body: TrackRequest):
    try:
        application = public.find_case(
            request, Application, body.tracking_number, body.query_code, scope=SCOPE
        )
    except public.TrackingError as error:
        return Status(error.status, {"message": str(error)})
    application = Application.objects.select_related("department").get(pk=application.pk)
    return tracked(application)
