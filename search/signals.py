"""Every change that affects what the search shows enqueues an index update in its own
transaction (search.queue): publish, unpublish, move, delete, view restrictions, resources; for
procurement, a notice's publication also re-indexes its project and the other notices (the status
they all carry changed). The clock changes statuses too: ``manage.py procurement refresh_status``."""

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from search.models.entry import Kind
from search.queue import enqueue
from search.sources import PAGE, RESOURCE


def _page_and_descendants(page):
    keys = [f"{PAGE}:{page.pk}"]
    keys += [f"{PAGE}:{pk}" for pk in Page.objects.descendant_of(page).values_list("pk", flat=True)]
    return keys


def _procurement_family(page):
    """A procurement project and its notices, when ``page`` is one of them (else []): a notice
    changes its project's status, which every notice's entry carries; the project's method and
    budget are its notices' facets too."""
    if not _is_procurement(type(page)) or page.depth is None or page.depth < 2:
        return []
    parent = Page.objects.filter(path=page.path[: -Page.steplen]).first()
    project = parent if parent is not None and _is_procurement(parent.specific_class) else page
    return _page_and_descendants(project)


def _is_procurement(page_class):
    return getattr(page_class, "search_kind", None) == Kind.PROCUREMENT


@receiver(page_published)
def page_published_(sender, instance, **kwargs):
    from search.models import SearchEntry

    key = f"{PAGE}:{instance.pk}"
    indexed_url = SearchEntry.objects.filter(key=key).values_list("url", flat=True).first()
    if indexed_url is not None and indexed_url != (instance.get_url() or instance.url_path):
        enqueue(_page_and_descendants(instance) + _procurement_family(instance))  # a new slug moved the URLs
    else:
        enqueue([key, *_procurement_family(instance)])


@receiver(page_unpublished)
def page_unpublished_(sender, instance, **kwargs):
    enqueue([f"{PAGE}:{instance.pk}", *_procurement_family(instance)])


@receiver(post_page_move)
def page_moved(sender, instance, **kwargs):
    enqueue(_page_and_descendants(instance))  # every URL below it changed


@receiver(post_delete, sender=Page)
def page_deleted(sender, instance, **kwargs):
    enqueue([f"{PAGE}:{instance.pk}"])


def procurement_page_deleted(sender, instance, **kwargs):
    """A deleted notice changes its project's status (the base Page row, deleted with it, no
    longer knows its type: hence a receiver per procurement page class)."""
    if instance.depth:
        parent = Page.objects.filter(path=instance.path[: -Page.steplen]).first()
        if parent is not None and _is_procurement(parent.specific_class):
            enqueue(_page_and_descendants(parent))


@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def restriction_changed(sender, instance, **kwargs):
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is not None:
        enqueue(_page_and_descendants(page))


def resource_changed(sender, instance, **kwargs):
    enqueue([f"{RESOURCE}:{instance.pk}"])


def data_item_changed(sender, instance, **kwargs):
    if instance.resource_id:
        enqueue([f"{RESOURCE}:{instance.resource_id}"])


# model → (its code field, the SearchEntry field that files entries under it)
FILED_UNDER = {"core.Department": ("slug", "department"), "core.Topic": ("code", "topic")}


def remember_old_code(sender, instance, **kwargs):
    """Department slug / topic code before a save, so entries filed under the old one are found."""
    code_field, _entry_field = FILED_UNDER[sender._meta.label]
    old = (
        sender.objects.filter(pk=instance.pk).values_list(code_field, flat=True).first()
        if instance.pk
        else None
    )
    instance._search_old_code = old


def reindex_filed_under(sender, instance, **kwargs):
    """A renamed department or topic changes the name (and facet value) of every entry filed under it."""
    from search.models import SearchEntry

    code_field, field = FILED_UNDER[sender._meta.label]
    codes = {getattr(instance, code_field), getattr(instance, "_search_old_code", None)}
    keys = SearchEntry.objects.filter(**{f"{field}__in": [c for c in codes if c]}).values_list(
        "key", flat=True
    )
    enqueue(list(keys))


def forget_cached_lookups(sender, **kwargs):
    from django.core.cache import cache

    from search.engines.facets import LABELS_CACHE_KEY
    from search.expansion import forget_caches

    forget_caches()
    cache.delete(LABELS_CACHE_KEY)


def connect_procurement():
    from wagtail.models import get_page_models

    for model in get_page_models():
        if _is_procurement(model):
            post_delete.connect(
                procurement_page_deleted, sender=model, dispatch_uid=f"search-deleted-{model.__name__}"
            )


def connect_catalogue():
    from cms.catalogue.models import DataItem, Resource
    from cms.core.models import Department, Topic
    from search.models import Synonym

    for model in (Department, Topic):
        pre_save.connect(remember_old_code, sender=model, dispatch_uid=f"search-old-{model.__name__}")
        post_save.connect(reindex_filed_under, sender=model, dispatch_uid=f"search-reindex-{model.__name__}")
    for model in (Synonym, Department, Topic):  # what the query expansion and facet labels cache
        post_save.connect(forget_cached_lookups, sender=model, dispatch_uid=f"search-forget-{model.__name__}")
        post_delete.connect(
            forget_cached_lookups, sender=model, dispatch_uid=f"search-forget-d-{model.__name__}"
        )

    post_save.connect(resource_changed, sender=Resource, dispatch_uid="search-resource-save")
    post_delete.connect(resource_changed, sender=Resource, dispatch_uid="search-resource-delete")
    # Data items are saved after their resource (modelcluster): they change the entry too.
    post_save.connect(data_item_changed, sender=DataItem, dispatch_uid="search-dataitem-save")
    post_delete.connect(data_item_changed, sender=DataItem, dispatch_uid="search-dataitem-delete")
