"""A new department folder (disclosure, service guides or procurement) gets its groups, collection and
workflow as soon as it is created."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from cms.disclosure.models import DisclosureDepartmentPage
from cms.procurement.models import ProcurementDepartmentPage
from cms.services.models import ServiceDepartmentPage

from .provision import setup_department


@receiver(post_save, sender=DisclosureDepartmentPage, dispatch_uid="editors_setup_new_department_folder")
@receiver(post_save, sender=ServiceDepartmentPage, dispatch_uid="editors_setup_new_service_folder")
@receiver(post_save, sender=ProcurementDepartmentPage, dispatch_uid="editors_setup_new_procurement_folder")
def setup_new_department_folder(sender, instance, created, raw=False, **kwargs):
    if created and not raw and instance.department_id:
        setup_department(instance)
