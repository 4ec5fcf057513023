"""A topic's name is part of its guides' search text: renaming or deleting a topic re-indexes them."""

from django.db.models.signals import post_delete, post_save, pre_delete


def topic_guides(topic):
    return [f"page:{pk}" for pk in topic.serviceguidepage_set.values_list("pk", flat=True)]


def topic_saved(sender, instance, created, **kwargs):
    if not created:
        from search.queue import enqueue

        enqueue(topic_guides(instance))


def topic_deleting(sender, instance, **kwargs):
    instance._search_keys = topic_guides(instance)  # the links are gone after the delete


def topic_deleted(sender, instance, **kwargs):
    from search.queue import enqueue

    enqueue(getattr(instance, "_search_keys", []))


def connect():
    from .models import ServiceTopic

    post_save.connect(topic_saved, sender=ServiceTopic, dispatch_uid="services-topic-saved")
    pre_delete.connect(topic_deleting, sender=ServiceTopic, dispatch_uid="services-topic-deleting")
    post_delete.connect(topic_deleted, sender=ServiceTopic, dispatch_uid="services-topic-deleted")
