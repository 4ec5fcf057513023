"""States and transitions of a disclosure request (Decree 711, arts. 30-33; domain.md)."""

from django.db import models

from cms.casework.workflow import APPLICANT, REQUIRED, Flow, Transition

STATUTORY_DAYS = 20  # art. 33: within 20 working days of receipt
MAX_EXTENSION_DAYS = 20  # art. 33: extendable once, by at most 20 working days
SUPPLEMENT_WITHIN_DAYS = 7  # art. 30: ask for a supplement within 7 working days of receipt, once
THIRD_PARTY_DAYS = 15  # art. 32: the third party answers within 15 days


class State(models.TextChoices):
    SUBMITTED = "submitted", "已收到，办理中"
    SUPPLEMENT = "supplement_requested", "待补正"
    CONSULTING = "consulting", "征求第三方意见"
    ANSWERED = "answered", "已答复"
    WITHDRAWN = "withdrawn", "已撤回"


OPEN = (State.SUBMITTED, State.SUPPLEMENT, State.CONSULTING)
FINAL = frozenset({State.ANSWERED, State.WITHDRAWN})

REQUEST_FLOW = Flow(
    [
        Transition("assign", "分配承办人", OPEN, public=False),
        Transition(
            "request_supplement",
            "要求补正",
            (State.SUBMITTED,),
            State.SUPPLEMENT,
            reason=REQUIRED,
            reason_label="需补正的内容",
            clock="stop",
        ),
        Transition("supply", "提交补正", (State.SUPPLEMENT,), State.SUBMITTED, by=APPLICANT, clock="start"),
        Transition(
            "consult",
            "征求第三方意见",
            (State.SUBMITTED,),
            State.CONSULTING,
            reason=REQUIRED,
            reason_label="第三方及征求意见的事项",
            clock="stop",
        ),
        Transition("consulted", "第三方意见已收到", (State.CONSULTING,), State.SUBMITTED, clock="resume"),
        Transition(
            "extend",
            "延长答复期限",
            (State.SUBMITTED,),
            None,
            reason=REQUIRED,
            reason_label="延期理由",
            style="warning",
        ),
        Transition(
            "reply",
            "答复",
            (State.SUBMITTED,),
            State.ANSWERED,
            reason="optional",
            reason_label="答复说明",
            attachment=REQUIRED,
            clock="close",
            style="primary",
        ),
        Transition("withdraw", "撤回申请", OPEN, State.WITHDRAWN, by=APPLICANT, clock="close"),
    ],
    final_states=FINAL,
)
