from django.db import models

from cms.casework import clock
from cms.casework.models import Case, CaseEvent
from cms.casework.storage import get_private_storage
from cms.services.choices import Audience

from .flow import ACCEPTANCE_DAYS, APPLICATION_FLOW, State


class Application(Case):
    """办件: an online application for one service. The guide's name, code and time limits are copied in,
    so later edits of the guide do not change what the applicant applied for."""

    tracking_prefix = "ZW"
    notice_title = "办件"
    tracking_url = "/zwfw/track/"
    flow = APPLICATION_FLOW

    state = models.CharField(
        "状态", max_length=30, choices=State.choices, default=State.SUBMITTED, db_index=True
    )
    guide = models.ForeignKey(
        "services.ServiceGuidePage",
        verbose_name="办事指南",
        null=True,
        on_delete=models.SET_NULL,
        related_name="applications",
    )
    service_title = models.CharField("事项名称", max_length=255)
    service_code = models.CharField("事项编码", max_length=40, db_index=True)
    applicant_kind = models.CharField(
        "申请人类型", max_length=20, choices=Audience.choices, default=Audience.PERSON
    )
    organisation_name = models.CharField("单位名称", max_length=200, blank=True)
    uscc = models.CharField("统一社会信用代码", max_length=18, blank=True)
    contact_name = models.CharField("联系人", max_length=50, blank=True)
    address = models.CharField("通信地址", max_length=200, blank=True)
    form_data = models.JSONField("申请表内容", default=dict, blank=True)
    statutory_days = models.PositiveSmallIntegerField("法定时限（工作日）")
    promised_days = models.PositiveSmallIntegerField("承诺时限（工作日）")
    resume_state = models.CharField(max_length=30, blank=True, editable=False)

    class Meta(Case.Meta):
        verbose_name = "办件"
        verbose_name_plural = "办件"
        permissions = [("handle_application", "办理本部门办件")]
        indexes = [models.Index(fields=["department", "state"], name="applications_dept_state")]

    def start_clock(self, today):
        clock.start(self, today, self.promised_days)

    def begin(self, today):
        """A new application: the department has ACCEPTANCE_DAYS working days to accept or refuse it."""
        clock.start(self, today, ACCEPTANCE_DAYS)

    def before_transition(self, step, *, today, reason, **details):
        if step.action == "request_supplement":
            self.resume_state = self.state
        elif step.action == "supply":
            self.state = self.resume_state or State.SUBMITTED
            self.resume_state = ""

    @property
    def can_be_rated(self):
        return self.state == State.COMPLETED and not hasattr(self, "rating")


class ApplicationFile(models.Model):
    """An uploaded material: checked by content when it arrived, kept outside the public media."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="files")
    material = models.ForeignKey(
        "services.ServiceMaterial", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    material_name = models.CharField("材料名称", max_length=200)
    file = models.FileField("文件", storage=get_private_storage, upload_to="applications/%Y/%m/")
    original_name = models.CharField("原文件名", max_length=255)
    file_type = models.CharField("文件类型", max_length=10)
    size = models.PositiveIntegerField("大小（字节）")
    sha256 = models.CharField(max_length=64)
    supplement_round = models.PositiveSmallIntegerField("补正轮次", default=0, help_text="0 为首次提交")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "申请材料"
        verbose_name_plural = "申请材料"
        ordering = ["supplement_round", "pk"]

    def __str__(self):
        return f"{self.material_name}: {self.original_name}"


class ApplicationEvent(CaseEvent):
    case = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")

    class Meta(CaseEvent.Meta):
        verbose_name = "办理记录"
        verbose_name_plural = "办理记录"


class Rating(models.Model):
    """好差评: the applicant's rating of a completed application, once."""

    class Score(models.IntegerChoices):
        VERY_SATISFIED = 5, "非常满意"
        SATISFIED = 4, "满意"
        FAIRLY_SATISFIED = 3, "基本满意"
        DISSATISFIED = 2, "不满意"
        VERY_DISSATISFIED = 1, "非常不满意"

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="rating")
    service_code = models.CharField("事项编码", max_length=40, db_index=True)
    score = models.PositiveSmallIntegerField("评价", choices=Score.choices)
    comment = models.TextField("意见建议", blank=True, max_length=500)
    created_at = models.DateTimeField("评价时间", auto_now_add=True)

    class Meta:
        verbose_name = "好差评"
        verbose_name_plural = "好差评"

    def __str__(self):
        return f"{self.application.tracking_number}: {self.get_score_display()}"
