from django import template
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from reporting.models import QuarterlyReturn
from reporting.rag import RAG_TAG_COLOURS, rag_label

register = template.Library()

_PROGRESS_COLOURS = {
    "not_yet_due": "grey",
    "due": "blue",
    "overdue": "red",
    "submitted": "turquoise",
    "sent_back": "orange",
    "accepted": "green",
}


@register.simple_tag
def progress_tag(quarterly_return, today=None):
    """The return's status as users know it (not yet due, due, overdue, submitted, sent back, accepted)."""
    progress = quarterly_return.progress(today or timezone.localdate())
    return format_html(
        '<strong class="govuk-tag govuk-tag--{}">{}</strong>', _PROGRESS_COLOURS[progress], progress.label
    )


@register.filter
def is_late(quarterly_return):
    return quarterly_return.is_late(timezone.localdate())


@register.simple_tag
def rag_tag(rag, label=""):
    """A RAG as a GOV.UK tag, in words as well as colour ("Red", or "2026/27 Q1: Red" with a label)."""
    text = rag_label(rag)
    if label:
        text = f"{label}: {text if rag else text.lower()}"
    return format_html(
        '<strong class="govuk-tag govuk-tag--{}">{}</strong>', RAG_TAG_COLOURS.get(rag or "", "grey"), text
    )


@register.simple_tag
def rag_counts(quarterly_return):
    """Red, amber and green counts of an annotated return (``return_list``)."""
    parts = [(c, getattr(quarterly_return, c, 0)) for c in ("red", "amber", "green")]
    shown = [(c, n) for c, n in parts if n]
    if not shown:
        return "None yet"
    return format_html_join(
        " ",
        '<strong class="govuk-tag govuk-tag--{}">{} {}</strong>',
        ((RAG_TAG_COLOURS[c], n, rag_label(c)) for c, n in shown),
    )


@register.filter
def status_label(value):
    """A stored return status as users read it: sent_back → Sent back."""
    try:
        return QuarterlyReturn.Status(value).label
    except ValueError:
        return value
