"""Tags for improvement plans and escalation cases: status tags, and the include that shows
on a schedule page the improvements working on its standards."""

from django import template
from django.utils.html import format_html

from reporting.improvement.selectors import improvements_for_schedule

register = template.Library()

_IMPROVEMENT_COLOURS = {"not_started": "grey", "on_track": "green", "at_risk": "yellow", "late": "red", "done": "blue"}
_IMPROVEMENT_LABELS = {"not_started": "Not started", "on_track": "On track", "at_risk": "At risk", "late": "Late", "done": "Done"}
_BAND_COLOURS = {"red": "red", "amber": "orange", "green": "green"}


@register.simple_tag
def improvement_status_tag(status):
    return format_html(
        '<strong class="govuk-tag govuk-tag--{}">{}</strong>', _IMPROVEMENT_COLOURS.get(status, "grey"),
        _IMPROVEMENT_LABELS.get(status, status),
    )


@register.simple_tag
def shown_status_tag(improvement, today):
    return improvement_status_tag(improvement.shown_status(today))


@register.simple_tag
def case_status_tag(case):
    if case.status == "open":
        return format_html('<strong class="govuk-tag govuk-tag--orange">{}</strong>', "Open")
    return format_html('<strong class="govuk-tag govuk-tag--grey">{}</strong>', f"Closed: {case.get_closure_display().lower()}")


@register.inclusion_tag("reporting/improvement/_schedule_improvements.html", takes_context=True)
def schedule_improvements(context, schedule):
    """Improvements (that the signed-in user may see) working on the schedule's standards."""
    request = context.get("request")
    user = getattr(request, "user", None)
    rows = improvements_for_schedule(user=user, schedule=schedule) if user is not None else []
    return {"rows": rows}
