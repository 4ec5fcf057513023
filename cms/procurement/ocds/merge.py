"""The compiled release: the releases of one ocid merged by the OCDS merge rules (schema/merging/).

* releases are applied oldest first; a later value replaces an earlier one, ``null`` removes it;
* objects merge field by field; arrays of objects merge by their ``id`` (identifier merge), new ids
  are appended in order;
* arrays of strings or numbers, and the arrays the schema marks ``wholeListMerge`` or whose objects have no
  ``id`` (``additionalIdentifiers``, ``additionalClassifications``, ``changes``), are replaced whole;
* the release's ``id``, ``date`` and ``tag`` are omitted (``omitWhenMerged``); the compiled release gets
  ``id = <ocid>-<date of the newest release>``, that date, and ``tag = ["compiled"]``, as the reference
  implementation (ocdsmerge) does.
"""

import copy
import datetime

OMIT_WHEN_MERGED = frozenset({"id", "date", "tag"})  # top level only
WHOLE_LIST_FIELDS = frozenset({"additionalIdentifiers", "additionalClassifications", "changes"})


def _object_list(value):
    return bool(value) and all(isinstance(item, dict) for item in value)


def _merge_object(target, source, top=False):
    for key, value in source.items():
        if top and key in OMIT_WHEN_MERGED:
            continue
        if value is None:
            target.pop(key, None)
        elif isinstance(value, dict):
            if value:
                node = target.get(key)
                if not isinstance(node, dict):
                    node = target[key] = {}
                _merge_object(node, value)
        elif isinstance(value, list) and _object_list(value) and key not in WHOLE_LIST_FIELDS:
            _merge_list(target.setdefault(key, []), value)
        elif isinstance(value, list) and not value:
            continue  # an empty array adds nothing (as in ocdsmerge)
        else:
            target[key] = copy.deepcopy(value)


def _merge_list(target, items):
    for item in items:
        identifier = item.get("id")
        match = None
        if identifier is not None:
            match = next((o for o in target if o.get("id") == identifier), None)
        if match is None:
            match = {}
            target.append(match)
        _merge_object(match, item)


def compile_releases(releases):
    """The compiledRelease of ``releases`` (all with the same ocid)."""
    ordered = sorted(releases, key=lambda release: datetime.datetime.fromisoformat(release["date"]))
    newest = ordered[-1]
    compiled = {"ocid": newest["ocid"], "id": f"{newest['ocid']}-{newest['date']}", "date": newest["date"]}
    compiled["tag"] = ["compiled"]
    merged = {}
    for release in ordered:
        _merge_object(merged, release, top=True)
    merged.pop("ocid", None)
    compiled.update(merged)
    return compiled
