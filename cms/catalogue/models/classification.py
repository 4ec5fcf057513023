from django.db import models

from cms.catalogue.choices import CatalogueKind
from cms.catalogue.codes import LEVEL_NAMES, level_of, parent_code, validate_class_code


class ResourceClass(models.Model):
    """One node of the four-level classification (类/项/目/细目); the code says where it sits."""

    code = models.CharField("分类代码", max_length=9, unique=True, validators=[validate_class_code])
    name = models.CharField("分类名称", max_length=100)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级分类",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="children",
    )
    level = models.PositiveSmallIntegerField("级别", editable=False)

    class Meta:
        verbose_name = "资源分类"
        verbose_name_plural = "资源分类"
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.name}"

    def save(self, *args, **kwargs):
        # The code is the tree: level and parent follow from it, so they can never disagree.
        self.level = level_of(self.code)
        code = parent_code(self.code)
        self.parent = ResourceClass.objects.get(code=code) if code else None
        super().save(*args, **kwargs)

    @property
    def level_name(self):
        return LEVEL_NAMES[self.level]

    @property
    def catalogue(self):
        return CatalogueKind(self.code[0])

    def ancestors(self):
        """Top-down list of this class and its parents (类 first)."""
        chain, node = [], self
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain[::-1]

    def path_name(self):
        return " / ".join(node.name for node in self.ancestors())
