"""Template helpers of the public theme (themes/<name>/templates).

{% load portal_tags %}
    {% filter_url filters department="czj" page=None %}  -> "?department=czj"
    {% page_numbers documents as numbers %}             -> [1, 2, "…", 9, 10]
    {% html_lang as lang %}                             -> "zh-Hans"
    {% nav_current item.href %}                         -> ' aria-current="page"' / ' class="is-active"'
"""

from django import template
from django.utils.encoding import uri_to_iri
from django.utils.html import format_html
from django.utils.translation import get_language, gettext

register = template.Library()

# A probe string: when the active language's catalogue translates it, the interface really is in
# that language; otherwise everything on the page is still Chinese and must be declared so.
_PROBE = "跳到主要内容"
_CONTENT_LANGUAGE = "zh-Hans"


def bcp47(code):
    """Django's language code ("zh-hans", "en-us") as a BCP 47 tag ("zh-Hans", "en-US")."""
    if not code:
        return _CONTENT_LANGUAGE
    parts = code.replace("_", "-").split("-")
    tag = [parts[0].lower()]
    for part in parts[1:]:
        if len(part) == 4:
            tag.append(part.title())  # script subtag: Hans, Hant
        elif len(part) == 2:
            tag.append(part.upper())  # region subtag: CN, US
        else:
            tag.append(part.lower())
    return "-".join(tag)


register.filter("bcp47", bcp47)


@register.simple_tag
def html_lang():
    """The language of the page's interface, for <html lang>.

    The active language when the interface is translated into it, otherwise Chinese: an English
    visitor who switched language before an English catalogue exists still gets Chinese text, and
    assistive technology must read it as Chinese (WCAG 3.1.1).
    """
    code = get_language() or "zh-hans"
    if code.lower().startswith("zh") or gettext(_PROBE) != _PROBE:
        return bcp47(code)
    return _CONTENT_LANGUAGE


@register.simple_tag
def filter_url(filters, **changes):
    """ "?" + the catalogue query for ``filters`` with ``changes``; ``page=N`` is appended last.

    ``None`` or "" clears a filter. Unknown names are ignored rather than breaking the page.
    """
    page = changes.pop("page", None)
    known = set(getattr(filters, "__dataclass_fields__", {}))
    cleaned = {}
    for name, value in changes.items():
        if name not in known:
            continue
        if value in ("", None):
            value = None if name == "year" else ""
        cleaned[name] = value
    if "sort" in cleaned and not cleaned["sort"]:
        cleaned.pop("sort")
    query = filters.to_query(**cleaned)
    if page not in (None, "", 1, "1"):
        query = f"{query}&page={page}" if query else f"page={page}"
    return f"?{query}" if query else "?"


@register.simple_tag
def page_numbers(page_obj, on_each_side=2, on_ends=1):
    """The page numbers to link, with "…" for gaps (Django's elided page range)."""
    paginator = page_obj.paginator
    return list(paginator.get_elided_page_range(page_obj.number, on_each_side=on_each_side, on_ends=on_ends))


@register.simple_tag(takes_context=True)
def nav_current(context, href):
    """Mark the navigation item of the current page (aria-current) or of its section (a class)."""
    request = context.get("request")
    if request is None or not href or href == "#":
        return ""
    path = request.path
    if href == path:
        return format_html(' aria-current="{}"', "page")
    if href != "/" and href.startswith("/") and path.startswith(href):
        return format_html(' class="{}"', "is-active")
    return ""


@register.filter
def get_item(mapping, key):
    """``facets|get_item:"department"``: a dict lookup with a variable key."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def upper_ext(extension):
    return (extension or "").lstrip(".").upper()


@register.filter
def iri(uri):
    """A percent-encoded address made readable (Chinese slugs), e.g. for the printed page address."""
    return uri_to_iri(str(uri))
