"""Template tags for costs, value for money and notices: the dashboard panel, the
agreement's notices panel, and small formatting helpers."""

from __future__ import annotations

from decimal import Decimal

import rules
from django import template
from django.utils import timezone
from django.utils.html import format_html

from services import costs, selectors
from services.periods import financial_year_start
from services.value_for_money import DEFAULT_THRESHOLD, vfm_rows

register = template.Library()

_RAG_COLOURS = {"red": "red", "amber": "yellow", "green": "green"}


@register.simple_tag
def rag_tag(rag: str, label: str = ""):
    """A RAG as a GOV.UK tag, in words as well as colour ("2026/27 Q1: Red"); grey when blank."""
    text = rag.title() if rag else "No result"
    if label:
        text = f"{label}: {text if rag else text.lower()}"
    return format_html('<strong class="govuk-tag govuk-tag--{}">{}</strong>', _RAG_COLOURS.get(rag, "grey"), text)


@register.filter
def signed_percent(value):
    """+12.5% / −3.0%; blank for None."""
    if value is None:
        return ""
    sign = "+" if value > 0 else ("−" if value < 0 else "")
    return f"{sign}{abs(value)}%"


@register.filter
def signed_money(value):
    if value is None:
        return ""
    sign = "+" if value > 0 else ("−" if value < 0 else "")
    return f"{sign}£{abs(value):,.0f}"


@register.inclusion_tag("services/includes/dashboard_costs_and_notices.html", takes_context=True)
def dashboard_costs_and_notices(context):
    """Total annual cost, services above benchmark and notices due or in force, in two queries
    whatever the data size. Department officers, who do not see value for money or notices,
    get nothing (their department's cost is already on the dashboard)."""
    request = context["request"]
    user = request.user
    if not rules.has_perm("services.view_value_for_money", user):
        return {"show": False}
    today = timezone.localdate()
    year = financial_year_start(today)
    schedules = selectors.dashboard_cost_schedules(user=user, year=year)
    totals = costs.cost_totals(schedules, year=year)
    rows = vfm_rows(
        schedules,
        benchmarks=selectors.benchmarks_for_schedules_query(selectors.cost_schedules(user=user)),
        rag_results=[],
        market_tests=[],
        year=year,
        threshold=DEFAULT_THRESHOLD,
        quarters=[],
    )
    above = sorted((r for r in rows if r.above_threshold), key=lambda r: -(r.difference or Decimal("0")))
    under_notice = sorted(
        (s for s in schedules if s.open_notice_effective), key=lambda s: (s.open_notice_effective, s.service.name)
    )
    return {
        "show": True,
        "request": request,
        "totals": totals,
        "above": above,
        "threshold": DEFAULT_THRESHOLD,
        "under_notice": under_notice,
        "today": today,
    }


@register.inclusion_tag("agreements/includes/notices_panel_body.html", takes_context=True)
def agreement_notices_panel(context, agreement):
    """Services of the agreement under notice (and notices withdrawn), in one query."""
    user = context["request"].user
    if not rules.has_perm("services.view_value_for_money", user):
        return {"show": False}  # department officers do not see notice planning
    notices = selectors.notices_for_agreement(user=user, agreement=agreement)
    return {
        "show": True,
        "request": context["request"],
        "agreement": agreement,
        "open_notices": [n for n in notices if n.withdrawn_on is None],
        "withdrawn_notices": [n for n in notices if n.withdrawn_on is not None],
        "today": timezone.localdate(),
    }
