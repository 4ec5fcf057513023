from django.db import models

from cms.casework import clock
from cms.casework.models import Case, CaseEvent
from cms.casework.workdays import add_workdays
from cms.casework.workflow import TransitionError

from ..choices import (
    REPLY_REASON_CHOICES,
    REPLY_REASONS,
    ApplicantKind,
    DeliveryForm,
    DeliveryMethod,
    IdType,
    ReplyKind,
)
from .flow import MAX_EXTENSION_DAYS, REQUEST_FLOW, STATUTORY_DAYS, SUPPLEMENT_WITHIN_DAYS, State


class DisclosureRequest(Case):
    """依申请公开: a request for government information, answered within 20 working days of receipt."""

    tracking_prefix = "YS"
    notice_title = "政府信息公开申请"
    tracking_url = "/xxgk/ysqgk/track/"
    flow = REQUEST_FLOW

    state = models.CharField(
        "状态", max_length=30, choices=State.choices, default=State.SUBMITTED, db_index=True
    )
    applicant_kind = models.CharField("申请人类型", max_length=20, choices=ApplicantKind.choices)
    id_type = models.CharField("证件类型", max_length=20, choices=IdType.choices, blank=True)
    uscc = models.CharField("统一社会信用代码", max_length=18, blank=True)
    legal_representative = models.CharField("法定代表人", max_length=50, blank=True)
    contact_name = models.CharField("联系人", max_length=50, blank=True)
    address = models.CharField("通信地址", max_length=200)
    postcode = models.CharField("邮政编码", max_length=6, blank=True)
    description = models.TextField("所需政府信息的内容描述", max_length=2000)
    document_hint = models.CharField("文件名称、文号或其他特征", max_length=300, blank=True)
    delivery_form = models.CharField("获取信息的载体形式", max_length=20, choices=DeliveryForm.choices)
    delivery_method = models.CharField("获取信息的方式", max_length=20, choices=DeliveryMethod.choices)
    supplement_requested_once = models.BooleanField(default=False, editable=False)
    reply_kind = models.CharField(
        "答复类型", max_length=20, choices=ReplyKind.choices, blank=True, db_index=True
    )
    reply_reason = models.CharField("答复理由", max_length=30, choices=REPLY_REASON_CHOICES, blank=True)

    class Meta(Case.Meta):
        verbose_name = "政府信息公开申请"
        verbose_name_plural = "政府信息公开申请"
        permissions = [("handle_disclosurerequest", "办理本部门依申请公开")]
        indexes = [models.Index(fields=["department", "state"], name="disclosure_req_dept_state")]

    def begin(self, today):
        clock.start(self, today, STATUTORY_DAYS)

    def start_clock(self, today):
        # Art. 30: after a supplement the deadline counts from receipt of the supplemented request.
        clock.start(self, today, STATUTORY_DAYS)

    @property
    def supplement_deadline(self):
        return add_workdays(self.received_on, SUPPLEMENT_WITHIN_DAYS) if self.received_on else None

    def can(self, step):
        if step.action == "extend":
            return self.extension_days == 0
        if step.action == "request_supplement":
            return not self.supplement_requested_once
        return True

    def before_transition(self, step, *, today, reason, **details):
        if step.action == "request_supplement":
            if self.supplement_deadline and today > self.supplement_deadline:
                raise TransitionError(
                    "已超过补正告知期限：应自收到申请之日起7个工作日内一次性告知申请人补正"
                    f"（本申请最迟 {self.supplement_deadline:%Y-%m-%d}）",
                    code="too_late",
                )
            self.supplement_requested_once = True
        elif step.action == "extend":
            days = details.get("days")
            if not isinstance(days, int) or not 1 <= days <= MAX_EXTENSION_DAYS:
                raise TransitionError(f"延长的期限应为1至{MAX_EXTENSION_DAYS}个工作日", code="extension_days")
            clock.extend(self, days, reason)
        elif step.action == "reply":
            kind = details.get("reply_kind") or ""
            if kind not in ReplyKind.values:
                raise TransitionError("请选择答复类型", code="reply_kind")
            reason_code = details.get("reply_reason") or ""
            allowed = [code for code, _ in REPLY_REASONS.get(kind, [])]
            if allowed and reason_code not in allowed:
                raise TransitionError(f"请选择“{ReplyKind(kind).label}”的具体理由", code="reply_reason")
            if not allowed:
                reason_code = ""
            self.reply_kind, self.reply_reason = kind, reason_code


class DisclosureRequestEvent(CaseEvent):
    case = models.ForeignKey(DisclosureRequest, on_delete=models.CASCADE, related_name="events")

    class Meta(CaseEvent.Meta):
        verbose_name = "办理记录"
        verbose_name_plural = "办理记录"
