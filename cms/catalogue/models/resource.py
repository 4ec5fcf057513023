from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable
from wagtail.search import index

from cms.catalogue.choices import (
    CatalogueKind,
    DataType,
    Openness,
    ResourceFormat,
    Sharing,
    SharingMethod,
    UpdateCycle,
)
from cms.catalogue.codes import normalize_code, split_code, validate_resource_code


class ResourceQuerySet(models.QuerySet):
    def for_departments(self, departments):
        return self.filter(department__in=departments)

    def with_relations(self):
        return self.select_related("department", "classification", "classification__parent")


class Resource(index.Indexed, ClusterableModel):
    """An information resource (信息资源) of the catalogue. The data stays with its department
    (分布存储); this is the central record of what exists, who provides it and who may use it."""

    name = models.CharField("资源名称", max_length=200)
    code = models.CharField(
        "资源代码",
        max_length=20,
        unique=True,
        validators=[validate_resource_code],
        help_text="分类代码/6位顺序码，例如 302001/000015",
    )
    classification = models.ForeignKey(
        "catalogue.ResourceClass", verbose_name="资源分类", on_delete=models.PROTECT, related_name="resources"
    )
    department = models.ForeignKey(
        "core.Department", verbose_name="资源提供方", on_delete=models.PROTECT, related_name="resources"
    )
    summary = models.TextField("资源摘要", blank=True)
    resource_format = models.CharField(
        "资源格式", max_length=20, choices=ResourceFormat.choices, default=ResourceFormat.DATABASE
    )
    format_detail = models.CharField(
        "格式说明", max_length=100, blank=True, help_text="例如 XLSX、OFD、Oracle"
    )
    sharing = models.CharField(
        "共享属性", max_length=20, choices=Sharing.choices, default=Sharing.CONDITIONAL
    )
    sharing_conditions = models.TextField("共享条件", blank=True)
    sharing_method = models.CharField(
        "共享方式", max_length=20, choices=SharingMethod.choices, blank=True, default=SharingMethod.INTERFACE
    )
    openness = models.CharField("开放属性", max_length=20, choices=Openness.choices, default=Openness.CLOSED)
    open_conditions = models.TextField("开放条件", blank=True)
    update_cycle = models.CharField(
        "更新周期", max_length=20, choices=UpdateCycle.choices, default=UpdateCycle.MONTHLY
    )
    released_on = models.DateField("发布日期")
    related_codes = models.JSONField("关联资源代码", default=list, blank=True)
    keywords = models.CharField("关键词", max_length=200, blank=True, help_text="多个关键词用空格或逗号分开")
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ResourceQuerySet.as_manager()

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("name"),
                FieldRowPanel([FieldPanel("code"), FieldPanel("classification")]),
                FieldPanel("department"),
                FieldPanel("summary"),
                FieldPanel("keywords"),
                FieldRowPanel([FieldPanel("resource_format"), FieldPanel("format_detail")]),
                FieldRowPanel([FieldPanel("update_cycle"), FieldPanel("released_on")]),
            ],
            heading="基本信息",
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("sharing"), FieldPanel("sharing_method")]),
                FieldPanel("sharing_conditions"),
            ],
            heading="共享",
        ),
        MultiFieldPanel([FieldPanel("openness"), FieldPanel("open_conditions")], heading="开放"),
        FieldPanel("related_codes"),
        InlinePanel("data_items", heading="信息项", label="信息项"),
    ]

    search_fields = [
        index.SearchField("name", boost=3),
        index.SearchField("code"),
        index.SearchField("summary"),
        index.AutocompleteField("name"),
        index.FilterField("department"),
        index.FilterField("sharing"),
        index.FilterField("openness"),
    ]

    class Meta:
        verbose_name = "信息资源"
        verbose_name_plural = "信息资源"
        ordering = ["code"]
        indexes = [models.Index(fields=["department", "code"]), models.Index(fields=["openness"])]

    def __str__(self):
        return f"{self.name}（{self.code}）"

    def clean(self):
        super().clean()
        self.code = normalize_code(self.code)
        self.related_codes = [normalize_code(c) for c in (self.related_codes or []) if str(c).strip()]
        try:
            front, _seq = split_code(self.code)
        except ValidationError as error:
            raise ValidationError({"code": error.messages}) from None
        if self.classification_id and front != self.classification.code:
            raise ValidationError(
                {"code": f"资源代码的分类代码“{front}”与所选资源分类“{self.classification.code}”不一致。"}
            )
        bad = []
        for related in self.related_codes:
            try:
                split_code(related)
            except ValidationError:
                bad.append(related)
        if bad:
            raise ValidationError({"related_codes": f"关联资源代码格式不正确：{'、'.join(bad)}"})
        if self.code in self.related_codes:
            raise ValidationError({"related_codes": "关联资源代码不能是本资源自己。"})

    @property
    def catalogue(self):
        return CatalogueKind(self.code[0])

    @property
    def front_code(self):
        return self.code.split("/", 1)[0]

    @property
    def sequence(self):
        return self.code.split("/", 1)[1]

    @property
    def shows_details(self):
        """不予开放 hides everything but the identifying metadata: summary, format, data items,
        sharing terms. Every public view (page, API, export, search) asks this one property."""
        return self.openness != Openness.CLOSED

    @property
    def keyword_list(self):
        return [k for k in self.keywords.replace("，", " ").replace(",", " ").split() if k]

    def get_absolute_url(self):
        return reverse("catalogue:resource", kwargs={"front": self.front_code, "seq": self.sequence})


class DataItem(Orderable):
    """信息项: one field of the resource's data."""

    resource = ParentalKey(Resource, on_delete=models.CASCADE, related_name="data_items")
    name = models.CharField("信息项名称", max_length=100)
    data_type = models.CharField("数据类型", max_length=2, choices=DataType.choices, default=DataType.STRING)
    description = models.CharField("说明", max_length=300, blank=True)

    panels = [FieldRowPanel([FieldPanel("name"), FieldPanel("data_type")]), FieldPanel("description")]

    class Meta(Orderable.Meta):
        verbose_name = "信息项"
        verbose_name_plural = "信息项"

    def __str__(self):
        return self.name
