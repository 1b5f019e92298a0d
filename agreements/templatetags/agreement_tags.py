from decimal import Decimal, InvalidOperation

from django import template
from django.utils.html import format_html

register = template.Library()

_STATUS_COLOURS = {
    "draft": "grey",
    "out_for_comment": "yellow",
    "awaiting_signature": "purple",
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


@register.filter
def iso_date(value):
    """A date stored as ISO text in a snapshot, written as 30 September 2025."""
    import datetime as dt

    if not value:
        return ""
    try:
        return f"{dt.date.fromisoformat(str(value)):%-d %B %Y}"
    except ValueError:
        return value


@register.filter
def snapshot_money(value, places=0):
    """Money stored as text in a snapshot."""
    if value in (None, ""):
        return ""
    try:
        return money(Decimal(str(value)), places)
    except InvalidOperation:
        return value


@register.filter
def signed_money(value):
    """+£1,000 / −£1,000 / £0."""
    if value is None:
        return ""
    if value > 0:
        return f"+£{value:,.0f}"
    if value < 0:
        return f"−£{-value:,.0f}"
    return "£0"


@register.filter
def signed_percent(value):
    """+12.5% / −3.0%; blank for None."""
    if value is None:
        return ""
    sign = "+" if value > 0 else ("−" if value < 0 else "")
    return f"{sign}{abs(value)}%"


_COMMENT_COLOURS = {"open": "yellow", "accepted": "green", "rejected": "red", "answered": "blue"}


@register.simple_tag
def comment_tag(comment):
    return format_html(
        '<strong class="govuk-tag govuk-tag--{}">{}</strong>',
        _COMMENT_COLOURS.get(comment.status, "grey"),
        comment.get_status_display(),
    )


@register.filter
def choice_label(value, choices):
    """The label of a stored choice value (e.g. in a snapshot)."""
    return dict(choices).get(value, value)
