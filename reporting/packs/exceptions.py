"""The exceptions of a quarter: late and missing returns, departures from standard and
remedial actions."""

from __future__ import annotations

from django.utils import timezone

from reporting.packs.records import DepartureLine, ReturnLine


def late_and_missing(returns, schedules, quarter, today):
    late, missing = [], []
    seen = set()
    for ret in returns:
        seen.add(ret.department_id)
        submitted_on = timezone.localtime(ret.submitted_at).date() if ret.submitted_at else None
        if not submitted_on:
            if today > ret.due_date:
                missing.append(
                    ReturnLine(
                        ret.department.name, ret.due_date, ret.progress(today).label, None, (today - ret.due_date).days
                    )
                )
            continue
        if ret.is_late(today):
            late.append(
                ReturnLine(
                    ret.department.name,
                    ret.due_date,
                    ret.progress(today).label,
                    submitted_on,
                    (submitted_on - ret.due_date).days,
                )
            )
    for schedule in schedules:
        department = schedule.service.department
        if department.pk not in seen and today > quarter.end:
            seen.add(department.pk)
            missing.append(
                ReturnLine(department.name, quarter.end, "No return opened", None, (today - quarter.end).days)
            )
    return late, missing


def departures(queryset, today) -> list[DepartureLine]:
    rows = queryset.select_related(
        "result__standard__schedule__service__department", "result__quarterly_return"
    ).order_by(
        "result__standard__schedule__service__department__name",
        "result__standard__schedule__service__name",
        "target_date",
        "pk",
    )
    lines = []
    for d in rows:
        standard = d.result.standard
        ret = d.result.quarterly_return
        lines.append(
            DepartureLine(
                department=standard.schedule.service.department.name,
                service=standard.schedule.service.name,
                standard=standard.title,
                what_happened=d.what_happened,
                cases=d.cases,
                reason=d.reason,
                remedial_action=d.remedial_action,
                owner=d.owner,
                target_date=d.target_date,
                resolved=d.resolved,
                quarter=ret.period.label,
                overdue=not d.resolved and d.target_date < today,
            )
        )
    return lines
