"""Facet counts → labelled options, the same for both engines."""

from django.core.cache import cache

from search.engines.results import FacetOption, FacetResult
from search.params import FACETS

LABELS_CACHE_KEY = "search:facet-labels"
MAX_OPTIONS = 30


def _dynamic_labels():
    labels = cache.get(LABELS_CACHE_KEY)
    if labels is None:
        from cms.core.models import Department, Topic

        labels = {
            "department": dict(Department.objects.values_list("slug", "name")),
            "topic": dict(Topic.objects.values_list("code", "name")),
        }
        cache.set(LABELS_CACHE_KEY, labels, 300)
    return labels


def label_for(facet, value):
    if facet.choices is not None:
        try:
            return str(facet.choices(value).label)
        except ValueError:
            return value
    if facet.name in ("department", "topic"):
        return _dynamic_labels()[facet.name].get(value, value)
    return str(value)


def build_facets(counts, params):
    """``counts``: {facet name: {value: count}} → [FacetResult] for facets with any option."""
    facets = []
    for facet in FACETS:
        selected = set(params.filters.get(facet.name, []))
        values = {str(k): v for k, v in counts.get(facet.name, {}).items() if k not in (None, "")}
        for value in selected:
            values.setdefault(value, 0)  # a chosen option stays visible (to unselect) at 0
        if facet.name == "year":
            ordered = sorted(values.items(), key=lambda kv: kv[0], reverse=True)
        elif facet.in_order:
            rank = {value: i for i, value in enumerate(facet.choices.values)}
            ordered = sorted(values.items(), key=lambda kv: (rank.get(kv[0], len(rank)), kv[0]))
        else:
            ordered = sorted(values.items(), key=lambda kv: (-kv[1], kv[0]))
        ordered = [kv for kv in ordered if kv[1] or kv[0] in selected][:MAX_OPTIONS]
        if not ordered:
            continue
        options = [FacetOption(v, label_for(facet, v), n, v in selected) for v, n in ordered]
        facets.append(FacetResult(facet.name, facet.label, options))
    return facets
