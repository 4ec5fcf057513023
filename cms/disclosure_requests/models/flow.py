"""States and transitions of a disclosure request (Decree 711, arts. 30-33; domain.md)."""

from django.db import models

from cms.casework.workflow import APPLICANT, OPTIONAL, REQUIRED, Flow, Transition

STATUTORY_DAYS = 20  # art. 33: within 20 working days of receipt
MAX_EXTENSION_DAYS = 20  # art. 33: extendable once, by at most 20 working days
SUPPLEMENT_WITHIN_DAYS = 7  # art. 30: ask for a supplement within 7 working days of receipt, once
SUPPLY_DAYS = 15  # art. 30 asks for "a reasonable period" to supply; the officer may choose another
MAX_SUPPLY_DAYS = 30
THIRD_PARTY_DAYS = 15  # art. 32: the third party answers within 15 days (calendar days)


class State(models.TextChoices):
    SUBMITTED = "submitted", "已收到，办理中"
    SUPPLEMENT = "supplement_requested", "待补正"
    CONSULTING = "consulting", "征求第三方意见"
    ANSWERED = "answered", "已答复"
    LAPSED = "lapsed", "逾期未补正，不再处理"
    WITHDRAWN = "withdrawn", "已撤回"


OPEN = (State.SUBMITTED, State.SUPPLEMENT, State.CONSULTING)
FINAL = frozenset({State.ANSWERED, State.LAPSED, State.WITHDRAWN})

REQUEST_FLOW = Flow(
    [
        Transition("assign", "分配承办人", OPEN, public=False),
        Transition(
            "request_supplement",
            "要求补正",
            (State.SUBMITTED,),
            State.SUPPLEMENT,
            reason=REQUIRED,
            reason_label="需补正的事项",
            clock="stop",
        ),
        # Art. 30: the 20 working days count again from the day the supplemented request arrives.
        Transition("supply", "提交补正", (State.SUPPLEMENT,), State.SUBMITTED, by=APPLICANT, clock="start"),
        # Art. 30: no supplement within the period given, without good reason: the request is deemed
        # abandoned. Counted as 其他处理 1 in the annual report.
        Transition(
            "lapse",
            "逾期未补正，不再处理",
            (State.SUPPLEMENT,),
            State.LAPSED,
            reason=OPTIONAL,
            reason_label="说明",
            attachment=OPTIONAL,
            clock="close",
            style="warning",
        ),
        Transition(
            "consult",
            "征求第三方意见",
            (State.SUBMITTED,),
            State.CONSULTING,
            reason=REQUIRED,
            reason_label="征求意见的对象及事项",
            clock="stop",
        ),
        Transition(
            "consulted",
            "第三方意见已收到",
            (State.CONSULTING,),
            State.SUBMITTED,
            reason=OPTIONAL,
            reason_label="说明（第三方逾期未答复的，请注明）",
            clock="resume",
        ),
        Transition(
            "extend",
            "延长答复期限",
            (State.SUBMITTED,),
            None,
            reason=REQUIRED,
            reason_label="延期理由（经政府信息公开工作机构负责人同意）",
            style="warning",
        ),
        Transition(
            "reply",
            "答复",
            (State.SUBMITTED,),
            State.ANSWERED,
            reason=OPTIONAL,
            reason_label="答复说明",
            attachment=REQUIRED,
            clock="close",
            style="primary",
        ),
        Transition(
            "withdraw", "撤回申请", OPEN, State.WITHDRAWN, by=APPLICANT, reason=OPTIONAL, clock="close"
        ),
    ],
    final_states=FINAL,
)
