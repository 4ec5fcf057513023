"""States and transitions of an application (domain.md: service guide and online approval)."""

from django.db import models

from cms.casework.workflow import APPLICANT, REQUIRED, Flow, Transition

# Administrative Licensing Law art. 32: decide within 5 working days whether to accept (or ask for more).
ACCEPTANCE_DAYS = 5


class State(models.TextChoices):
    SUBMITTED = "submitted", "已提交，待受理"
    ACCEPTED = "accepted", "已受理"
    REFUSED = "refused", "不予受理"
    SUPPLEMENT = "supplement_requested", "待补正"
    UNDER_REVIEW = "under_review", "审查中"
    APPROVED = "approved", "准予许可"
    DENIED = "denied", "不予许可"
    COMPLETED = "completed", "已办结"
    WITHDRAWN = "withdrawn", "已撤回"


OPEN = (State.SUBMITTED, State.ACCEPTED, State.SUPPLEMENT, State.UNDER_REVIEW, State.APPROVED, State.DENIED)
FINAL = frozenset({State.REFUSED, State.COMPLETED, State.WITHDRAWN})

APPLICATION_FLOW = Flow(
    [
        Transition("assign", "分配承办人", OPEN, public=False),
        Transition("accept", "受理", (State.SUBMITTED,), State.ACCEPTED, clock="start", style="primary"),
        Transition(
            "refuse",
            "不予受理",
            (State.SUBMITTED,),
            State.REFUSED,
            reason=REQUIRED,
            attachment="optional",
            clock="close",
            style="warning",
        ),
        Transition(
            "request_supplement",
            "要求补正",
            (State.SUBMITTED, State.ACCEPTED, State.UNDER_REVIEW),
            State.SUPPLEMENT,
            reason=REQUIRED,
            reason_label="需补正的材料及说明",
            clock="stop",
        ),
        Transition("supply", "提交补正材料", (State.SUPPLEMENT,), None, by=APPLICANT, clock="resume"),
        Transition("start_review", "开始审查", (State.ACCEPTED,), State.UNDER_REVIEW),
        Transition(
            "approve",
            "准予许可",
            (State.ACCEPTED, State.UNDER_REVIEW),
            State.APPROVED,
            attachment="optional",
            style="primary",
        ),
        Transition(
            "deny",
            "不予许可",
            (State.ACCEPTED, State.UNDER_REVIEW),
            State.DENIED,
            reason=REQUIRED,
            attachment="optional",
            style="warning",
        ),
        Transition(
            "complete",
            "办结",
            (State.APPROVED, State.DENIED),
            State.COMPLETED,
            clock="close",
            style="primary",
        ),
        Transition(
            "withdraw",
            "撤回申请",
            (State.SUBMITTED, State.ACCEPTED, State.SUPPLEMENT, State.UNDER_REVIEW),
            State.WITHDRAWN,
            by=APPLICANT,
            clock="close",
        ),
    ],
    final_states=FINAL,
)
