from django.db import models


class Topic(models.Model):
    """主题分类: the State Council's 21 classes and their sub-classes (reference data)."""

    code = models.CharField("分类代码", max_length=8, unique=True)
    name = models.CharField("名称", max_length=50)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级分类",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )

    class Meta:
        verbose_name = "主题分类"
        verbose_name_plural = "主题分类"
        ordering = ["code"]

    def __str__(self):
        return f"{self.parent.name} › {self.name}" if self.parent_id else self.name

    @property
    def top(self):
        return self.parent if self.parent_id else self
