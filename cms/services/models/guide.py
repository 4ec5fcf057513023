from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.forms.models import AbstractFormField
from wagtail.models import Orderable
from wagtail.search import index

from cms.core.models import BasePage
from cms.services.choices import (
    DEFAULT_UPLOAD_TYPES,
    MAX_UPLOAD_MB,
    ONLINE_APPLICATION_LEVELS,
    UPLOAD_TYPE_CHOICES,
    Audience,
    ItemType,
    MaterialForm,
    OnlineLevel,
)

PAGE_ID_MAX = 2**31 - 1  # page ids are 32-bit; a larger number in a URL is simply not found


def is_page_id(value):
    return isinstance(value, int) and 0 < value <= PAGE_ID_MAX


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
    result_name = models.CharField(
        "办理结果", max_length=200, blank=True, help_text="办结后取得的证照或文书，例如：《食品经营许可证》"
    )
    delivery = models.CharField(
        "结果送达方式", max_length=200, blank=True, help_text="例如：窗口领取；免费邮寄送达"
    )

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
                FieldRowPanel([FieldPanel("result_name"), FieldPanel("delivery")]),
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
    def apply_url(self):
        """The online application form (cms.applications), by path so the guide does not depend on it."""
        return f"/zwfw/apply/{self.pk}/" if self.accepts_applications and self.pk else ""

    @property
    def is_immediate(self):
        return self.promised_days == 0

    @property
    def is_zero_visit(self):
        """零跑腿: nothing to do at a window, results delivered."""
        return self.visits == 0

    @property
    def time_saving_percent(self):
        """How much shorter the promised time is than the statutory one (承诺时限压缩比), in percent."""
        if not self.statutory_days or self.promised_days is None or self.promised_days >= self.statutory_days:
            return 0
        return round(100 * (self.statutory_days - self.promised_days) / self.statutory_days)

    @property
    def audiences(self):
        """The audiences served, as Audience values in their usual order (个人 before 法人)."""
        flags = {Audience.PERSON: self.for_persons, Audience.ORGANISATION: self.for_organisations}
        return [audience for audience, served in flags.items() if served]

    @property
    def audience_display(self):
        return "、".join(str(Audience(a).label) for a in self.audiences) or "—"

    @property
    def unit_display(self):
        """办理机构: the handling unit, or the department itself."""
        return self.handling_unit or (self.department.name if self.department else "")

    # --- the site search (search.sources) ---------------------------------------------------

    def search_identifiers(self):
        return [self.item_code]

    def search_text(self):
        """What the site search reads: the elements a citizen would search by, never contact details."""
        parts = [self.summary, self.conditions, self.legal_basis, self.result_name, self.handling_unit]
        parts += [topic.name for topic in self.topics.all()]
        parts += [material.name for material in self.materials.all()]
        parts += [step.name for step in self.steps.all()]
        parts += [f"{faq.question} {faq.answer}" for faq in self.faqs.all()]
        return "\n".join(p for p in parts if p)

    def search_facets(self):
        return {"audience": self.audiences, "online_level": self.online_level, "item_type": self.item_type}

    def service_index(self):
        from .pages import ServiceIndexPage

        return ServiceIndexPage.objects.ancestor_of(self).first()

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # .all() also works on a preview's unsaved page (modelcluster keeps the rows in memory).
        context.update(
            materials=list(self.materials.all()),
            steps=list(self.steps.all()),
            faqs=list(self.faqs.all()),
            topics=list(self.topics.all()),
            service_index=self.service_index() if self.pk else None,
        )
        return context

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
    max_size_mb = models.PositiveSmallIntegerField(
        "大小上限（MB）",
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_UPLOAD_MB)],
        help_text=f"每个文件的大小上限，1～{MAX_UPLOAD_MB} MB",
    )

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
        return [t.strip().lower() for t in self.upload_types.replace("，", ",").split(",") if t.strip()]

    @property
    def upload_types_display(self):
        labels = dict(UPLOAD_TYPE_CHOICES)
        return "、".join(labels.get(t, t) for t in self.allowed_types)

    def clean(self):
        super().clean()
        known = dict(UPLOAD_TYPE_CHOICES)
        unknown = [t for t in self.allowed_types if t not in known]
        if unknown:
            raise ValidationError(
                {"upload_types": f"不支持的格式：{'、'.join(unknown)}。可选：{'、'.join(known)}"}
            )
        if not self.allowed_types:
            raise ValidationError({"upload_types": "请至少填写一种允许上传的格式"})


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
