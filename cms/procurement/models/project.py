from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from cms.core.models import BasePage
from cms.procurement import status as project_status
from cms.procurement.choices import CATEGORY_KIND, MAX_BUDGET, Category, Method, budget_band
from cms.procurement.forms import ProjectForm

_budget_validators = [
    MinValueValidator(Decimal("0.01"), message="预算金额必须大于0元。"),
    MaxValueValidator(MAX_BUDGET, message="预算金额超过1000亿元，请检查是否多输入了位数。"),
]
project_number_validator = RegexValidator(
    r"^[A-Z0-9][A-Z0-9\-]{3,39}$", "项目编号只能包含大写字母、数字和连字符（例如 JYCG-2026-0001）。"
)


class ProjectQuerySet(PageQuerySet):
    def with_status(self, now=None):
        """Annotates ``current_status``, computed in SQL from the schedule columns (filterable, sortable)."""
        return self.annotate(current_status=project_status.status_expression(now or timezone.now()))


class ProcurementProject(BasePage):
    """采购项目: its own page (project facts, 采购意向) with its notices as child pages. The schedule
    columns are copied from the live notices by ``cms.procurement.status.refresh`` whenever a notice is
    published or withdrawn; the status follows from them and the clock and is never edited."""

    search_kind = "procurement"

    project_number = models.CharField(
        "项目编号", max_length=40, unique=True, validators=[project_number_validator]
    )
    buyer = models.ForeignKey(
        "core.Department",
        verbose_name="采购人",
        on_delete=models.PROTECT,
        related_name="procurement_projects",
        null=True,
        blank=True,
        help_text="默认取所在部门采购栏目",
    )
    buyer_unit = models.CharField(
        "采购单位", max_length=100, blank=True, help_text="部门下属的具体采购单位，留空则同采购人"
    )
    agency = models.ForeignKey(
        "procurement.Agency",
        verbose_name="采购代理机构",
        on_delete=models.PROTECT,
        related_name="projects",
        null=True,
        blank=True,
        help_text="留空表示采购人自行组织采购",
    )
    category = models.CharField("采购品目", max_length=20, choices=Category.choices)
    method = models.CharField("采购方式", max_length=20, choices=Method.choices, default=Method.OPEN)
    budget = models.DecimalField(
        "预算金额（元）", max_digits=14, decimal_places=2, validators=_budget_validators
    )
    ceiling_price = models.DecimalField(
        "最高限价（元）",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=_budget_validators,
    )
    summary = models.TextField("采购需求概况")
    qualification = models.TextField("供应商资格要求", blank=True)
    contact_name = models.CharField("项目联系人", max_length=40)
    contact_phone = models.CharField("联系电话", max_length=40)
    planned_month = models.DateField(
        "预计采购时间", null=True, blank=True, help_text="采购意向：预计开始采购的月份"
    )

    # Copied from the live notices (status.refresh); not edited.
    tender_published_at = models.DateTimeField("采购公告发布时间", null=True, blank=True, editable=False)
    documents_from = models.DateTimeField("获取文件开始", null=True, blank=True, editable=False)
    documents_until = models.DateTimeField("获取文件截止", null=True, blank=True, editable=False)
    bid_deadline = models.DateTimeField("投标截止时间", null=True, blank=True, editable=False, db_index=True)
    opening_at = models.DateTimeField("开标时间", null=True, blank=True, editable=False)
    opening_place = models.CharField("开标地点", max_length=200, blank=True, editable=False)
    awarded_at = models.DateTimeField("结果公告时间", null=True, blank=True, editable=False)
    awarded_amount = models.DecimalField(
        "成交金额（元）", max_digits=14, decimal_places=2, null=True, blank=True, editable=False
    )
    terminated_at = models.DateTimeField("终止公告时间", null=True, blank=True, editable=False)
    latest_notice_at = models.DateTimeField(
        "最新公告时间", null=True, blank=True, editable=False, db_index=True
    )

    objects = PageManager.from_queryset(ProjectQuerySet)()
    base_form_class = ProjectForm

    parent_page_types = ["procurement.ProcurementDepartmentPage"]
    subpage_types = [
        "procurement.TenderNotice",
        "procurement.CorrectionNotice",
        "procurement.AwardNotice",
        "procurement.TerminationNotice",
        "procurement.ContractNotice",
    ]

    content_panels = BasePage.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("project_number"),
                FieldRowPanel(
                    [FieldPanel("buyer", permission="core.change_department"), FieldPanel("buyer_unit")]
                ),
                FieldPanel("agency"),
                FieldRowPanel([FieldPanel("category"), FieldPanel("method")]),
                FieldRowPanel([FieldPanel("budget"), FieldPanel("ceiling_price")]),
                FieldPanel("planned_month"),
            ],
            heading="项目信息",
        ),
        FieldPanel("summary"),
        FieldPanel("qualification"),
        FieldRowPanel([FieldPanel("contact_name"), FieldPanel("contact_phone")], heading="联系方式"),
        InlinePanel("lots", heading="采购包", label="包", min_num=1),
    ]
    search_fields = BasePage.search_fields + [
        index.SearchField("project_number"),
        index.SearchField("summary"),
        index.FilterField("method"),
        index.FilterField("category"),
    ]

    class Meta:
        verbose_name = "采购项目"
        verbose_name_plural = "采购项目"
        indexes = [models.Index(fields=["method", "category"], name="procurement_method_category")]

    def __str__(self):
        return f"{self.project_number} {self.title}"

    # --- derived -------------------------------------------------------------------------------

    @property
    def procurement_kind(self):
        return CATEGORY_KIND.get(self.category, "")

    @property
    def budget_band(self):
        return budget_band(self.budget)

    @property
    def department(self):
        """The buying department: the site's department facet and filters read it as the buyer."""
        return self.buyer

    @property
    def buyer_name(self):
        if self.buyer_unit:
            return self.buyer_unit
        return self.buyer.name if self.buyer_id else ""

    def status(self, now=None):
        return project_status.status_of(self, now or timezone.now())

    def get_status_display(self, now=None):
        from cms.procurement.choices import Status

        return Status(self.status(now)).label

    def notices(self):
        """The live notices, oldest first: the project's timeline."""
        from .notices import NoticePage

        return NoticePage.objects.child_of(self).live().specific().order_by("first_published_at", "path")

    def department_folder(self):
        parent = self.get_parent()
        return parent.specific if parent is not None else None

    def clean(self):
        super().clean()
        folder = self.department_folder() if self.path else getattr(self, "_parent_page", None)
        department = getattr(folder, "department", None)
        if self.buyer_id is None and department is not None:
            self.buyer = department
        if self.ceiling_price is not None and self.budget is not None and self.ceiling_price > self.budget:
            raise ValidationError({"ceiling_price": "最高限价不得超过预算金额。"})

    def search_identifiers(self):
        return [self.project_number]

    def search_text(self):
        lots = " ".join(lot.name for lot in self.lots.all())
        return "\n".join(p for p in (self.summary, self.qualification, lots, self.buyer_name) if p)

    def search_facets(self):
        return {
            "status": self.status(),
            "method": self.method,
            "budget_band": self.budget_band,
        }


class ProjectLot(Orderable):
    """包: a part of the project bid for and awarded separately."""

    project = ParentalKey(ProcurementProject, on_delete=models.CASCADE, related_name="lots")
    number = models.PositiveSmallIntegerField(
        "包号", validators=[MinValueValidator(1), MaxValueValidator(99)]
    )
    name = models.CharField("包名称", max_length=200)
    budget = models.DecimalField(
        "包预算（元）", max_digits=14, decimal_places=2, validators=_budget_validators
    )
    quantity = models.CharField("数量/服务期", max_length=100, blank=True)
    requirements = models.TextField("主要需求", blank=True)

    panels = [
        FieldRowPanel([FieldPanel("number"), FieldPanel("name")]),
        FieldRowPanel([FieldPanel("budget"), FieldPanel("quantity")]),
        FieldPanel("requirements"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "采购包"
        verbose_name_plural = "采购包"

    def __str__(self):
        return f"第{self.number}包 {self.name}"
