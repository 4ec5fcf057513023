"""Transitions of a case: which action is allowed from which state, by whom, with what reason or document,
and what it does to the clock. Every transition is one transaction: the state, the history entry and the
email to the applicant (an outbox row) are committed together; the email is sent afterwards by the worker."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cms.casework import clock, notify, uploads

OFFICER, APPLICANT, SYSTEM = "officer", "applicant", "system"
REQUIRED, OPTIONAL, NONE = "required", "optional", "none"


ACTOR_MESSAGES = {
    OFFICER: "此操作只能由承办人员执行",
    APPLICANT: "此操作只能由申请人本人执行",
    SYSTEM: "此操作只能由系统执行",
}


class TransitionError(ValidationError):
    """A transition that is not allowed now, with a message for the person who tried it (in Chinese)."""


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    sources: tuple
    target: str | None = None  # None: the state stays (assign, extend)
    by: str = OFFICER
    reason: str = OPTIONAL
    reason_label: str = "理由/说明"
    attachment: str = NONE
    clock: str = ""  # start | stop | resume | close
    public: bool = True  # shown on the tracking page and emailed to the applicant
    style: str = ""  # "primary" / "warning" for buttons


@dataclass
class Flow:
    transitions: list
    final_states: frozenset = field(default_factory=frozenset)

    def __post_init__(self):
        self._by_action = {t.action: t for t in self.transitions}

    def get(self, action):
        try:
            return self._by_action[action]
        except KeyError:
            raise TransitionError("未知的操作", code="unknown_action") from None

    def available(self, case, by=OFFICER):
        return [t for t in self.transitions if t.by == by and case.state in t.sources and case.can(t)]


def actor_name(user, by):
    if by == APPLICANT:
        return "申请人"
    if by == SYSTEM or user is None:
        return "系统"
    return user.get_full_name() or user.get_username()


def perform(
    case, action, *, by=OFFICER, user=None, reason="", attachment=None, attachment_name="", **details
):
    """Apply ``action`` to ``case``; returns the new history entry. Raises ``TransitionError``.

    ``details`` go to the case's ``before_transition`` hook (for example an extension's days or a reply's
    kind), which validates them and sets its own fields."""
    reason = (reason or "").strip()
    original = case
    with uploads.StoredFiles() as stored, transaction.atomic():
        # The row lock serialises transitions of one case: a second officer's click waits, then sees the
        # new state and is refused.
        case = type(case).objects.select_for_update().get(pk=case.pk)
        step = case.flow.get(action)
        if step.by != by:
            raise TransitionError(ACTOR_MESSAGES.get(step.by, "无权执行此操作"), code="forbidden")
        if case.state not in step.sources:
            raise TransitionError(
                f"{case.notice_title}当前状态为“{case.get_state_display()}”，不能执行“{step.label}”",
                code="state",
            )
        if not case.can(step):
            raise TransitionError(f"此{case.notice_title}不能再执行“{step.label}”", code="not_allowed")
        if step.reason == REQUIRED and not reason:
            raise TransitionError(f"请填写{step.reason_label}", code="reason")
        if step.attachment == REQUIRED and not attachment:
            raise TransitionError("请上传决定文书", code="attachment")
        now = timezone.now()
        today = timezone.localdate(now)
        from_state = case.state  # before the hook: it may set the state itself (a supplement's return)
        case.before_transition(step, today=today, reason=reason, **details)
        if step.clock == "stop":
            clock.stop(case, today)
        elif step.clock == "resume":
            clock.resume(case, today)
        elif step.clock == "close":
            clock.close(case, now)
        elif step.clock == "start":
            case.start_clock(today)
        if step.target:
            case.state = step.target
        if action == "assign":
            case.assignee = details.get("assignee")
        case.save()
        event = case.events.create(
            action=step.action,
            action_label=step.label,
            from_state=from_state,
            to_state=case.state,
            actor=user if by == OFFICER else None,
            actor_name=actor_name(user, by),
            at=now,
            reason=reason,
            public=step.public,
            attachment=attachment or "",
            # Stored under a name of our own; the uploader's name is kept for display only.
            attachment_name=(attachment_name or getattr(attachment, "name", ""))[:200] if attachment else "",
        )
        if event.attachment:  # deleted again if the transaction fails from here on
            stored.add(event.attachment.storage, event.attachment.name)
        if step.public and case.email:
            notify.queue_case_notice(case, event)
    # The caller's object shows the new state too.
    for f in case._meta.concrete_fields:
        setattr(original, f.attname, getattr(case, f.attname))
    return event
