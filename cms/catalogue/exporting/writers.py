"""The export formats as generators of text chunks, for a streaming response or a file alike."""

import csv
import io
import json

from django.urls import reverse

from cms.catalogue.importing.columns import HEADERS

from . import dcat

BUFFER = 64 * 1024  # yield roughly this much text at a time


def _dumps(value):
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def csv_chunks(resources, exporter):
    """UTF-8 with a BOM, which is how Excel recognises a UTF-8 CSV (and shows Chinese correctly)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow(HEADERS)
    for resource in resources:
        writer.writerow(exporter.cells(resource))
        if buffer.tell() > BUFFER:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _json_array(items, head="[", tail="]"):
    """``head`` item, item, … ``tail``, joined without holding the whole array."""
    parts, size, first = [head, "\n"], 0, True
    for item in items:
        text = ("" if first else ",\n") + _dumps(item)
        first = False
        parts.append(text)
        size += len(text)
        if size > BUFFER:
            yield "".join(parts)
            parts, size = [], 0
    parts.append(f"\n{tail}\n")
    yield "".join(parts)


def json_chunks(resources, exporter):
    return _json_array(exporter.record(resource) for resource in resources)


def dcat_chunks(resources, exporter):
    catalog_url = exporter.base + reverse("catalogue:export_dcat")
    head = _dumps(dcat.catalog_head(exporter.base, catalog_url))
    # The head is a complete object: reopen it to stream the datasets in as its last member.
    opening = head[:-1] + ',"dcat:dataset":['
    return _json_array((dcat.dataset(resource, exporter) for resource in resources), opening, "]}")


FORMATS = {
    # name: (writer, content type, file name)
    "csv": (csv_chunks, "text/csv; charset=utf-8", "jiyuan-resources.csv"),
    "json": (json_chunks, "application/json; charset=utf-8", "jiyuan-resources.json"),
    "dcat": (dcat_chunks, "application/ld+json; charset=utf-8", "jiyuan-catalog.jsonld"),
}
