"""Write SearchEntry rows into Elasticsearch: bulk, incremental, and full rebuilds behind an alias.

client = search.es.get_client()
rebuild_index(client, progress=print)   # new timestamped index, bulk, alias swap, drop old
apply_updates(client, saved_keys, deleted_keys)
"""

import itertools

from django.conf import settings
from django.utils import timezone
from elasticsearch import NotFoundError
from elasticsearch.helpers import streaming_bulk
from elasticsearch_dsl import Index

from search.documents import SiteEntryIndex
from search.expansion import is_dated
from search.models import SearchEntry
from search.models.entry import Kind
from search.text import title_names

CHUNK_SIZE = 500
SUGGEST_WEIGHT = {
    Kind.RESOURCE: 20,
    Kind.SERVICE: 18,
    Kind.PAGE: 15,
    Kind.DOCUMENT: 10,
    Kind.INTERPRETATION: 8,
    Kind.NEWS: 5,
    Kind.PROCUREMENT: 4,  # many similar notice titles: they must not push the rest out of the list
}


def alias_name(prefix=None):
    prefix = prefix if prefix is not None else settings.ELASTICSEARCH_INDEX_PREFIX
    return f"{prefix.lower()}-site"


def create_index(client, name):
    index = Index(name)
    index.settings(**SiteEntryIndex._index._settings)
    index.document(SiteEntryIndex)
    index.create(using=client)
    return name


def suggest_inputs(entry):
    """Prefixes that should suggest this entry: its title from the start and from each word
    (so 采购 suggests 政府采购项目信息), and its pinyin keys."""
    title = entry.title[:60]
    starts = {len(title) - len(name) for name in title_names(title)}
    position = 0
    for word in entry.title_words.split()[:12]:
        found = title.find(word, position)
        if found >= 0:
            starts.add(found)
            position = found
    inputs = [title[s:].lower() for s in sorted(starts) if len(title) - s >= 2]  # queries are lowercased
    return list(dict.fromkeys(inputs + entry.pinyin.split()))


def entry_to_es(entry):
    return {
        "kind": entry.kind,
        "url": entry.url,
        "title": entry.title,
        "title_words": entry.title_words.strip(),
        "summary": entry.summary,
        "text": entry.text,
        "words": entry.words.strip(),
        "identifiers": entry.identifiers.split(),
        "names": title_names(entry.title),
        "dated": is_dated(entry.title),
        "pinyin": entry.pinyin.split(),
        "suggest": {"input": suggest_inputs(entry), "weight": SUGGEST_WEIGHT.get(entry.kind, 1)},
        "department": entry.department or None,
        "department_name": entry.department_name or None,
        "topic": entry.topic or None,
        "topic_name": entry.topic_name or None,
        "date": entry.date.isoformat() if entry.date else None,
        "year": entry.year,
        "genre": entry.genre or None,
        "validity": entry.validity or None,
        "catalogue": entry.catalogue or None,
        "classification": entry.classification or None,
        "sharing": entry.sharing or None,
        "openness": entry.openness or None,
        "audience": entry.audience.split(),
        "online_level": entry.online_level or None,
        "item_type": entry.item_type or None,
        "notice_type": entry.notice_type or None,
        "status": entry.status or None,
        "method": entry.method or None,
        "budget_band": entry.budget_band or None,
    }


def _actions(entries, index):
    for entry in entries:
        yield {"_op_type": "index", "_index": index, "_id": entry.key, "_source": entry_to_es(entry)}


def bulk_index(entries, client, index=None, chunk_size=CHUNK_SIZE, progress=None):
    """Index ``entries`` (consumed lazily) in chunks; returns how many were indexed."""
    count = 0
    for _ok, _item in streaming_bulk(
        client, _actions(entries, index or alias_name()), chunk_size=chunk_size, max_retries=3
    ):
        count += 1  # errors raise BulkIndexError (raise_on_error is on)
        if progress and count % chunk_size == 0:
            progress(count)
    if progress and count % chunk_size:
        progress(count)
    return count


def apply_updates(client, saved_keys, deleted_keys, index=None):
    """Index the entries of ``saved_keys`` and remove ``deleted_keys``; raises on any failure."""
    index = index or alias_name()
    entries = SearchEntry.objects.filter(key__in=saved_keys).iterator(chunk_size=CHUNK_SIZE)
    deletes = ({"_op_type": "delete", "_index": index, "_id": key} for key in deleted_keys)
    actions = itertools.chain(_actions(entries, index), deletes)
    errors = []
    for ok, item in streaming_bulk(
        client, actions, chunk_size=CHUNK_SIZE, raise_on_error=False, max_retries=3
    ):
        result = item.get("delete") or item.get("index") or {}
        if not ok and result.get("status") != 404:  # deleting what is not there is fine
            errors.append(result)
    if errors:
        raise RuntimeError(f"Elasticsearch rejected {len(errors)} updates: {errors[:3]}")
    client.indices.refresh(index=index)


def add_missing_fields(client, index=None):
    """Add the fields a newer mapping has and the live index lacks (a new kind's facets), so updates
    do not fail the strict mapping until the next rebuild; returns their names. Adding fields is
    allowed on a live index; changing one is not (that still needs ``search_index rebuild``)."""
    index = index or alias_name()
    wanted = SiteEntryIndex._doc_type.mapping.to_dict()["properties"]
    live = client.indices.get_mapping(index=index)
    missing = {}
    for mapping in live.values():
        have = mapping["mappings"].get("properties", {})
        missing.update({name: spec for name, spec in wanted.items() if name not in have})
    if missing:
        client.indices.put_mapping(index=index, properties=missing)
    return sorted(missing)


def indices_behind(client, alias):
    try:
        return sorted(client.indices.get_alias(name=alias))
    except NotFoundError:
        return []


def has_index(client, prefix=None):
    """Whether the alias points at an index (not so on first start, or after Elasticsearch lost it)."""
    return bool(indices_behind(client, alias_name(prefix)))


def rebuild_index(client, prefix=None, entries=None, chunk_size=CHUNK_SIZE, progress=None, since=None):
    """Create ``<alias>-<timestamp>``, fill it, point ``<alias>`` at it, delete the old indices.

    Searches keep using the old index until the alias moves (one atomic update_aliases call).
    If anything fails before the swap, the new index is deleted and the alias is untouched.
    """
    alias = alias_name(prefix)
    started = timezone.now()
    name = f"{alias}-{started:%Y%m%d%H%M%S%f}"
    create_index(client, name)
    try:
        if entries is None:
            entries = SearchEntry.objects.order_by("pk").iterator(chunk_size=chunk_size)
        count = bulk_index(entries, client, index=name, chunk_size=chunk_size, progress=progress)
        client.indices.refresh(index=name)
        old = indices_behind(client, alias)
        if not old and client.indices.exists(index=alias):
            client.indices.delete(index=alias)  # a concrete index squats the alias name
        actions = [{"remove": {"index": i, "alias": alias}} for i in old]
        client.indices.update_aliases(actions=[*actions, {"add": {"index": name, "alias": alias}}])
    except BaseException:
        client.indices.delete(index=name, ignore_unavailable=True)
        raise
    for index in old:
        client.indices.delete(index=index, ignore_unavailable=True)
    replayed = replay_since(client, since or started, alias)
    return {"alias": alias, "index": name, "count": count, "deleted": old, "replayed": replayed}


def replay_since(client, started, index):
    """Changes made while a rebuild ran went to the old index: apply them again to the new one,
    reading each key's current entry (present → index, gone → delete)."""
    from django.db.models import Q

    from search.models import IndexUpdate

    touched = Q(created_at__gte=started) | Q(done_at__gte=started) | Q(done_at__isnull=True)
    keys = set(IndexUpdate.objects.filter(touched).values_list("key", flat=True))
    keys |= set(SearchEntry.objects.filter(updated_at__gte=started).values_list("key", flat=True))
    if not keys:
        return 0
    present = set(SearchEntry.objects.filter(key__in=keys).values_list("key", flat=True))
    apply_updates(client, present, keys - present, index=index)
    return len(keys)
