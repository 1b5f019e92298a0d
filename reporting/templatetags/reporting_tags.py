from django import template
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()

_PROGRESS_COLOURS = {
    "not_yet_due": "grey",
    "due": "blue",
    "overdue": "red",
    "submitted": "turquoise",
    "sent_back": "orange",
    "accepted": "green",
}
_RAG_COLOURS = {"red": "red", "amber": "yellow", "green": "green"}


@register.simple_tag
def progress_tag(quarterly_return, today=None):
    """The return's status as users know it (not yet due, due, overdue, submitted, sent back, accepted)."""
    progress = quarterly_return.progress(today or timezone.localdate())
    return format_html('<strong class="govuk-tag govuk-tag--{}">{}</strong>', _PROGRESS_COLOURS[progress], progress.label)


@register.filter
def is_late(quarterly_return):
    return quarterly_return.is_late(timezone.localdate())


@register.simple_tag
def rag_tag(rag):
    if not rag:
        return mark_safe('<strong class="govuk-tag govuk-tag--grey">Not rated</strong>')  # noqa: S308 - constant
    return format_html('<strong class="govuk-tag govuk-tag--{}">{}</strong>', _RAG_COLOURS[rag], rag.capitalize())


@register.simple_tag
def rag_counts(quarterly_return):
    """Red, amber and green counts of an annotated return (``return_list``)."""
    parts = [(c, getattr(quarterly_return, c, 0)) for c in ("red", "amber", "green")]
    shown = [(c, n) for c, n in parts if n]
    if not shown:
        return "None yet"
    return format_html_join(
        " ", '<strong class="govuk-tag govuk-tag--{}">{} {}</strong>', ((_RAG_COLOURS[c], n, c.capitalize()) for c, n in shown)
    )


@register.filter
def status_label(value):
    """A stored return status as users read it: sent_back → Sent back."""
    from reporting.models import QuarterlyReturn

    try:
        return QuarterlyReturn.Status(value).label
    except ValueError:
        return value
