"""Tags for improvement plans and escalation cases: status tags, and the include that shows
on a schedule page the improvements working on its standards."""

import rules
from django import template
from django.utils import timezone
from django.utils.html import format_html

from reporting.cases.selectors import open_actions, overdue_steps
from reporting.improvement.selectors import improvements_for_schedule

register = template.Library()

_IMPROVEMENT_COLOURS = {"not_started": "grey", "on_track": "green", "at_risk": "yellow", "late": "red", "done": "blue"}
_IMPROVEMENT_LABELS = {
    "not_started": "Not started",
    "on_track": "On track",
    "at_risk": "At risk",
    "late": "Late",
    "done": "Done",
}
_BAND_COLOURS = {"red": "red", "amber": "orange", "green": "green"}


@register.simple_tag
def improvement_status_tag(status):
    return format_html(
        '<strong class="govuk-tag govuk-tag--{}">{}</strong>',
        _IMPROVEMENT_COLOURS.get(status, "grey"),
        _IMPROVEMENT_LABELS.get(status, status),
    )


@register.simple_tag
def shown_status_tag(improvement, today):
    return improvement_status_tag(improvement.shown_status(today))


@register.simple_tag
def case_status_tag(case):
    if case.status == "open":
        return format_html('<strong class="govuk-tag govuk-tag--orange">{}</strong>', "Open")
    return format_html(
        '<strong class="govuk-tag govuk-tag--grey">{}</strong>', f"Closed: {case.get_closure_display().lower()}"
    )


@register.inclusion_tag("reporting/improvement/_schedule_improvements.html", takes_context=True)
def schedule_improvements(context, schedule):
    """Improvements (that the signed-in user may see) working on the schedule's standards."""
    request = context.get("request")
    user = getattr(request, "user", None)
    rows = improvements_for_schedule(user=user, schedule=schedule) if user is not None else []
    return {"rows": rows}


@register.inclusion_tag("reporting/cases/_agreement_links.html", takes_context=True)
def agreement_escalation_links(context, agreement):
    """On an agreement's page: its escalation procedure and service credits, for those who may read them."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "agreement": agreement,
        "show": user is not None and user.has_perm("reporting.view_escalationprocedure", agreement),
    }


@register.inclusion_tag("reporting/cases/_dashboard_tasks.html", takes_context=True)
def dashboard_escalation(context):
    """Task list entries: escalation steps past their time limit, and open meeting actions (four queries)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"show": False}
    today = timezone.localdate()
    overdue = overdue_steps(user=user, today=today)
    actions = list(open_actions(user=user, today=today)[:10])
    return {"show": bool(overdue or actions), "overdue": overdue[:10], "actions": actions, "today": today}


@register.simple_tag(takes_context=True)
def nav_area(context):
    """Which of the improvement / escalation menu items the current page belongs to ("" for neither)."""
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    if match is None or match.namespace != "reporting":
        return ""
    name = match.url_name or ""
    if name.startswith(("plan_", "theme_", "improvement_", "indicator_", "risk_", "steering_group_", "quick_win_")):
        return "improvement"
    if name.startswith(("case_", "meeting_", "procedure", "credits")):
        return "escalation"
    return ""


@register.inclusion_tag("reporting/improvement/_open_improvement_link.html", takes_context=True)
def open_improvement_link(context, kind, obj):
    """A link to open an improvement from a departure, case or value-for-money finding (coordinators, admins)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    # rules.has_perm, not user.has_perm: without an object Django's ModelBackend would query the user's
    # permissions (two queries) on pages that are not ours
    show = user is not None and rules.has_perm("reporting.add_improvementplan", user)
    return {"show": show, "kind": kind, "obj": obj}
