from django.contrib.auth.models import Group, Permission
from django.db import models

from cms.casework.identity import validate_uscc


class Agency(models.Model):
    """采购代理机构: a company a buyer entrusts with running its procurement. Its staff, members of
    ``group``, see the download register of the projects it runs (and nothing else of the site)."""

    name = models.CharField("机构名称", max_length=100, unique=True)
    uscc = models.CharField("统一社会信用代码", max_length=18, unique=True, validators=[validate_uscc])
    address = models.CharField("地址", max_length=200, blank=True)
    contact_name = models.CharField("联系人", max_length=40, blank=True)
    phone = models.CharField("联系电话", max_length=40, blank=True)
    group = models.OneToOneField(
        Group, verbose_name="工作人员用户组", null=True, blank=True, on_delete=models.SET_NULL, editable=False
    )

    class Meta:
        verbose_name = "采购代理机构"
        verbose_name_plural = "采购代理机构"
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        if self.group_id is None:
            group, _ = Group.objects.get_or_create(name=self.group_name)
            # Staff open the admin only for the download register of the agency's projects, which
            # cms.procurement.suppliers.register grants by this membership; nothing else is granted.
            group.permissions.add(
                Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
            )
            type(self).objects.filter(pk=self.pk).update(group=group)
            self.group = group

    @property
    def group_name(self):
        return f"代理机构：{self.name}"
