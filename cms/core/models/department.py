from django.core.validators import RegexValidator
from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.search import index


class Department(index.Indexed, models.Model):
    """A government department (部门 / 发布机构): owner of pages, documents and resources."""

    name = models.CharField("名称", max_length=100, unique=True)
    short_name = models.CharField("简称", max_length=50, blank=True)
    slug = models.SlugField("代号", max_length=40, unique=True, help_text="拼音首字母，用于网址，例如 czj")
    org_code = models.CharField(
        "机构代码",
        max_length=18,
        unique=True,
        validators=[RegexValidator(r"^[0-9A-Z]{9}$|^[0-9A-Z]{18}$", "机构代码应为9位或18位数字或大写字母")],
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="上级部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    phone = models.CharField("联系电话", max_length=40, blank=True)
    address = models.CharField("办公地址", max_length=200, blank=True)
    email = models.EmailField("电子邮箱", blank=True)
    sort_order = models.PositiveIntegerField("排序", default=100)

    panels = [
        FieldPanel("name"),
        FieldPanel("short_name"),
        FieldPanel("slug"),
        FieldPanel("org_code"),
        FieldPanel("parent"),
        FieldPanel("phone"),
        FieldPanel("address"),
        FieldPanel("email"),
        FieldPanel("sort_order"),
    ]
    search_fields = [
        index.SearchField("name"),
        index.SearchField("short_name"),
        index.AutocompleteField("name"),
    ]

    class Meta:
        verbose_name = "部门"
        verbose_name_plural = "部门"
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name

    @property
    def display_name(self):
        return self.short_name or self.name
