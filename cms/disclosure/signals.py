"""A moved document follows its new folder's department (its index number stays as issued)."""

from django.dispatch import receiver
from wagtail.signals import post_page_move

from .models import DisclosureDepartmentPage, DisclosureDocument


@receiver(post_page_move)
def follow_new_folder(sender, instance, parent_page_after, **kwargs):
    if not issubclass(sender, DisclosureDocument):
        return
    folder = parent_page_after.specific
    if isinstance(folder, DisclosureDepartmentPage):
        DisclosureDocument.objects.filter(pk=instance.pk).update(department=folder.department_id)
