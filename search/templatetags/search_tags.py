"""Template helpers of the search page."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def facet_options(options, selected_label, count_label):
    """The <li> links of facet options. Built in Python: a page has about a hundred options, and an
    {% include %} per option was the slowest part of rendering the results page."""
    return format_html_join(
        "\n",
        '<li><a class="facet-option{}" href="{}"{}>'
        '<span class="facet-option__check" aria-hidden="true">{}</span>'
        '<span class="facet-option__label">{}{}</span>'
        '<span class="count"><span class="visually-hidden">{}</span>{}</span></a></li>',
        (
            (
                " is-selected" if o.selected else "",
                o.url,
                mark_safe(' aria-current="true"') if o.selected else "",
                "✓" if o.selected else "",
                format_html('<span class="visually-hidden">{}</span>', selected_label) if o.selected else "",
                o.label,
                count_label,
                o.count,
            )
            for o in options
        ),
    )


@register.filter
def facet_label(value, name):
    """The label of a facet's value (``{{ item.status|facet_label:"status" }}`` → 正在招标); "" for none."""
    from search.engines.facets import label_for
    from search.params import FACETS

    facet = next((f for f in FACETS if f.name == name), None)
    return label_for(facet, value) if facet is not None and value else ""
