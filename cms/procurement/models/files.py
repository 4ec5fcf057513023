import uuid

from django.conf import settings
from django.db import models

from cms.casework.storage import get_private_storage


def version_path(instance, filename):
    # Our own name, never the uploader's: no path tricks, no clashes. The original name is kept apart.
    return f"procurement/{instance.procurement_file.project_id}/{uuid.uuid4().hex}.bin"


class ProcurementFile(models.Model):
    """A tender document of a project (招标文件, 图纸, 工程量清单...). Replacing it adds a version; every
    version stays stored, signed and verifiable. Editors attach the file to a tender or correction notice;
    suppliers download the latest version that a live notice has published."""

    project = models.ForeignKey(
        "procurement.ProcurementProject",
        verbose_name="采购项目",
        on_delete=models.CASCADE,
        related_name="files",
    )
    title = models.CharField("文件名称", max_length=200)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "采购文件"
        verbose_name_plural = "采购文件"
        ordering = ["project", "title"]

    def __str__(self):
        return f"{self.title}（{self.project.project_number}）" if self.project_id else self.title

    def latest_version(self):
        return self.versions.order_by("-number").first()

    def published_version(self):
        """The version suppliers get: the latest one a live notice has published (and not withdrawn)."""
        return self.versions.offered().order_by("-number").first()


class VersionQuerySet(models.QuerySet):
    def offered(self):
        """Versions suppliers may get: published by a notice that has not been withdrawn since."""
        return self.filter(published_at__isnull=False, withdrawn_at__isnull=True)


class ProcurementFileVersion(models.Model):
    """One immutable version of a tender document: its bytes (private storage), SHA-256 digest and the
    platform's Ed25519 signature over that digest (``cms.procurement.signing``)."""

    procurement_file = models.ForeignKey(
        ProcurementFile, verbose_name="采购文件", on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField("版本")
    blob = models.FileField("文件", storage=get_private_storage, upload_to=version_path, max_length=200)
    original_name = models.CharField("原文件名", max_length=200)
    content_type = models.CharField("类型", max_length=100, default="application/pdf")
    size = models.PositiveBigIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64, db_index=True)
    signature = models.CharField("签名（Base64）", max_length=100)
    key_id = models.CharField("签名密钥标识", max_length=16)
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", null=True, blank=True, on_delete=models.SET_NULL
    )
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    published_with = models.ForeignKey(
        "procurement.NoticePage",
        verbose_name="随公告发布",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="published_versions",
    )
    # The notice that published it was unpublished or deleted: no longer offered, still verifiable.
    withdrawn_at = models.DateTimeField("撤回时间", null=True, blank=True)

    objects = VersionQuerySet.as_manager()

    class Meta:
        verbose_name = "采购文件版本"
        verbose_name_plural = "采购文件版本"
        ordering = ["procurement_file", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["procurement_file", "number"], name="procurement_file_version_unique"
            )
        ]

    def __str__(self):
        return f"{self.procurement_file.title} 第{self.number}版"
