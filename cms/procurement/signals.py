"""Publishing, withdrawing or deleting a notice refreshes its project's schedule (and so its status), and
publishes or withdraws the document versions it carries."""

from django.db.models.signals import post_delete, pre_delete
from wagtail.signals import page_published, page_unpublished


def _project_of(page):
    from cms.procurement.models import ProcurementProject

    parent = page.get_parent() if page.depth else None
    return ProcurementProject.objects.filter(pk=parent.pk).first() if parent else None


def notice_changed(sender, instance, **kwargs):
    from cms.procurement import status

    project = _project_of(instance)
    if project is not None:
        status.refresh(project)


def notice_published(sender, instance, **kwargs):
    from cms.procurement.trust.versions import publish_versions

    publish_versions(instance)


def notice_withdrawn(sender, instance, **kwargs):
    from cms.procurement.trust.versions import withdraw_versions

    withdraw_versions(instance)


def connect():
    from cms.procurement.suppliers import signals as supplier_signals

    supplier_signals.connect()
    from cms.procurement.models import (
        AwardNotice,
        ContractNotice,
        CorrectionNotice,
        TenderNotice,
        TerminationNotice,
    )

    for model in (TenderNotice, CorrectionNotice, AwardNotice, TerminationNotice, ContractNotice):
        uid = f"procurement-{model.__name__}"
        page_published.connect(notice_published, sender=model, dispatch_uid=f"{uid}-files")
        page_published.connect(notice_changed, sender=model, dispatch_uid=f"{uid}-published")
        page_unpublished.connect(notice_withdrawn, sender=model, dispatch_uid=f"{uid}-files-withdrawn")
        pre_delete.connect(notice_withdrawn, sender=model, dispatch_uid=f"{uid}-files-deleted")
        page_unpublished.connect(notice_changed, sender=model, dispatch_uid=f"{uid}-unpublished")
        post_delete.connect(notice_changed, sender=model, dispatch_uid=f"{uid}-deleted")
