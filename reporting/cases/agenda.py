"""A monitoring meeting's agenda, built from the quarter's exceptions: red standards, open
escalation cases (overdue steps first), late or missing returns, improvements whose target
date slipped or passed, notices served, and open actions from earlier meetings."""

from __future__ import annotations

import datetime as dt

from agreements.models import Agreement, ServiceNotice
from reporting.cases.models import AgendaItem, EscalationCase, MeetingAction
from reporting.improvement.models import Improvement, ImprovementStatus
from reporting.models import QuarterlyReturn, Rag, StandardResult
from services.periods import Quarter


def agenda_for(*, agreement: Agreement, quarter: Quarter, today: dt.date) -> list[AgendaItem]:
    """Unsaved agenda items, in the order the meeting takes them."""
    items: list[AgendaItem] = []
    reds = (
        StandardResult.objects.filter(
            quarterly_return__agreement=agreement,
            quarterly_return__financial_year=quarter.year,
            quarterly_return__quarter=quarter.number,
            rag=Rag.RED,
        )
        .select_related("standard__schedule__service__department", "quarterly_return")
        .order_by("standard__schedule__service__department__name", "standard__title")
    )
    for result in reds:
        standard = result.standard
        figure = standard.format_value(result.actual) or result.get_milestone_outcome_display()
        target = standard.format_value(result.target_value)
        against = f" against a target of {target}" if target else ""
        items.append(
            AgendaItem(
                kind=AgendaItem.Kind.RED,
                standard=standard,
                title=f"Red: {standard.title} ({standard.schedule.service.department.name})",
                detail=f"{quarter.label}: {figure}{against}. {result.commentary}".strip(),
            )
        )
    cases = (
        EscalationCase.objects.filter(agreement=agreement, status=EscalationCase.Status.OPEN)
        .select_related("standard", "department", "agreement__almo", "agreement__council")
        .prefetch_related("steps")
    )
    for case in cases:
        current = next(
            (s for s in sorted(case.steps.all(), key=lambda s: (s.started_on, s.pk), reverse=True) if not s.outcome),
            None,
        )
        where = (
            f"at step {current.position}, {current.title}, due {current.due_on:%-d %B %Y}"
            if current
            else "awaiting a step"
        )
        overdue = " (overdue)" if current and current.is_overdue(today) else ""
        items.append(
            AgendaItem(
                kind=AgendaItem.Kind.CASE,
                case=case,
                standard=case.standard,
                title=f"Escalation case {case.pk}: {case.subject}, against {case.against}",
                detail=f"Opened {case.opened_on:%-d %B %Y}, {where}{overdue}. {case.reason}",
            )
        )
    returns = (
        QuarterlyReturn.objects.filter(agreement=agreement, financial_year=quarter.year, quarter=quarter.number)
        .select_related("department")
        .order_by("department__name")
    )
    for ret in returns:
        if ret.submitted_at is None and today > ret.due_date:
            items.append(
                AgendaItem(
                    kind=AgendaItem.Kind.LATE_RETURN,
                    title=f"Return missing: {ret.department}",
                    detail=f"Due {ret.due_date:%-d %B %Y}; not yet submitted.",
                )
            )
        elif ret.submitted_at is not None and ret.is_late(today):
            items.append(
                AgendaItem(
                    kind=AgendaItem.Kind.LATE_RETURN,
                    title=f"Return late: {ret.department}",
                    detail=f"Due {ret.due_date:%-d %B %Y}; submitted {ret.submitted_at:%-d %B %Y}.",
                )
            )
    improvements = (
        Improvement.objects.filter(theme__plan__almo_id=agreement.almo_id, theme__plan__status="approved")
        .exclude(status=ImprovementStatus.DONE)
        .select_related("theme")
        .order_by("target_date")
    )
    for improvement in improvements:
        slipped, overdue = improvement.has_slipped, improvement.is_overdue(today)
        if not (slipped or overdue):
            continue
        what = []
        if slipped:
            what.append(
                f"target date moved from {improvement.original_target_date:%-d %B %Y}"
                f" to {improvement.target_date:%-d %B %Y}"
            )
        if overdue:
            what.append(f"past its target date of {improvement.target_date:%-d %B %Y}")
        items.append(
            AgendaItem(
                kind=AgendaItem.Kind.SLIPPED,
                improvement=improvement,
                title=f"Improvement {improvement.reference}: {improvement.title}",
                detail=f"Lead officer {improvement.lead_officer}; " + " and ".join(what) + ".",
            )
        )
    notices = ServiceNotice.objects.filter(
        schedule__agreement=agreement, withdrawn_on__isnull=True, served_on__lte=quarter.end
    ).select_related("schedule__service__department")
    for notice in notices:
        items.append(
            AgendaItem(
                kind=AgendaItem.Kind.NOTICE,
                title=f"Notice served: {notice.schedule.service}",
                detail=f"Served {notice.served_on:%-d %B %Y}, takes effect {notice.effective_date:%-d %B %Y}."
                f" {notice.reason}",
            )
        )
    open_actions = MeetingAction.objects.filter(meeting__agreement=agreement, done_on__isnull=True).order_by("due_date")
    for action in open_actions:
        items.append(
            AgendaItem(
                kind=AgendaItem.Kind.ACTION,
                title=f"Open action: {action.description[:200]}",
                detail=f"Owner {action.owner}; due {action.due_date:%-d %B %Y}"
                + (" (overdue)." if action.is_overdue(today) else "."),
            )
        )
    return items
