import secrets

from django.conf import settings
from django.db import models

from cms.casework.identity import validate_uscc
from cms.procurement.choices import Category, Method


class Supplier(models.Model):
    """供应商: a company's account. Reading notices needs none; downloading tender documents needs a
    verified one. The Django user (``user.username`` is the credit code) carries the password; axes locks
    it after repeated failures."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="supplier")
    company_name = models.CharField("单位名称", max_length=100)
    uscc = models.CharField("统一社会信用代码", max_length=18, unique=True, validators=[validate_uscc])
    contact_name = models.CharField("联系人", max_length=40)
    phone = models.CharField("联系电话", max_length=40)
    email = models.EmailField("电子邮箱", unique=True)
    email_verified_at = models.DateTimeField("邮箱验证时间", null=True, blank=True)
    created_at = models.DateTimeField("注册时间", auto_now_add=True)

    class Meta:
        verbose_name = "供应商"
        verbose_name_plural = "供应商"
        ordering = ["company_name"]

    def __str__(self):
        return f"{self.company_name}（{self.uscc}）"

    @property
    def is_verified(self):
        return self.email_verified_at is not None


class DownloadRecord(models.Model):
    """The download register (获取采购文件登记): who took which version of which file, and when."""

    supplier = models.ForeignKey(
        Supplier, verbose_name="供应商", on_delete=models.PROTECT, related_name="downloads"
    )
    project = models.ForeignKey(
        "procurement.ProcurementProject",
        verbose_name="采购项目",
        on_delete=models.CASCADE,
        related_name="downloads",
    )
    version = models.ForeignKey(
        "procurement.ProcurementFileVersion",
        verbose_name="文件版本",
        on_delete=models.PROTECT,
        related_name="downloads",
    )
    downloaded_at = models.DateTimeField("下载时间", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "文件下载记录"
        verbose_name_plural = "文件下载记录"
        ordering = ["-downloaded_at"]
        indexes = [models.Index(fields=["project", "supplier"], name="procurement_download_project")]

    def __str__(self):
        return f"{self.supplier_id} ← {self.version_id} @ {self.downloaded_at:%Y-%m-%d %H:%M}"


class SupplierNotification(models.Model):
    """A later notice (correction, termination) emailed to a supplier who had downloaded the documents:
    the register shows who was told, and when the email went (``notification.sent_at``)."""

    supplier = models.ForeignKey(
        Supplier, verbose_name="供应商", on_delete=models.CASCADE, related_name="notified"
    )
    notice = models.ForeignKey(
        "procurement.NoticePage",
        verbose_name="公告",
        on_delete=models.CASCADE,
        related_name="supplier_notifications",
    )
    notification = models.ForeignKey(
        "casework.Notification", verbose_name="邮件", null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField("通知时间", auto_now_add=True)

    class Meta:
        verbose_name = "供应商通知"
        verbose_name_plural = "供应商通知"
        constraints = [
            models.UniqueConstraint(fields=["supplier", "notice"], name="procurement_notified_once")
        ]

    def __str__(self):
        return f"{self.notice_id} → {self.supplier_id}"


def new_token():
    return secrets.token_urlsafe(24)


class SavedSearch(models.Model):
    """A supplier's subscription to new notices matching a filter, emailed at once or as a daily digest."""

    class Frequency(models.TextChoices):
        IMMEDIATE = "immediate", "即时"
        DAILY = "daily", "每日汇总"

    supplier = models.ForeignKey(
        Supplier, verbose_name="供应商", on_delete=models.CASCADE, related_name="saved_searches"
    )
    category = models.CharField("采购品目", max_length=20, choices=Category.choices, blank=True)
    method = models.CharField("采购方式", max_length=20, choices=Method.choices, blank=True)
    buyer = models.ForeignKey(
        "core.Department", verbose_name="采购人", null=True, blank=True, on_delete=models.CASCADE
    )
    keywords = models.CharField("关键词", max_length=100, blank=True)
    frequency = models.CharField(
        "提醒频率", max_length=10, choices=Frequency.choices, default=Frequency.IMMEDIATE
    )
    unsubscribe_token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField("订阅时间", auto_now_add=True)
    last_digest_at = models.DateTimeField("上次汇总时间", null=True, blank=True)

    class Meta:
        verbose_name = "订阅"
        verbose_name_plural = "订阅"
        ordering = ["-created_at"]

    def __str__(self):
        parts = [self.get_category_display(), self.get_method_display(), self.keywords]
        return " ".join(p for p in parts if p) or "全部公告"


class SavedSearchDelivery(models.Model):
    """A notice sent (or queued for the digest) to a subscription: each notice reaches it once."""

    saved_search = models.ForeignKey(SavedSearch, on_delete=models.CASCADE, related_name="deliveries")
    notice = models.ForeignKey("procurement.NoticePage", on_delete=models.CASCADE, related_name="+")
    queued_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["saved_search", "notice"], name="procurement_delivery_once")
        ]

    def __str__(self):
        return f"{self.saved_search_id} ← {self.notice_id}"
