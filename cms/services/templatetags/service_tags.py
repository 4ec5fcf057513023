"""Template helpers of the service guide (themes/<name>/templates/services/).

{% load service_tags %}
    {{ guide.promised_days|working_days }}   -> "5个工作日" / "即办件（当场办结）"
    {{ guide.visits|visits }}                -> "1次" / "0次（零跑腿）"
    {{ document|file_info }}                 -> "DOCX，12.3 KB"
"""

from django import template
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def working_days(days):
    """Working days as guides state them; 0 is a same-day item (即办件)."""
    if days in (None, ""):
        return "—"
    if int(days) == 0:
        return _("即办件（当场办结）")
    return _("%(n)d个工作日") % {"n": int(days)}


@register.filter
def visits(count):
    """到现场次数; 0 is 零跑腿 (everything online, the result delivered)."""
    if count in (None, ""):
        return "—"
    if int(count) == 0:
        return _("0次（零跑腿）")
    return _("%(n)d次") % {"n": int(count)}


@register.filter
def file_info(document):
    """A downloadable document's type and size, e.g. "DOCX，12.3 KB" (no size when the file is missing)."""
    if document is None:
        return ""
    extension = (document.file_extension or "").lstrip(".").upper()
    size = document.get_file_size()
    return f"{extension}，{filesizeformat(size)}" if size else extension


@register.filter
def phone_href(number):
    """A tel: address for a phone number as written (0391-6633001 → tel:03916633001)."""
    digits = "".join(c for c in str(number or "") if c.isdigit() or c == "+")
    return f"tel:{digits}" if digits else ""
