"""What each published thing contributes to the site search, as plain fields (no segmentation).

    key_for(obj)          -> "page:12" / "resource:7"
    fields_for_key(key)   -> dict of SearchEntry fields (public only), or None: not searchable
                             (unpublished, private, deleted, or excluded)

New content types (service guides, procurement notices) join by giving their page class a
``search_kind`` attribute (a ``Kind`` value) and, as needed:

* ``search_identifiers()`` -> codes found as identifiers (a guide's 事项编码);
* ``search_text()``        -> the public text to search instead of the summary and StreamField body;
* ``search_facets()``      -> values of the kind's own facets ({"online_level": "full", "audience": [...]}).

Procurement (``search_kind = "procurement"``): a project page and its notices (child pages). The project
number is the identifier of both (the project outranks its notices for it: ``notice_type`` is blank on the
project only); a notice carries its project's facets (status, method, budget band) and buyer (department).
"""

from django.utils import timezone
from wagtail.models import Page, PageViewRestriction

from search.models.entry import Kind
from search.params import MULTI_VALUED
from search.pinyin import pinyin_keys
from search.text import normalize_identifier, plain_text

PAGE, RESOURCE = "page", "resource"


def key_for(obj):
    from cms.catalogue.models import Resource

    if isinstance(obj, Resource):
        return f"{RESOURCE}:{obj.pk}"
    if isinstance(obj, Page):
        return f"{PAGE}:{obj.pk}"
    raise TypeError(f"not searchable: {obj!r}")


def parse_key(key):
    source, _, pk = key.partition(":")
    return source, int(pk)


def fields_for_key(key):
    source, pk = parse_key(key)
    if source == PAGE:
        page = Page.objects.filter(pk=pk).first()
        return page_fields(page.specific) if page else None
    if source == RESOURCE:
        from cms.catalogue.models import Resource

        resource = Resource.objects.with_relations().filter(pk=pk).first()
        return resource_fields(resource) if resource else None
    return None


def _date(page):
    for name in ("published_on", "date", "updated_on"):
        value = getattr(page, name, None)
        if value:
            return value
    if getattr(page, "search_kind", None) == Kind.PROCUREMENT:
        # A notice's date is when it was first published (as on ccgp.gov.cn; correcting a typo
        # does not make it new); a project's, that of its latest notice.
        stamp = getattr(page, "latest_notice_at", None) or page.first_published_at
    else:
        stamp = page.last_published_at or page.first_published_at
    return timezone.localdate(stamp) if stamp else None


def is_searchable_page(page):
    if not page.live or page.depth <= 2 or getattr(page, "search_exclude", False):
        return False  # the tree root, the home page and pages that opt out
    if hasattr(page, "project_is_live") and not page.project_is_live():
        return False  # a procurement notice goes with its project
    restricted = PageViewRestriction.objects.filter(
        page__in=Page.objects.ancestor_of(page, inclusive=True)
    ).exists()
    return not restricted


def page_kind(page):
    from cms.disclosure.models import DisclosureDocument, Interpretation
    from cms.news.models import NewsPage
    from cms.procurement.models import ProcurementDepartmentPage

    if isinstance(page, Interpretation):
        return Kind.INTERPRETATION
    if isinstance(page, DisclosureDocument):
        return Kind.DOCUMENT
    if isinstance(page, NewsPage):
        return Kind.NEWS
    if isinstance(page, ProcurementDepartmentPage):
        # A buyer's list of projects (济源市教育局政府采购): found by its name, but twenty of them
        # must not outrank everything else for 政府采购 as section pages would.
        return Kind.PROCUREMENT
    return getattr(page, "search_kind", Kind.PAGE)


def page_fields(page):
    if page is None or not is_searchable_page(page):
        return None
    department = getattr(page, "department", None)
    topic = getattr(page, "topic", None)
    identifiers = [getattr(page, n, "") for n in ("document_number", "index_number")]
    if hasattr(page, "search_identifiers"):
        identifiers += page.search_identifiers()
    keywords = getattr(page, "keywords", "") or ""
    text = page.search_text() if hasattr(page, "search_text") else plain_text(page)
    date = _date(page)
    names = []
    if department is not None and page.title in (department.name, department.short_name):
        names = [department.name, department.short_name]  # a department's own page: findable by pinyin
    fields = {
        "kind": page_kind(page),
        "url": page.get_url() or page.url_path,
        "title": page.title,
        "summary": getattr(page, "summary", "") or page.search_description or "",
        "text": "\n".join(p for p in (keywords, text) if p),
        "identifiers": [normalize_identifier(i) for i in identifiers if i],
        "pinyin": [*pinyin_keys(*names), department.slug] if names else [],
        "department": department.slug if department else "",
        "department_name": department.name if department else "",
        "topic": topic.code if topic else "",
        "topic_name": topic.name if topic else "",
        "date": date,
        "genre": getattr(page, "genre", "") or "",
        "validity": getattr(page, "validity", "") or "",
        "notice_type": getattr(page, "notice_type", "") or "",
    }
    if hasattr(page, "search_facets"):
        fields.update(facet_values(page.search_facets()))
    return fields


def facet_values(facets):
    """A kind's own facet values as SearchEntry columns: a multi-valued facet space-padded (" a b ")."""
    values = {}
    for name, value in facets.items():
        if name in MULTI_VALUED:
            value = f" {' '.join(value)} " if value else ""
        values[name] = value or ""
    return values


def resource_fields(resource):
    """Only what the resource's openness lets the public see (Resource.shows_details)."""
    department = resource.department
    text = []
    if resource.shows_details:
        text = [resource.summary, resource.keywords]
        text += [f"{item.name} {item.description}" for item in resource.data_items.all()]
    return {
        "kind": Kind.RESOURCE,
        "url": resource.get_absolute_url(),
        "title": resource.name,
        "summary": resource.summary if resource.shows_details else "",
        "text": "\n".join(t for t in text if t),
        "identifiers": [normalize_identifier(resource.code)],
        "pinyin": pinyin_keys(resource.name),
        "department": department.slug,
        "department_name": department.name,
        "topic": "",
        "topic_name": "",
        "date": resource.released_on,
        "catalogue": resource.code[0],
        "classification": resource.front_code,
        "sharing": resource.sharing if resource.shows_details else "",  # not public when closed
        "openness": resource.openness,
    }
