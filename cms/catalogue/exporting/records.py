"""One resource as an export record, with the openness rule applied in this one place."""

from django.conf import settings
from django.utils import translation

from cms.catalogue.choices import DataType
from cms.catalogue.importing.columns import COLUMNS, DATA_ITEM_SEPARATOR, guard_formula
from cms.catalogue.models import Resource, ResourceClass

# What a 不予开放 resource keeps in a public export: what identifies it, nothing about its content.
IDENTIFYING = frozenset(column.field for column in COLUMNS if column.identifying) | {
    "classification_name",
    "department_name",
    "url",
}
CHUNK_SIZE = 1000


def base_url(request=None):
    """Scheme and host for absolute links: settings.PORTAL_BASE_URL, else the request, else the
    admin's base URL (management commands)."""
    configured = getattr(settings, "PORTAL_BASE_URL", "")
    if configured:
        return configured.rstrip("/")
    if request is not None:
        return request.build_absolute_uri("/").rstrip("/")
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def class_paths():
    """Classification code → "部门信息资源 / 财政 / 预算信息", for every class in one query."""
    nodes = dict(ResourceClass.objects.values_list("code", "name"))
    paths = {}
    for code in nodes:
        prefixes = (code[:length] for length in (1, 3, 6, 9) if length <= len(code))
        paths[code] = " / ".join(nodes[prefix] for prefix in prefixes if prefix in nodes)
    return paths


def resources(queryset=None):
    """Every resource with what an export reads, streamed from the database in chunks."""
    queryset = Resource.objects.all() if queryset is None else queryset
    queryset = queryset.select_related("department", "classification").prefetch_related("data_items")
    # iterator() with prefetch_related fetches the data items chunk by chunk: memory stays bounded.
    return queryset.order_by("code").iterator(chunk_size=CHUNK_SIZE)


class Exporter:
    """Builds records for one export. ``public`` applies Resource.shows_details."""

    def __init__(self, *, public, base):
        self.public = public
        self.base = base
        self.paths = class_paths()
        # The CSV speaks the import's language whatever language the request is in.
        with translation.override("zh-hans"):
            self.labels = {
                column.field: {value: str(label) for value, label in column.choices.choices}
                for column in COLUMNS
                if column.choices is not None
            }
            self.type_labels = {value: str(label) for value, label in DataType.choices}

    def hides(self, resource):
        return self.public and not resource.shows_details

    def url(self, resource):
        return self.base + resource.get_absolute_url()

    def record(self, resource):
        """The JSON form: the import's English field names, stored values (codes, ISO dates)."""
        record = {
            "name": resource.name,
            "code": resource.code,
            "classification": resource.classification.code,
            "classification_name": self.paths.get(resource.classification.code, resource.classification.name),
            "department": resource.department.slug,
            "department_name": resource.department.name,
            "summary": resource.summary,
            "resource_format": resource.resource_format,
            "format_detail": resource.format_detail,
            "sharing": resource.sharing,
            "sharing_conditions": resource.sharing_conditions,
            "sharing_method": resource.sharing_method,
            "openness": resource.openness,
            "open_conditions": resource.open_conditions,
            "update_cycle": resource.update_cycle,
            "released_on": resource.released_on.isoformat(),
            "related_codes": list(resource.related_codes or []),
            "keywords": resource.keywords,
            "data_items": [
                {"name": item.name, "type": item.data_type, "description": item.description}
                for item in resource.data_items.all()
            ],
            "url": self.url(resource),
        }
        if self.hides(resource):
            record = {key: value for key, value in record.items() if key in IDENTIFYING}
        return record

    def cells(self, resource):
        """The CSV form: one cell per column, Chinese labels, as the import reads them back."""
        hidden = self.hides(resource)
        cells = []
        for column in COLUMNS:
            if hidden and not column.identifying:
                cells.append("")
                continue
            cells.append(guard_formula(self._cell(resource, column)))
        return cells

    def _cell(self, resource, column):
        name = column.field
        if column.choices is not None:
            value = getattr(resource, name)
            return self.labels[name].get(value, value)
        if name == "classification":
            return resource.classification.code
        if name == "department":
            return resource.department.name
        if name == "released_on":
            return resource.released_on.isoformat()
        if name == "related_codes":
            return " ".join(resource.related_codes or [])
        if name == "data_items":
            return DATA_ITEM_SEPARATOR.join(self._data_item(item) for item in resource.data_items.all())
        return str(getattr(resource, name) or "")

    def _data_item(self, item):
        parts = [item.name, self.type_labels.get(item.data_type, item.data_type)]
        return ":".join([*parts, item.description] if item.description else parts)
