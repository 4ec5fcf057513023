"""Keep the superseded document's validity in step with the document that repeals or amends it."""

from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from .choices import Validity
from .models import DisclosureDocument


def refresh_validity(target_id):
    live = DisclosureDocument.objects.live()
    if live.filter(repeals_id=target_id).exists():
        validity = Validity.REPEALED
    elif live.filter(amends_id=target_id).exists():
        validity = Validity.AMENDED
    else:
        return
    # A plain update: this is a fact about the page, not an edit that needs a revision.
    DisclosureDocument.objects.filter(pk=target_id).update(validity=validity)


@receiver(page_published)
@receiver(page_unpublished)
def on_document_change(sender, instance, **kwargs):
    specific = getattr(instance, "specific", instance)
    if not isinstance(specific, DisclosureDocument):
        return
    for target_id in (specific.repeals_id, specific.amends_id):
        if target_id:
            refresh_validity(target_id)
