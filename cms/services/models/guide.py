from django.core.exceptions import ValidationError
from django.db import models
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.forms.models import AbstractFormField
from wagtail.models import Orderable
from wagtail.search import index

from cms.core.models import BasePage
from cms.services.choices import (
    DEFAULT_UPLOAD_TYPES,
    ONLINE_APPLICATION_LEVELS,
    ItemType,
    MaterialForm,
    OnlineLevel,
)


class ServiceGuidePage(BasePage):
    """A service guide (办事指南) for one service item (事项). Its title is the item's name (事项名称)."""

    search_kind = "service"

    item_code = models.CharField("事项编码", max_length=40, unique=True)
    item_type = models.CharField(
        "事项类型", max_length=20, choices=ItemType.choices, default=ItemType.LICENSING
    )
    department = models.ForeignKey(
        "core.Department",
        verbose_name="实施主体",
        on_delete=models.PROTECT,
        related_name="service_guides",
        null=True,
        blank=True,
        help_text="默认取所在部门栏目",
    )
    handling_unit = models.CharField("办理机构", max_length=100, blank=True, help_text="留空则同实施主体")
    summary = models.TextField("事项简介", blank=True)
    legal_basis = models.TextField("设定依据")
    conditions = models.TextField("受理条件")
    for_persons = models.BooleanField("面向个人", default=True)
    for_organisations = models.BooleanField("面向法人", default=False)
    topics = ParentalManyToManyField("services.ServiceTopic", verbose_name="主题/人生事件", blank=True)
    statutory_days = models.PositiveSmallIntegerField(
        "法定时限（工作日）", help_text="0 表示即办件（当场办结）"
    )
    promised_days = models.PositiveSmallIntegerField(
        "承诺时限（工作日）", help_text="0 表示即办件（当场办结）"
    )
    is_free = models.BooleanField("不收费", default=True)
    fee_standard = models.TextField("收费标准", blank=True)
    fee_basis = models.TextField("收费依据", blank=True)
    place = models.TextField("办理地点")
    hours = models.CharField("办理时间", max_length=200)
    phone = models.CharField("咨询电话", max_length=40)
    complaint_phone = models.CharField("监督投诉电话", max_length=40)
    visits = models.PositiveSmallIntegerField("到现场次数", default=1)
    online_level = models.CharField(
        "网上办理", max_length=20, choices=OnlineLevel.choices, default=OnlineLevel.OFFLINE
    )
    online_note = models.TextField("网上办理说明", blank=True, help_text="例如：上传材料后，审批结果邮寄送达")

    parent_page_types = ["services.ServiceDepartmentPage"]
    subpage_types = []

    content_panels = BasePage.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("item_code"),
                FieldPanel("item_type"),
                FieldPanel("department", permission="core.change_department"),
                FieldPanel("handling_unit"),
                FieldPanel("summary"),
                FieldRowPanel([FieldPanel("for_persons"), FieldPanel("for_organisations")]),
                FieldPanel("topics"),
            ],
            heading="基本信息",
        ),
        FieldPanel("legal_basis"),
        FieldPanel("conditions"),
        InlinePanel("materials", heading="申请材料", label="材料"),
        InlinePanel("steps", heading="办理流程", label="步骤"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("statutory_days"), FieldPanel("promised_days")]),
                FieldRowPanel([FieldPanel("visits"), FieldPanel("is_free")]),
                FieldPanel("fee_standard"),
                FieldPanel("fee_basis"),
            ],
            heading="时限与收费",
        ),
        MultiFieldPanel(
            [FieldPanel("place"), FieldPanel("hours"), FieldPanel("phone"), FieldPanel("complaint_phone")],
            heading="地点与咨询",
        ),
        MultiFieldPanel(
            [
                FieldPanel("online_level"),
                FieldPanel("online_note"),
                InlinePanel("form_fields", label="表单字段"),
            ],
            heading="网上办理",
        ),
        InlinePanel("faqs", heading="常见问题", label="问题"),
    ]
    search_fields = BasePage.search_fields + [
        index.SearchField("item_code"),
        index.SearchField("summary"),
        index.SearchField("conditions"),
        index.FilterField("department"),
        index.FilterField("online_level"),
    ]

    class Meta:
        verbose_name = "办事指南"
        verbose_name_plural = "办事指南"

    @property
    def accepts_applications(self):
        return self.online_level in ONLINE_APPLICATION_LEVELS

    @property
    def is_immediate(self):
        return self.promised_days == 0

    def department_from_tree(self):
        folder = self.get_parent().specific
        return getattr(folder, "department", None)

    def save(self, *args, **kwargs):
        # A guide belongs to the department whose folder it sits in (also after a move).
        if self.path and self.depth > 1:
            department = self.department_from_tree()
            if department is not None:
                self.department = department
        return super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        days = (self.promised_days, self.statutory_days)
        if None not in days and days[0] > days[1]:
            raise ValidationError({"promised_days": "承诺时限不能长于法定时限"})


class ServiceMaterial(Orderable):
    """申请材料: one document the applicant provides; an online form gets one upload slot per material."""

    page = ParentalKey(ServiceGuidePage, on_delete=models.CASCADE, related_name="materials")
    name = models.CharField("材料名称", max_length=200)
    form = models.CharField(
        "材料形式", max_length=20, choices=MaterialForm.choices, default=MaterialForm.ORIGINAL
    )
    copies = models.PositiveSmallIntegerField("份数", default=1)
    required = models.BooleanField("必需", default=True)
    note = models.CharField("填写说明", max_length=300, blank=True)
    blank_form = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name="空白表格",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sample = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name="示例样表",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    upload_types = models.CharField(
        "允许上传的格式",
        max_length=60,
        default=DEFAULT_UPLOAD_TYPES,
        help_text="逗号分隔：pdf,jpg,png,docx,xlsx,ofd",
    )
    max_size_mb = models.PositiveSmallIntegerField("大小上限（MB）", default=10)

    panels = [
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("form"), FieldPanel("copies"), FieldPanel("required")]),
        FieldPanel("note"),
        FieldRowPanel([FieldPanel("blank_form"), FieldPanel("sample")]),
        FieldRowPanel([FieldPanel("upload_types"), FieldPanel("max_size_mb")]),
    ]

    def __str__(self):
        return self.name

    @property
    def allowed_types(self):
        return [t.strip().lower() for t in self.upload_types.split(",") if t.strip()]


class ServiceStep(Orderable):
    page = ParentalKey(ServiceGuidePage, on_delete=models.CASCADE, related_name="steps")
    name = models.CharField("环节", max_length=60)
    description = models.TextField("办理说明", blank=True)
    time_limit = models.CharField("时限", max_length=40, blank=True)

    panels = [FieldPanel("name"), FieldPanel("description"), FieldPanel("time_limit")]


class ServiceFAQ(Orderable):
    page = ParentalKey(ServiceGuidePage, on_delete=models.CASCADE, related_name="faqs")
    question = models.CharField("问题", max_length=300)
    answer = models.TextField("解答")

    panels = [FieldPanel("question"), FieldPanel("answer")]


class ApplicationFormField(AbstractFormField):
    """A field of the guide's online application form, defined by editors (Wagtail's form builder)."""

    page = ParentalKey(ServiceGuidePage, on_delete=models.CASCADE, related_name="form_fields")
