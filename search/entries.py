"""SearchEntry rows: build them from the sources, segmented once, and keep them in step.

refresh(["page:12", "resource:7"])  -> (saved keys, deleted keys)
rebuild(progress=print)              -> count; every entry rebuilt, segmentation in parallel
"""

import multiprocessing
import os
from collections import deque

from django.db import transaction
from django.utils import timezone

from cms.core.iterables import batches
from search.models import SearchEntry
from search.sources import PAGE, RESOURCE, fields_for_key, page_fields, resource_fields
from search.text import segment, title_names

CHUNK_SIZE = 500


def _pad(words):
    # Leading and trailing spaces make `contains " word "` a whole-word match in the fallback.
    return f" {words} " if words else ""


def enrich(fields):
    """Source fields → SearchEntry field values (adds the segmented and padded columns).

    Pure (no database): runs in worker processes during a rebuild."""
    values = dict(fields)
    identifiers = values.pop("identifiers", [])
    pinyin = values.pop("pinyin", [])
    date = values.get("date")
    values["year"] = date.year if date else None
    values["identifiers"] = _pad(" ".join(identifiers))
    values["pinyin"] = _pad(" ".join(pinyin))
    # Without 济源市: most titles start with it, and it would only dilute the title's length norm.
    values["title_words"] = _pad(segment(title_names(values["title"])[-1]))
    body = " ".join([values["title"], *identifiers, values.get("summary", ""), values.get("text", "")])
    values["words"] = _pad(segment(body))
    return values


@transaction.atomic
def refresh(keys):
    """Bring the entries for ``keys`` in line with the database; returns (saved, deleted)."""
    saved, deleted = [], []
    for key in dict.fromkeys(keys):
        fields = fields_for_key(key)
        if fields is None:
            SearchEntry.objects.filter(key=key).delete()
            deleted.append(key)
        else:
            SearchEntry.objects.update_or_create(key=key, defaults=enrich(fields))
            saved.append(key)
    return saved, deleted


def _sources():
    """(key, fields) of everything searchable, streamed."""
    from wagtail.models import Page

    from cms.catalogue.models import Resource

    pages = Page.objects.live().filter(depth__gt=2).order_by("pk").specific()
    for page in pages.iterator(chunk_size=CHUNK_SIZE):
        fields = page_fields(page)
        if fields is not None:
            yield f"{PAGE}:{page.pk}", fields
    resources = Resource.objects.with_relations().prefetch_related("data_items").order_by("pk")
    for resource in resources.iterator(chunk_size=CHUNK_SIZE):
        yield f"{RESOURCE}:{resource.pk}", resource_fields(resource)


def _enrich_item(item):
    key, fields = item
    return key, enrich(fields)


def _map_batch(func, batch):
    return [func(item) for item in batch]


def parallel_map(func, items, processes=None, batch_size=256):
    """``map(func, items)`` on every core, in order, lazily, with BOUNDED memory: at most two
    batches per process are in flight (Pool.imap would read the whole input ahead)."""
    processes = processes or os.cpu_count() or 1
    if processes == 1:
        yield from map(func, items)
        return
    # fork: workers inherit the loaded jieba dictionary instead of each loading it again.
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        pending = deque()
        for batch in batches(items, batch_size):
            pending.append(pool.apply_async(_map_batch, (func, batch)))
            if len(pending) >= 2 * processes:
                yield from pending.popleft().get()
        while pending:
            yield from pending.popleft().get()


def parallel_enrich(items, processes=None):
    """enrich() over ``items`` ((key, fields) pairs) on every core, in order, lazily."""
    return parallel_map(_enrich_item, items, processes)


def rebuild(progress=None, processes=None):
    """Rebuild every entry from the sources, then drop the entries the rebuild did not touch
    (things no longer searchable). Memory stays bounded by a chunk."""
    started = timezone.now()
    count = 0
    for chunk in batches(parallel_enrich(_sources(), processes), CHUNK_SIZE):
        with transaction.atomic():
            keys = [key for key, _ in chunk]
            SearchEntry.objects.filter(key__in=keys).delete()
            SearchEntry.objects.bulk_create(SearchEntry(key=key, **values) for key, values in chunk)
        count += len(chunk)
        if progress:
            progress(count)
    SearchEntry.objects.filter(updated_at__lt=started).delete()
    # A change applied while the pass ran may have been overwritten by the older state read
    # before it: bring those keys in line again.
    from search.models import IndexUpdate

    refresh(IndexUpdate.objects.filter(created_at__gte=started).values_list("key", flat=True))
    return count
