"""Suppliers' side effects of publishing a notice, in the publishing transaction (so an email is queued
exactly when the notice goes out, and the worker sends and retries it):

* a correction or termination: every supplier who downloaded the project's documents is emailed;
* any alert type: the saved searches it matches get it (at once, or queued for the daily digest).

Wagtail also sends ``page_published`` when a page is only scheduled (``go_live_at`` in the future); such a
notice is not live yet and is handled when ``publish_scheduled`` makes it live.
"""

from django.db import transaction
from wagtail.signals import page_published

DOWNLOADER_TYPES = frozenset({"correction", "termination"})


def notice_published(sender, instance, **kwargs):
    from cms.procurement.models import NoticePage, ProcurementProject
    from cms.procurement.suppliers import alerts, notify

    if not instance.live or not NoticePage.objects.live().public().filter(pk=instance.pk).exists():
        return
    parent = instance.get_parent()
    project = ProcurementProject.objects.live().public().filter(pk=parent.pk).first() if parent else None
    if project is None:
        return
    with transaction.atomic():
        told = []
        if instance.notice_type in DOWNLOADER_TYPES:
            told = [record.supplier_id for record in notify.notify_downloaders(instance, project)]
        alerts.notice_published(instance, project, skip_suppliers=frozenset(told))


def connect():
    from cms.procurement.models import (
        AwardNotice,
        ContractNotice,
        CorrectionNotice,
        TenderNotice,
        TerminationNotice,
    )

    for model in (TenderNotice, CorrectionNotice, AwardNotice, TerminationNotice, ContractNotice):
        page_published.connect(
            notice_published, sender=model, dispatch_uid=f"procurement-suppliers-{model.__name__}"
        )
