import datetime

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
from .flow import (
    MAX_EXTENSION_DAYS,
    MAX_SUPPLY_DAYS,
    REQUEST_FLOW,
    STATUTORY_DAYS,
    SUPPLEMENT_WITHIN_DAYS,
    SUPPLY_DAYS,
    THIRD_PARTY_DAYS,
    State,
)

# Reasons a reply may not give: "not supplied in time" is the ``lapse`` action's, and "still unclear
# after the supplement" needs a supplement to have been asked for.
LAPSE_REASON = "no_supplement"
AFTER_SUPPLEMENT_REASON = "still_unclear"


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
    supplement_due_on = models.DateField("补正期限", null=True, blank=True, editable=False)
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
    def is_organisation(self):
        return self.applicant_kind != ApplicantKind.PERSON

    @property
    def supplement_deadline(self):
        """The last day an officer may ask for a supplement (7 working days after receipt)."""
        return add_workdays(self.received_on, SUPPLEMENT_WITHIN_DAYS) if self.received_on else None

    @property
    def third_party_due_on(self):
        """While consulting: the day the third party's 15 days run out."""
        if self.state != State.CONSULTING or self.clock_stopped_on is None:
            return None
        return self.clock_stopped_on + datetime.timedelta(days=THIRD_PARTY_DAYS)

    @property
    def reply_reason_label(self):
        return self.get_reply_reason_display() if self.reply_reason else ""

    def can(self, step):
        if step.action == "extend":
            return self.extension_days == 0
        if step.action == "request_supplement":
            return not self.supplement_requested_once
        return True

    def before_transition(self, step, *, today, reason, **details):
        handler = getattr(self, f"_before_{step.action}", None)
        if handler:
            handler(today=today, reason=reason, **details)

    def _before_request_supplement(self, *, today, reason, supply_days=SUPPLY_DAYS, **details):
        if self.supplement_deadline and today > self.supplement_deadline:
            raise TransitionError(
                "已超过补正告知期限：应自收到申请之日起7个工作日内一次性告知申请人补正"
                f"（本申请最迟 {self.supplement_deadline:%Y-%m-%d}）",
                code="too_late",
            )
        if not isinstance(supply_days, int) or not 1 <= supply_days <= MAX_SUPPLY_DAYS:
            raise TransitionError(f"补正期限应为1至{MAX_SUPPLY_DAYS}个工作日", code="supply_days")
        self.supplement_requested_once = True
        self.supplement_due_on = add_workdays(today, supply_days)

    def _before_lapse(self, *, today, reason, **details):
        if self.supplement_due_on and today <= self.supplement_due_on:
            raise TransitionError(
                f"补正期限至 {self.supplement_due_on:%Y-%m-%d}，期限届满后方可按逾期未补正处理",
                code="too_early",
            )
        self.reply_kind, self.reply_reason = ReplyKind.OTHER, LAPSE_REASON

    def _before_extend(self, *, today, reason, days=None, **details):
        if not isinstance(days, int) or not 1 <= days <= MAX_EXTENSION_DAYS:
            raise TransitionError(f"延长的期限应为1至{MAX_EXTENSION_DAYS}个工作日", code="extension_days")
        if self.due_on and today > self.due_on:
            raise TransitionError(
                f"答复期限已于 {self.due_on:%Y-%m-%d} 届满，不能再延长", code="extension_too_late"
            )
        clock.extend(self, days, reason)

    def _before_reply(self, *, today, reason, reply_kind="", reply_reason="", **details):
        kind = reply_kind or ""
        if kind not in ReplyKind.values:
            raise TransitionError("请选择答复类型", code="reply_kind")
        allowed = [code for code, _ in REPLY_REASONS.get(kind, [])]
        if allowed and reply_reason not in allowed:
            raise TransitionError(f"请选择“{ReplyKind(kind).label}”的具体理由", code="reply_reason")
        if reply_reason == LAPSE_REASON:
            raise TransitionError("逾期未补正的申请请使用“逾期未补正，不再处理”", code="reply_reason")
        if reply_reason == AFTER_SUPPLEMENT_REASON and not self.supplement_requested_once:
            raise TransitionError("未要求补正的申请不能以“补正后申请内容仍不明确”答复", code="reply_reason")
        self.reply_kind, self.reply_reason = kind, (reply_reason if allowed else "")


class DisclosureRequestEvent(CaseEvent):
    case = models.ForeignKey(DisclosureRequest, on_delete=models.CASCADE, related_name="events")

    class Meta(CaseEvent.Meta):
        verbose_name = "办理记录"
        verbose_name_plural = "办理记录"
