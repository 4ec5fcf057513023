from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.models import Orderable
from wagtail.search import index

from cms.core.blocks import CoreStoryBlock
from cms.core.blocks.media import attachment_representation
from cms.core.models import BasePage
from cms.core.serializers import DepartmentField, TopicField

from ..choices import DisclosureMethod, Genre, Validity
from .index_number import assign_index_number


class DisclosureDocument(BasePage):
    """A document of the disclosure catalogue (公开目录), with gov.cn-style metadata."""

    index_number = models.CharField(
        "索引号",
        max_length=60,
        unique=True,
        null=True,
        blank=True,
        editable=False,
        help_text="首次发布时自动生成，之后不再改变",
    )
    department = models.ForeignKey(
        "core.Department",
        verbose_name="发布机构",
        on_delete=models.PROTECT,
        related_name="disclosure_documents",
        null=True,
        blank=True,
        help_text="默认取所在部门栏目",
    )
    topic = models.ForeignKey(
        "core.Topic",
        verbose_name="主题分类",
        on_delete=models.PROTECT,
        related_name="disclosure_documents",
    )
    genre = models.CharField("体裁分类", max_length=20, choices=Genre.choices, default=Genre.TONGZHI)
    document_number = models.CharField("发文字号", max_length=60, blank=True, db_index=True)
    written_on = models.DateField("成文日期")
    published_on = models.DateField("发布日期", null=True, blank=True, help_text="留空则取首次发布日期")
    keywords = models.CharField("主题词", max_length=200, blank=True, help_text="多个主题词用空格分隔")
    validity = models.CharField(
        "有效性",
        max_length=10,
        choices=Validity.choices,
        default=Validity.VALID,
        help_text="被其他已发布文件废止或修改时，公开页面自动显示“废止”或“已修改”",
    )
    effective_on = models.DateField("生效日期", null=True, blank=True)
    expires_on = models.DateField("失效日期", null=True, blank=True)
    disclosure_method = models.CharField(
        "公开方式", max_length=12, choices=DisclosureMethod.choices, default=DisclosureMethod.ACTIVE
    )
    summary = models.TextField("内容概述", blank=True)
    body = StreamField(CoreStoryBlock(), verbose_name="正文", blank=True)
    repeals = models.ForeignKey(
        "self",
        verbose_name="废止文件",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="repealed_by",
        help_text="本文件发布后，所选文件的有效性将显示为“废止”",
    )
    amends = models.ForeignKey(
        "self",
        verbose_name="修改文件",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="amended_by",
        help_text="本文件发布后，所选文件的有效性将显示为“已修改”",
    )

    parent_page_types = ["disclosure.DisclosureDepartmentPage"]
    subpage_types = []
    # A copy is a new document: it gets its own index number when it is published.
    exclude_fields_in_copy = ["index_number"]

    content_panels = BasePage.content_panels + [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("document_number"), FieldPanel("genre")]),
                FieldRowPanel([FieldPanel("topic"), FieldPanel("keywords")]),
                FieldRowPanel([FieldPanel("written_on"), FieldPanel("published_on")]),
                FieldPanel("disclosure_method"),
            ],
            heading="公开目录元数据",
        ),
        MultiFieldPanel(
            [
                FieldPanel("validity"),
                FieldRowPanel([FieldPanel("effective_on"), FieldPanel("expires_on")]),
                FieldPanel("repeals"),
                FieldPanel("amends"),
            ],
            heading="有效性",
        ),
        FieldPanel("summary"),
        FieldPanel("body"),
        InlinePanel("attachments", label="附件"),
    ]

    search_fields = BasePage.search_fields + [
        index.SearchField("index_number", boost=5),
        index.SearchField("document_number", boost=5),
        index.SearchField("keywords", boost=2),
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("department"),
        index.FilterField("genre"),
        index.FilterField("validity"),
        index.FilterField("published_on"),
        index.RelatedFields("department", [index.SearchField("name")]),
    ]

    api_fields = BasePage.api_fields + [
        APIField("index_number"),
        APIField("department", serializer=DepartmentField()),
        APIField("topic", serializer=TopicField()),
        APIField("genre"),
        APIField("genre_display"),
        APIField("document_number"),
        APIField("written_on"),
        APIField("published_on"),
        APIField("keyword_list"),
        APIField("validity"),
        APIField("current_validity"),
        APIField("effective_on"),
        APIField("expires_on"),
        APIField("disclosure_method"),
        APIField("summary"),
        APIField("body"),
        APIField("attachment_list"),
        APIField("relations"),
    ]

    class Meta:
        verbose_name = "公开文件"
        verbose_name_plural = "公开文件"
        indexes = [models.Index(fields=["published_on"]), models.Index(fields=["validity"])]

    # --- derived values -------------------------------------------------

    @property
    def genre_display(self):
        return str(self.get_genre_display())

    @property
    def keyword_list(self):
        return [k for k in self.keywords.replace("，", " ").replace(",", " ").split() if k]

    @property
    def current_validity(self):
        """Validity as the public sees it today, derived rather than stored so it can never go stale:
        a live document that repeals or amends this one wins, then a passed expiry date (失效),
        then what the editor entered. The catalogue annotates the same rule (catalogue.with_validity)."""
        annotated = getattr(self, "shown_validity", None)
        if annotated:
            return annotated
        if self.superseded_by["repealed_by"]:
            return Validity.REPEALED
        if self.superseded_by["amended_by"]:
            return Validity.AMENDED
        today = timezone.localdate()
        if self.validity == Validity.VALID and self.expires_on and self.expires_on < today:
            return Validity.EXPIRED
        return self.validity

    @property
    def current_validity_display(self):
        return str(Validity(self.current_validity).label)

    @property
    def attachment_list(self):
        return [
            attachment_representation(a.document, a.title)
            for a in self.attachments.select_related("document")
            if a.document_id
        ]

    @cached_property
    def superseded_by(self):
        """Live documents that repeal or amend this one (validity, the banner and the API's relations)."""
        later = DisclosureDocument.objects.live().public()
        return {
            "repealed_by": list(later.filter(repeals=self)),
            "amended_by": list(later.filter(amends=self)),
        }

    @property
    def relations(self):
        def ref(doc):
            return {"id": doc.pk, "title": doc.title, "url": doc.full_url, "index_number": doc.index_number}

        data = {
            "repeals": ref(self.repeals) if self.repeals_id and self.repeals.live else None,
            "amends": ref(self.amends) if self.amends_id and self.amends.live else None,
            "repealed_by": [ref(d) for d in self.superseded_by["repealed_by"]],
            "amended_by": [ref(d) for d in self.superseded_by["amended_by"]],
            "interpretations": [ref(d) for d in self.live_interpretations()],
        }
        policy = self.policy if isinstance(self, Interpretation) else None
        data["interprets"] = ref(policy) if policy and policy.live else None
        return data

    def live_interpretations(self):
        return Interpretation.objects.live().public().filter(policy=self).order_by("published_on")

    # --- invariants -----------------------------------------------------

    def clean(self):
        super().clean()
        if self.effective_on and self.expires_on and self.expires_on < self.effective_on:
            raise ValidationError({"expires_on": "失效日期不能早于生效日期"})
        if self.published_on and self.written_on and self.published_on < self.written_on:
            raise ValidationError({"published_on": "发布日期不能早于成文日期"})
        for field in ("repeals", "amends"):
            target_id = getattr(self, f"{field}_id")
            if target_id and target_id == self.pk:
                raise ValidationError({field: "不能选择本文件"})

    def department_from_tree(self):
        folder = self.get_parent().specific
        return getattr(folder, "department", None)

    def save(self, *args, **kwargs):
        # A document belongs to the department whose folder it sits in (also after a move).
        if self.path and self.depth > 1:
            folder_department = self.department_from_tree()
            if folder_department is not None:
                self.department = folder_department
        if self.live:
            if not self.published_on:
                self.published_on = timezone.localdate()
            if not self.index_number:
                self.index_number = assign_index_number(self)
        return super().save(*args, **kwargs)

    def with_content_json(self, content):
        # The index number belongs to the page, not to a revision: never let an
        # older revision clear or change it.
        obj = super().with_content_json(content)
        obj.index_number = self.index_number
        return obj


class Interpretation(DisclosureDocument):
    """政策解读: explains a policy document; the link is shown on both pages."""

    policy = models.ForeignKey(
        DisclosureDocument,
        verbose_name="所解读的文件",
        null=True,
        on_delete=models.SET_NULL,
        related_name="interpretation_set",
    )
    form = models.CharField(
        "解读形式",
        max_length=10,
        choices=[("text", "文字解读"), ("graphic", "图文解读"), ("video", "视频解读"), ("qa", "问答解读")],
        default="text",
    )

    parent_page_types = ["disclosure.DisclosureDepartmentPage"]
    subpage_types = []
    content_panels = (
        DisclosureDocument.content_panels[:1]
        + [
            FieldPanel("policy"),
            FieldPanel("form"),
        ]
        + DisclosureDocument.content_panels[1:]
    )
    api_fields = DisclosureDocument.api_fields + [APIField("form")]

    class Meta:
        verbose_name = "政策解读"
        verbose_name_plural = "政策解读"

    def save(self, *args, **kwargs):
        self.genre = Genre.JIEDU
        return super().save(*args, **kwargs)


class DisclosureAttachment(Orderable):
    page = ParentalKey(DisclosureDocument, related_name="attachments", on_delete=models.CASCADE)
    document = models.ForeignKey(
        "wagtaildocs.Document", verbose_name="文件", on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField("显示名称", max_length=200, blank=True)

    panels = [FieldPanel("document"), FieldPanel("title")]

    class Meta(Orderable.Meta):
        verbose_name = "附件"
        verbose_name_plural = "附件"

    @property
    def display_title(self):
        return self.title or self.document.title
