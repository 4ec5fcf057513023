"""The catalogue as DCAT (https://www.w3.org/TR/vocab-dcat-3/) in JSON-LD, written by hand.

The @context is inline, so no consumer has to fetch anything; literals carry the "zh-Hans" tag.
"""

import re

from cms.catalogue.choices import UpdateCycle

LANGUAGE = "zh-Hans"
CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
CATALOG_TITLE = "济源市政务信息资源目录"
CATALOG_DESCRIPTION = "济源市各部门政务信息资源的名称、提供方、共享与开放属性等元数据。"
PUBLISHER = "济源市人民政府"

# Dublin Core's frequency vocabulary, the one the DCAT recommendation's examples use.
FREQUENCY = "http://purl.org/cld/freq/"
FREQUENCIES = {
    UpdateCycle.REALTIME: "continuous",
    UpdateCycle.DAILY: "daily",
    UpdateCycle.WEEKLY: "weekly",
    UpdateCycle.MONTHLY: "monthly",
    UpdateCycle.QUARTERLY: "quarterly",
    UpdateCycle.HALF_YEARLY: "semiannual",
    UpdateCycle.YEARLY: "annual",
    UpdateCycle.IRREGULAR: "irregular",
}
# 格式说明 as typed by editors ("XLSX", "csv 文件") → an IANA media type, when it names one.
MEDIA_TYPES = {
    "csv": "text/csv",
    "json": "application/json",
    "xml": "application/xml",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "xls": "application/vnd.ms-excel",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "doc": "application/msword",
    "zip": "application/zip",
    "html": "text/html",
    "txt": "text/plain",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "shp": "application/vnd.shp",
    "geojson": "application/geo+json",
}
IANA = "https://www.iana.org/assignments/media-types/"
_WORD = re.compile(r"[a-z0-9]+")


def text(value):
    return {"@value": value, "@language": LANGUAGE}


def catalog_head(base, catalog_url):
    """The catalog without its datasets; the writer streams them into "dcat:dataset"."""
    return {
        "@context": CONTEXT,
        "@id": catalog_url,
        "@type": "dcat:Catalog",
        "dct:title": text(CATALOG_TITLE),
        "dct:description": text(CATALOG_DESCRIPTION),
        "dct:language": {"@id": "http://id.loc.gov/vocabulary/iso639-1/zh"},
        "dct:publisher": {"@type": "foaf:Agent", "foaf:name": text(PUBLISHER)},
        "foaf:homepage": {"@id": base + "/ziyuan/"},
    }


def media_type(format_detail):
    for word in _WORD.findall((format_detail or "").lower()):
        if word in MEDIA_TYPES:
            return MEDIA_TYPES[word]
    return None


def dataset(resource, exporter):
    """One dcat:Dataset. A public export of a resource that does not show details (不予开放) keeps
    only what identifies it (as the public page does): no description, keywords or distribution."""
    url = exporter.url(resource)
    labels = exporter.labels
    node = {
        "@id": url,
        "@type": "dcat:Dataset",
        "dct:identifier": resource.code,
        "dct:title": text(resource.name),
        "dct:publisher": {"@type": "foaf:Agent", "foaf:name": text(resource.department.name)},
        "dcat:theme": {
            "@type": "skos:Concept",
            "skos:notation": resource.classification.code,
            "skos:prefLabel": text(exporter.paths.get(resource.classification.code, "")),
        },
        "dct:issued": {"@value": resource.released_on.isoformat(), "@type": "xsd:date"},
        "dct:accrualPeriodicity": {"@id": FREQUENCY + FREQUENCIES.get(resource.update_cycle, "irregular")},
        "dct:accessRights": {
            "@type": "dct:RightsStatement",
            "rdfs:label": text(labels["openness"].get(resource.openness, resource.openness)),
        },
        "dcat:landingPage": {"@id": url},
    }
    if exporter.hides(resource):
        return node
    node["dct:modified"] = {"@value": resource.updated_at.isoformat(), "@type": "xsd:dateTime"}
    if resource.keyword_list:
        node["dcat:keyword"] = [text(keyword) for keyword in resource.keyword_list]
    if resource.summary:
        node["dct:description"] = text(resource.summary)
    distribution = {
        "@type": "dcat:Distribution",
        "dcat:accessURL": {"@id": url},
        "dct:format": text(
            " ".join(
                part
                for part in (labels["resource_format"].get(resource.resource_format), resource.format_detail)
                if part
            )
        ),
    }
    media = media_type(resource.format_detail)
    if media:
        distribution["dcat:mediaType"] = {"@id": IANA + media}
    node["dcat:distribution"] = distribution
    return node
