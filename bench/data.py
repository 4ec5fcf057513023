"""Benchmark data: generated resources and documents as search source fields (no pages).

The benchmark measures the search, so it writes SearchEntry rows straight from the generators
instead of building 50,000 Wagtail pages; the fields are the ones search.sources gives real items.
"""

import datetime

from cms.core.data.topics import TOPIC_NAMES
from fixtures.departments import DEPARTMENTS_BY_SLUG


def _department(slug):
    department = DEPARTMENTS_BY_SLUG.get(slug)
    return department["name"] if department else slug


def document_fields(data, number):
    from search.text import normalize_identifier

    published = datetime.date.fromisoformat(data["published_on"])
    index_number = f"B{number % 31:08d}/{published.year}-{number:05d}"
    return f"doc:{number}", {
        "kind": "document",
        "url": f"/xxgk/{data['department']}/{data['key']}/",
        "title": data["title"],
        "summary": data["summary"],
        "text": "\n".join([" ".join(data["keywords"]), data["summary"], *data["body"]]),
        "identifiers": [normalize_identifier(n) for n in (data["document_number"], index_number) if n],
        "pinyin": [],
        "department": data["department"],
        "department_name": _department(data["department"]),
        "topic": data["topic"],
        "topic_name": TOPIC_NAMES.get(data["topic"], ""),
        "date": published,
        "genre": data["genre"],
        "validity": data["validity"],
    }


def resource_fields(data, number):
    from search.pinyin import pinyin_keys
    from search.text import normalize_identifier

    shows = data["openness"] != "closed"
    text = [data["summary"], data["keywords"]] if shows else []
    if shows:
        text += [f"{item['name']} {item['description']}" for item in data["data_items"]]
    front, seq = data["code"].split("/")
    return f"res:{number}", {
        "kind": "resource",
        "url": f"/ziyuan/{front}/{seq}/",
        "title": data["name"],
        "summary": data["summary"] if shows else "",
        "text": "\n".join(t for t in text if t),
        "identifiers": [normalize_identifier(data["code"])],
        "pinyin": pinyin_keys(data["name"]),
        "department": data["department"],
        "department_name": _department(data["department"]),
        "topic": "",
        "topic_name": "",
        "date": datetime.date.fromisoformat(data["released_on"]),
        "catalogue": data["code"][0],
        "classification": front,
        "sharing": data["sharing"] if shows else "",
        "openness": data["openness"],
    }


def iter_sources(resources, documents):
    from fixtures.generator import iter_documents, iter_resources

    for number, data in enumerate(iter_resources(resources), start=1):
        yield resource_fields(data, number)
    for number, data in enumerate(iter_documents(documents), start=1):
        yield document_fields(data, number)


def iter_raw(resources, documents):
    """(kind, number, generator dict): cheap to produce, pickled to the worker processes."""
    from fixtures.generator import iter_documents, iter_resources

    for number, data in enumerate(iter_resources(resources), start=1):
        yield "resource", number, data
    for number, data in enumerate(iter_documents(documents), start=1):
        yield "document", number, data


def build(item):
    """In a worker process: source fields, pinyin and jieba → (key, SearchEntry values)."""
    from search.entries import enrich

    kind, number, data = item
    key, fields = (resource_fields if kind == "resource" else document_fields)(data, number)
    return key, enrich(fields)
