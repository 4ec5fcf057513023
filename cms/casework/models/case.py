from django.conf import settings
from django.db import models
from django.utils import timezone

from cms.casework import codes
from cms.casework.identity import mask_phone, mask_resident_id
from cms.casework.storage import get_private_storage


class TrackingSequence(models.Model):
    """The last tracking number issued per prefix and day."""

    key = models.CharField(max_length=20, unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.key}: {self.last}"


class Case(models.Model):
    """What applications (办件) and disclosure requests (依申请公开) share: a tracking number and query code,
    the handling department and officer, a state (declared by the subclass, with its ``flow``) and a clock
    counted in working days that can stop and be extended (see ``cms.casework.clock``)."""

    tracking_prefix = "CA"

    tracking_number = models.CharField("受理编号", max_length=24, unique=True, editable=False)
    query_code_digest = models.CharField(max_length=64, editable=False)
    submission_key = models.CharField(max_length=64, unique=True, editable=False)
    department = models.ForeignKey(
        "core.Department", verbose_name="办理部门", on_delete=models.PROTECT, related_name="+"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="承办人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    applicant_name = models.CharField("申请人", max_length=100)
    id_number = models.CharField("证件号码", max_length=18, blank=True)
    phone = models.CharField("联系电话", max_length=20)
    email = models.EmailField("电子邮箱", blank=True)
    submitted_at = models.DateTimeField("提交时间", default=timezone.now, db_index=True)
    # The clock (working days): started on received_on; allowed + extension + paused working days.
    received_on = models.DateField("起算日期", null=True, blank=True)
    allowed_days = models.PositiveIntegerField("时限（工作日）", default=0)
    extension_days = models.PositiveIntegerField("延期（工作日）", default=0)
    extension_reason = models.TextField("延期理由", blank=True)
    paused_workdays = models.PositiveIntegerField("暂停计时（工作日）", default=0)
    clock_stopped_on = models.DateField("暂停计时日期", null=True, blank=True)
    due_on = models.DateField("办理期限", null=True, blank=True, db_index=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True, db_index=True)
    workdays_used = models.PositiveIntegerField("用时（工作日）", null=True, blank=True)
    on_time = models.BooleanField("按时办结", null=True, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        abstract = True
        ordering = ["-submitted_at"]

    def __str__(self):
        return self.tracking_number

    def issue_codes(self):
        """Give a new case its tracking number and query code; returns the code (shown once, never stored)."""
        code = codes.new_query_code()
        self.tracking_number = codes.next_tracking_number(self.tracking_prefix)
        self.query_code_digest = codes.query_code_digest(code)
        return code

    def query_code_matches(self, code):
        return codes.query_code_matches(code, self.query_code_digest)

    @property
    def masked_id_number(self):
        return mask_resident_id(self.id_number) if self.id_number else ""

    @property
    def masked_phone(self):
        return mask_phone(self.phone)

    @property
    def masked_name(self):
        name = self.applicant_name or ""
        return name[:1] + "*" * max(len(name) - 1, 1) if name else ""

    @property
    def state_label(self):
        return self.get_state_display()

    @property
    def is_closed(self):
        return self.state in self.flow.final_states

    @property
    def clock_stopped(self):
        return self.clock_stopped_on is not None

    notice_title = "办件"  # how emails name the case

    # Hooks of the workflow (cms.casework.workflow.perform); subclasses refine them.
    def can(self, step):
        """Whether ``step`` is possible beyond its source states (e.g. only one extension)."""
        return True

    def before_transition(self, step, *, today, reason, **details):
        """Validate ``details`` and set fields of the subclass; raise ``TransitionError`` to refuse."""

    def start_clock(self, today):
        from cms.casework import clock

        clock.start(self, today, self.allowed_days)

    def days_left(self, today=None):
        """Working days until the deadline (negative: overdue); None when no clock runs."""
        from cms.casework.workdays import workdays_between

        if self.is_closed or self.due_on is None or self.clock_stopped:
            return None
        today = today or timezone.localdate()
        if today <= self.due_on:
            return workdays_between(today, self.due_on)
        # Past the deadline on a weekend or holiday is overdue too, not "due today".
        return -max(workdays_between(self.due_on, today), 1)


class CaseEvent(models.Model):
    """One step in a case's history: who, when, from which state to which, why, and any document.
    Never edited: the history is read-only."""

    action = models.CharField("操作", max_length=40)
    action_label = models.CharField("操作名称", max_length=40)
    from_state = models.CharField("原状态", max_length=30, blank=True)
    to_state = models.CharField("新状态", max_length=30, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField("操作人", max_length=100)
    at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    reason = models.TextField("理由/说明", blank=True)
    public = models.BooleanField("申请人可见", default=True)
    attachment = models.FileField(
        "附件", storage=get_private_storage, upload_to="casework/decisions/%Y/%m/", blank=True
    )
    attachment_name = models.CharField("附件名称", max_length=200, blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{timezone.localtime(self.at):%Y-%m-%d %H:%M} {self.action_label}"
