"""Template tags of online applications: ``{% load application_tags %}``."""

from django import template

from cms.applications import ratings

register = template.Library()


@register.inclusion_tag("applications/includes/rating_summary.html")
def rating_summary(guide, heading_level=2):
    """The public 好差评 statistics of ``guide``'s service (by its 事项编码): number of ratings, 好评率 and
    the distribution over the five levels; a "no ratings yet" line when there are none.

    ``{% rating_summary page %}`` on a guide page; ``heading_level`` sets the heading (h2 by default)."""
    code = getattr(guide, "item_code", None) or getattr(guide, "service_code", "")
    return {
        "summary": ratings.summary(code) if code else None,
        "heading_tag": f"h{min(max(int(heading_level), 2), 6)}",
        "guide": guide,
    }


@register.filter
def mask_email(value):
    """``wangxm@example.com`` -> ``wa****@example.com``."""
    local, at, domain = (value or "").partition("@")
    if not at:
        return ""
    return f"{local[:2]}{'*' * max(len(local) - 2, 2)}@{domain}"


@register.filter
def file_size(value):
    from cms.casework.uploads import format_size

    return format_size(int(value or 0))
