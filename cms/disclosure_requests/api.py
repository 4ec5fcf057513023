"""依申请公开 as JSON: submit a request and track it (mounted at /api/ysqgk/).

Submitting goes through the public form's own validation (``DisclosureRequestForm``) and the same
transaction (``submission.receive``), so both channels accept and refuse exactly the same input with the
same Chinese messages. Requests are rate-limited per client address like the form, and a repeated
``Idempotency-Key`` creates nothing new."""

import datetime

from django.http import HttpResponse
from ninja import Field, Router, Schema, Status

from cms.casework import public
from cms.core.models import Department

from .choices import REPLY_REASON_CHOICES, ApplicantKind, DeliveryForm, DeliveryMethod, IdType, ReplyKind
from .forms import DisclosureRequestForm
from .models import DisclosureRequest, State
from .submission import SCOPE, receive
from .tracking import timeline
from .views import SLUG_RE

router = Router(tags=["依申请公开"])

NOT_JSON = "请以 JSON 格式提交（Content-Type: application/json）"
TOO_MANY = "提交过于频繁，请稍后再试"
BAD_KEY = "请求头 Idempotency-Key 格式不正确：应为16至64位字母、数字、- 或 _"


def _choices(choices):
    return "；".join(f"{value}={label}" for value, label in choices)


def _text(description, max_length, default=""):
    """A text field checked by the form (with its Chinese messages), documented with its limit."""
    return Field(default, description=description, json_schema_extra={"maxLength": max_length})


class Message(Schema):
    message: str = Field(..., description="说明（中文），可直接展示给用户")


class FormErrors(Schema):
    message: str = Field(..., description="第一处错误的说明（中文）")
    errors: dict[str, list[str]] = Field(
        ..., description="按字段列出的全部错误（字段名同请求体；__all__ 为整体错误）"
    )


class RequestIn(Schema):
    applicant_kind: str = Field(..., description=f"申请人类型：{_choices(ApplicantKind.choices)}")
    name: str = _text("自然人：姓名（申请人类型为 person 时必填）", 50)
    id_type: str = Field(
        IdType.RESIDENT_ID.value,
        description=f"自然人：证件类型（默认居民身份证）：{_choices(IdType.choices)}",
    )
    id_number: str = _text("自然人：证件号码；居民身份证按 GB 11643 校验", 18)
    organisation_name: str = _text("法人或其他组织：单位名称", 100)
    uscc: str = _text("法人或其他组织：统一社会信用代码（18位，按 GB 32100 校验）", 18)
    legal_representative: str = _text("法人或其他组织：法定代表人或负责人", 50)
    contact_name: str = _text("法人或其他组织：联系人姓名", 50)
    phone: str = _text("联系电话：11位手机号码或带区号的固定电话", 20)
    email: str = _text("电子邮箱；填写后发送受理回执和办理进展；获取方式为 email 时必填", 254)
    address: str = _text("通信地址", 200)
    postcode: str = _text("邮政编码（6位数字）；获取方式为 post 时必填", 6)
    department: str = Field(..., description="申请公开的机关：部门代号（见 /api/departments 的 slug）")
    description: str = _text("所需政府信息的内容描述（至少5个字）", 2000)
    document_hint: str = _text("文件名称、文号或其他特征（选填）", 300)
    delivery_form: str = Field(..., description=f"获取信息的载体形式：{_choices(DeliveryForm.choices)}")
    delivery_method: str = Field(
        ...,
        description=f"获取信息的方式：{_choices(DeliveryMethod.choices)}；纸质文本只能邮寄或当面领取",
    )
    consent: bool = Field(..., description="申请人承诺所填信息真实有效并同意为办理本申请使用，须为 true")


class Receipt(Schema):
    tracking_number: str = Field(..., description="受理编号")
    query_code: str | None = Field(
        None, description="查询码：只在首次提交的响应中返回一次，服务器不保存明文；重复提交时为 null"
    )
    duplicate: bool = Field(..., description="是否为重复提交（相同幂等键）；为 true 时未创建新的申请")
    department: str = Field(..., description="申请公开的机关名称")
    submitted_at: datetime.datetime = Field(..., description="提交时间")
    due_on: datetime.date | None = Field(
        None, description="答复期限：自收到申请之日起20个工作日（按国家法定节假日和调休计算）"
    )
    tracking_url: str = Field(..., description="网页查询地址")


class TrackIn(Schema):
    tracking_number: str = Field(..., description="受理编号", json_schema_extra={"maxLength": 40})
    query_code: str = Field(..., description="查询码（不区分大小写）", json_schema_extra={"maxLength": 40})


class TimelineEntry(Schema):
    at: datetime.datetime = Field(..., description="时间")
    action: str = Field(..., description="操作代码，如 submit、request_supplement、supply、extend、reply")
    label: str = Field(..., description="操作名称")
    state: str = Field(..., description="操作后的状态名称")
    reason: str = Field(..., description="行政机关的理由或说明（申请人自己提交的内容不返回）")
    has_document: bool = Field(..., description="是否附有文书（可在网页查询页面下载）")


class Progress(Schema):
    tracking_number: str = Field(..., description="受理编号")
    department: str = Field(..., description="申请公开的机关名称")
    state: str = Field(..., description=f"状态：{_choices(State.choices)}")
    state_display: str = Field(..., description="状态名称")
    submitted_at: datetime.datetime = Field(..., description="提交时间")
    due_on: datetime.date | None = Field(None, description="答复期限（暂停计时期间为暂停前的期限）")
    clock_stopped: bool = Field(..., description="答复期限是否暂停计算（等待补正或征求第三方意见）")
    days_left: int | None = Field(None, description="距答复期限的工作日数，负数为已超期；暂停或办结时为 null")
    supplement_due_on: datetime.date | None = Field(None, description="待补正时：申请人提交补正的期限")
    extension_days: int = Field(..., description="已延长的工作日数（最多20）")
    extension_reason: str = Field(..., description="延期理由")
    reply_kind: str = Field(..., description=f"答复类型（未答复时为空）：{_choices(ReplyKind.choices)}")
    reply_kind_display: str = Field(..., description="答复类型名称")
    reply_reason: str = Field(..., description=f"答复的具体理由代码：{_choices(REPLY_REASON_CHOICES)}")
    reply_reason_display: str = Field(..., description="答复的具体理由")
    closed_at: datetime.datetime | None = Field(None, description="办结时间")
    timeline: list[TimelineEntry] = Field(..., description="办理过程，按时间先后")


def _too_many(response, group, message=TOO_MANY):
    response["Retry-After"] = str(public.retry_after_seconds(group))
    return Status(429, {"message": message})


def _form_data(payload):
    data = payload.dict()
    data["consent"] = "on" if data.get("consent") else ""
    slug = data.pop("department", "")
    department = Department.objects.filter(slug=slug).first() if SLUG_RE.match(slug) else None
    data["department"] = department.pk if department else ("-" if slug else "")
    return data


@router.post(
    "/requests",
    response={201: Receipt, 200: Receipt, 400: FormErrors, 415: Message, 429: Message},
    summary="提交政府信息公开申请",
    openapi_extra={
        "parameters": [
            {
                "in": "header",
                "name": "Idempotency-Key",
                "required": False,
                "description": "幂等键：每份申请唯一的随机字符串；网络重试时带上同一个键，不会重复登记",
                "schema": {"type": "string", "pattern": "^[A-Za-z0-9_-]{16,64}$"},
            }
        ]
    },
    description=(
        "与网页申请表 /xxgk/ysqgk/ 相同的字段、校验和中文错误提示。"
        "成功时返回 201、受理编号、查询码和答复期限；"
        "查询码只返回这一次。请在请求头 Idempotency-Key 中附上每份申请唯一的随机字符串（16至64位字母、数字、"
        "- 或 _）：网络重试时相同的键不会重复登记，返回 200 和 duplicate=true。同一地址提交过于频繁时返回 429"
        "（见 Retry-After 响应头）。"
    ),
)
def submit_request(request, response: HttpResponse, payload: RequestIn):
    if request.content_type != "application/json":
        return Status(415, {"message": NOT_JSON})  # also keeps cross-site HTML forms out
    if public.over_limit(request, "post", scope=SCOPE):
        return _too_many(response, "post")
    raw_key = request.headers.get("Idempotency-Key")
    key = public.clean_submission_key(raw_key)
    if raw_key is not None and key is None:
        return Status(400, {"message": BAD_KEY, "errors": {"Idempotency-Key": [BAD_KEY]}})
    existing = DisclosureRequest.objects.filter(submission_key=key).first() if key else None
    if existing is not None:
        return Status(200, _receipt(request, existing, None))
    form = DisclosureRequestForm(_form_data(payload))
    if not form.is_valid():
        errors = {name: [str(m) for m in messages] for name, messages in form.errors.items()}
        first = form.error_summary()[0]
        message = f"{first['label']}：{first['message']}" if first["label"] else first["message"]
        return Status(400, {"message": message, "errors": errors})
    if public.over_limit(request, "submit", scope=SCOPE):
        return _too_many(response, "submit")
    case, code, created = receive(form, key or public.new_submission_key())
    return Status(201 if created else 200, _receipt(request, case, code if created else None))


def _receipt(request, case, code):
    return {
        "tracking_number": case.tracking_number,
        "query_code": code,
        "duplicate": code is None,
        "department": case.department.name,
        "submitted_at": case.submitted_at,
        "due_on": case.due_on,
        "tracking_url": request.build_absolute_uri(case.tracking_url),
    }


@router.post(
    "/track",
    response={200: Progress, 400: Message, 429: Message},
    summary="查询办理进度",
    description=(
        "凭受理编号和查询码查询状态、答复期限（含暂停计时和延期）、答复结果和办理过程；不返回任何个人信息。"
        "编号或查询码不正确时返回 400 和统一的提示；同一地址失败次数过多时返回 429。"
    ),
)
def track_request(request, response: HttpResponse, payload: TrackIn):
    try:
        case = public.find_case(
            request, DisclosureRequest, payload.tracking_number, payload.query_code, scope=SCOPE
        )
    except public.TrackingError as error:
        if error.status == 429:
            return _too_many(response, "track", str(error))
        return Status(error.status, {"message": str(error)})
    return progress(case)


def progress(case):
    return {
        "tracking_number": case.tracking_number,
        "department": case.department.name,
        "state": case.state,
        "state_display": case.get_state_display(),
        "submitted_at": case.submitted_at,
        "due_on": case.due_on,
        "clock_stopped": case.clock_stopped,
        "days_left": case.days_left(),
        "supplement_due_on": case.supplement_due_on if case.state == State.SUPPLEMENT else None,
        "extension_days": case.extension_days,
        "extension_reason": case.extension_reason,
        "reply_kind": case.reply_kind,
        "reply_kind_display": case.get_reply_kind_display() if case.reply_kind else "",
        "reply_reason": case.reply_reason,
        "reply_reason_display": case.reply_reason_label,
        "closed_at": case.closed_at,
        "timeline": [
            {
                "at": entry["at"],
                "action": entry["action"],
                "label": entry["label"],
                "state": entry["state"],
                "reason": entry["reason"],
                "has_document": entry["attachment"],
            }
            for entry in timeline(case)
        ],
    }
