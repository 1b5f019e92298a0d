from django import template
from django.utils.html import format_html

register = template.Library()

_STATUS_COLOURS = {
    "draft": "grey",
    "out_for_comment": "yellow",
    "agreed": "blue",
    "active": "green",
    "ended": "red",
}


@register.simple_tag
def status_tag(agreement):
    """The agreement's status as a GOV.UK tag."""
    colour = _STATUS_COLOURS.get(agreement.status, "grey")
    return format_html('<strong class="govuk-tag govuk-tag--{}">{}</strong>', colour, agreement.get_status_display())


@register.filter
def money(value, places=0):
    """£1,234 (or £1,234.56 with ``places=2``); blank for None."""
    if value is None or value == "":
        return ""
    return f"£{value:,.{int(places)}f}"


@register.filter
def months(value):
    if value is None:
        return ""
    return f"{value} month{'s' if value != 1 else ''}"


@register.filter
def in_unit(value, standard):
    """A figure written in its standard's unit: 96.5%, 24 hours, £1,500.00."""
    return standard.format_value(value)
