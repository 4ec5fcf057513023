from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.http import Http404
from django.utils import timezone
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable
from wagtail.search import index

from cms.casework.identity import validate_uscc
from cms.core.models import BasePage
from cms.procurement import rules
from cms.procurement.choices import MAX_BUDGET, NoticeType
from cms.procurement.forms import NoticeForm
from cms.procurement.trust.forms import NoticeDocumentsForm

_amount_validators = [
    MinValueValidator(0, message="金额不能为负数。"),
    MaxValueValidator(MAX_BUDGET, message="金额超过1000亿元，请检查是否多输入了位数。"),
]


class NoticePage(BasePage):
    """One notice of a project (采购公告, 更正公告, 结果公告, 终止公告, 合同公告), published through the
    department's review workflow. The project's schedule and status follow from the live notices."""

    search_kind = "procurement"
    base_form_class = NoticeForm
    notice_type = ""  # a NoticeType value, set by each subclass

    body = RichTextField("公告正文", blank=True, features=["h3", "h4", "bold", "ol", "ul", "link", "hr"])

    parent_page_types = ["procurement.ProcurementProject"]
    subpage_types = []
    content_panels = BasePage.content_panels + [FieldPanel("body")]
    search_fields = BasePage.search_fields + [index.SearchField("body")]

    # Back-dated demo notices skip the clock checks (the rules are about the moment of submission).
    skip_timing_rules = False
    is_creatable = False  # only its five kinds are

    class Meta:
        verbose_name = "采购公告（通用）"
        verbose_name_plural = "采购公告（通用）"

    @property
    def notice_type_label(self):
        return NoticeType(self.notice_type).label if self.notice_type else ""

    def project(self):
        from .project import ProcurementProject

        parent = self.get_parent()
        return ProcurementProject.objects.filter(pk=parent.pk).first() if parent else None

    @property
    def department(self):
        project = self.project()
        return project.buyer if project else None

    def _project_for_clean(self):
        from .project import ProcurementProject

        if self.path:
            return self.project()
        parent = getattr(self, "_parent_page", None)  # set by the admin form while adding
        return parent if isinstance(parent, ProcurementProject) else None

    def published_fields(self, *names):
        """The values of ``names`` as published (the row holds the live version); None if never published."""
        if self.pk is None or self.first_published_at is None:
            return None
        return type(self).objects.filter(pk=self.pk).values(*names).first()

    def changed_fields(self, *names):
        published = self.published_fields(*names)
        if published is None:
            return None
        return {n for n in names if published[n] != getattr(self, n)}

    def raise_rules(self, errors):
        if errors:
            raise ValidationError(errors)

    def search_text(self):
        from wagtail.rich_text import get_text_for_indexing

        return get_text_for_indexing(self.body or "")

    def search_identifiers(self):
        project = self.project()
        return [project.project_number] if project else []

    def search_facets(self):
        project = self.project()
        return project.search_facets() if project else {}

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["project"] = self.project()
        return context

    def project_is_live(self):
        project = self.project()
        return project is not None and project.live

    def serve(self, request, *args, **kwargs):
        # Wagtail serves a live page under an unpublished parent; a notice goes with its project.
        if not self.project_is_live():
            raise Http404("采购项目未发布")
        return super().serve(request, *args, **kwargs)


class TenderNotice(NoticePage):
    """采购公告: the call for bids, with the schedule and the tender documents."""

    notice_type = NoticeType.TENDER
    base_form_class = NoticeDocumentsForm  # the document choice lists only this project's files

    documents_from = models.DateTimeField("获取采购文件开始时间")
    documents_until = models.DateTimeField("获取采购文件截止时间")
    bid_deadline = models.DateTimeField("投标（响应）截止时间")
    opening_at = models.DateTimeField("开标时间")
    opening_place = models.CharField("开标地点", max_length=200, default="济源市公共资源交易中心开标室")
    submission = models.TextField(
        "投标文件递交方式", default="通过济源市公共资源交易平台在线递交电子投标文件"
    )

    content_panels = NoticePage.content_panels[:1] + [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("documents_from"), FieldPanel("documents_until")]),
                FieldRowPanel([FieldPanel("bid_deadline"), FieldPanel("opening_at")]),
                FieldPanel("opening_place"),
                FieldPanel("submission"),
            ],
            heading="时间安排",
        ),
        InlinePanel("documents", heading="采购文件", label="文件", min_num=1),
        FieldPanel("body"),
    ]

    class Meta:
        verbose_name = "采购公告"
        verbose_name_plural = "采购公告"

    def clean(self):
        super().clean()
        project = self._project_for_clean()
        if project is not None and TenderNotice.objects.child_of(project).exclude(pk=self.pk).exists():
            raise ValidationError("每个采购项目只能有一份采购公告；变更请发布更正公告。")
        if self.skip_timing_rules or project is None:
            return
        names = ("documents_from", "bid_deadline", "opening_at")
        self.raise_rules(
            rules.check_tender(
                project.method,
                self.documents_from,
                self.documents_until,
                self.bid_deadline,
                self.opening_at,
                timezone.now(),
                changed=self.changed_fields(*names),
            )
        )


class CorrectionNotice(NoticePage):
    """更正公告: may move the deadline, the opening and the document period, and replace documents."""

    notice_type = NoticeType.CORRECTION
    base_form_class = NoticeDocumentsForm

    affects_bids = models.BooleanField(
        "影响投标文件编制",
        default=True,
        help_text="澄清或修改的内容可能影响投标文件编制时勾选（适用15日规则）",
    )
    new_documents_until = models.DateTimeField("新的获取文件截止时间", null=True, blank=True)
    new_bid_deadline = models.DateTimeField("新的投标截止时间", null=True, blank=True)
    new_opening_at = models.DateTimeField("新的开标时间", null=True, blank=True)
    new_opening_place = models.CharField("新的开标地点", max_length=200, blank=True)

    content_panels = NoticePage.content_panels[:1] + [
        FieldPanel("affects_bids"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("new_bid_deadline"), FieldPanel("new_opening_at")]),
                FieldRowPanel([FieldPanel("new_documents_until"), FieldPanel("new_opening_place")]),
            ],
            heading="变更后的时间安排（不变则留空）",
        ),
        InlinePanel("documents", heading="更正后的采购文件", label="文件"),
        FieldPanel("body"),
    ]

    class Meta:
        verbose_name = "更正公告"
        verbose_name_plural = "更正公告"

    def clean(self):
        super().clean()
        if self.new_bid_deadline and not self.new_opening_at:
            self.new_opening_at = self.new_bid_deadline  # opening at the deadline (87号令第三十九条)
        project = self._project_for_clean()
        if project is None:
            return
        if not TenderNotice.objects.child_of(project).live().exists():
            raise ValidationError("该项目还没有已发布的采购公告，无需更正；请直接修改采购公告。")
        if self.skip_timing_rules:
            return
        changed = self.changed_fields("new_bid_deadline", "new_opening_at", "affects_bids")
        if changed is not None and not changed:
            return  # re-saving a published correction: its rules were checked when it went out
        # A correction scheduled to go live later is judged at that moment (the 15 days count from it).
        moment = max(timezone.now(), self.go_live_at) if self.go_live_at else timezone.now()
        self.raise_rules(
            rules.check_correction(
                project.method,
                self.deadline_before(project),
                self.affects_bids,
                self.new_bid_deadline,
                self.new_opening_at,
                moment,
            )
        )

    def deadline_before(self, project):
        """The bid deadline before this correction: the tender's, moved by earlier live corrections."""
        tender = TenderNotice.objects.child_of(project).live().first()
        deadline = tender.bid_deadline if tender else None
        earlier = CorrectionNotice.objects.child_of(project).live().exclude(pk=self.pk)
        if self.first_published_at:
            earlier = earlier.filter(first_published_at__lt=self.first_published_at)
        for correction in earlier.order_by("first_published_at", "path"):
            deadline = correction.new_bid_deadline or deadline
        return deadline


class AwardNotice(NoticePage):
    """中标（成交）结果公告: one row per awarded lot."""

    notice_type = NoticeType.AWARD

    decided_on = models.DateField("中标（成交）确定日期")
    evaluation_committee = models.CharField("评审委员会成员", max_length=300, blank=True)

    content_panels = NoticePage.content_panels[:1] + [
        FieldPanel("decided_on"),
        InlinePanel("awarded_lots", heading="中标（成交）结果", label="结果", min_num=1),
        FieldPanel("evaluation_committee"),
        FieldPanel("body"),
    ]

    class Meta:
        verbose_name = "中标（成交）结果公告"
        verbose_name_plural = "中标（成交）结果公告"

    def clean(self):
        super().clean()
        if not self.skip_timing_rules:
            self.raise_rules(rules.check_award(self.decided_on, timezone.now()))

    def total_amount(self):
        return sum((lot.amount for lot in self.awarded_lots.all()), start=0) or None

    @property
    def on_time_until(self):
        return rules.award_deadline(self.decided_on) if self.decided_on else None

    @property
    def published_late(self):
        """Published after the 2 working days the rule allows: shown on the notice, not hidden."""
        if not self.first_published_at or not self.decided_on:
            return False
        return timezone.localdate(self.first_published_at) > self.on_time_until


class AwardedLot(Orderable):
    notice = ParentalKey(AwardNotice, on_delete=models.CASCADE, related_name="awarded_lots")
    lot_number = models.PositiveSmallIntegerField("包号", default=1, validators=[MinValueValidator(1)])
    supplier_name = models.CharField("中标（成交）供应商", max_length=100)
    supplier_uscc = models.CharField("供应商统一社会信用代码", max_length=18, validators=[validate_uscc])
    supplier_address = models.CharField("供应商地址", max_length=200, blank=True)
    amount = models.DecimalField(
        "中标（成交）金额（元）", max_digits=14, decimal_places=2, validators=_amount_validators
    )

    panels = [
        FieldRowPanel([FieldPanel("lot_number"), FieldPanel("amount")]),
        FieldRowPanel([FieldPanel("supplier_name"), FieldPanel("supplier_uscc")]),
        FieldPanel("supplier_address"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "中标（成交）结果"
        verbose_name_plural = "中标（成交）结果"


class TerminationNotice(NoticePage):
    """终止公告: the procurement stops (e.g. fewer than three qualified bidders)."""

    notice_type = NoticeType.TERMINATION

    reason = models.TextField("终止原因")

    content_panels = NoticePage.content_panels[:1] + [FieldPanel("reason"), FieldPanel("body")]

    class Meta:
        verbose_name = "终止公告"
        verbose_name_plural = "终止公告"


class ContractNotice(NoticePage):
    """合同公告: the signed contract (published within 2 working days of signing)."""

    notice_type = NoticeType.CONTRACT

    contract_number = models.CharField("合同编号", max_length=60)
    supplier_name = models.CharField("供应商", max_length=100)
    supplier_uscc = models.CharField("供应商统一社会信用代码", max_length=18, validators=[validate_uscc])
    amount = models.DecimalField(
        "合同金额（元）", max_digits=14, decimal_places=2, validators=_amount_validators
    )
    signed_on = models.DateField("合同签订日期")
    period = models.CharField("履约期限", max_length=100, blank=True)

    content_panels = NoticePage.content_panels[:1] + [
        FieldRowPanel([FieldPanel("contract_number"), FieldPanel("signed_on")]),
        FieldRowPanel([FieldPanel("supplier_name"), FieldPanel("supplier_uscc")]),
        FieldRowPanel([FieldPanel("amount"), FieldPanel("period")]),
        FieldPanel("body"),
    ]

    class Meta:
        verbose_name = "合同公告"
        verbose_name_plural = "合同公告"

    def clean(self):
        super().clean()
        if self.signed_on and self.signed_on > timezone.localdate() and not self.skip_timing_rules:
            raise ValidationError({"signed_on": "合同签订日期不能晚于今天。"})


class NoticeDocument(Orderable):
    """A tender document offered with a tender or correction notice. The file itself (``ProcurementFile``)
    keeps its versions; a supplier downloads the latest version published."""

    notice = ParentalKey(NoticePage, on_delete=models.CASCADE, related_name="documents")
    file = models.ForeignKey("procurement.ProcurementFile", verbose_name="文件", on_delete=models.PROTECT)

    panels = [
        FieldPanel(
            "file",
            help_text="只列出本项目的采购文件。新文件或新版本请先在“政府采购 › 采购文件”中上传。",
        )
    ]

    class Meta(Orderable.Meta):
        verbose_name = "采购文件"
        verbose_name_plural = "采购文件"


__all__ = [
    "AwardNotice",
    "AwardedLot",
    "ContractNotice",
    "CorrectionNotice",
    "NoticeDocument",
    "NoticePage",
    "TenderNotice",
    "TerminationNotice",
]
