"""Quarterly returns history for the demo (and for ``seed_demo --scale``): deterministic, idempotent.

Every quarter from the agreement's start to the last one ended before ``today`` gets a
return per department; older ones are accepted; in the latest one most departments have
submitted, one has been sent back and one is overdue. The quarter in progress has
draft returns, not yet due. Responsive repairs misses its urgent-repairs target two
quarters running, so it is flagged for escalation.
"""

from __future__ import annotations

import datetime as dt
import random
import zlib
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from agreements.models import Agreement, Standard
from reporting.models import Departure, QuarterlyReturn, ReturnEvent, StandardResult, rag_for
from reporting.services import milestones_met_before, return_results_ensure
from services.periods import Quarter, add_working_days

OVERDUE_DEPARTMENT = "Democratic Services"
SENT_BACK_DEPARTMENT = "ICT Services"
ALWAYS_MISSES = "Urgent repairs completed within time limits"

_REASONS = [
    ("Two officers on long-term sick leave", "Agency cover arranged; backlog cleared by the end of next month"),
    (
        "System outage during the migration to the new case management system",
        "Supplier fixed the fault; cases re-keyed",
    ),
    ("Peak in demand after the storm in the second week", "Overtime approved; triage of requests by priority"),
    ("Contractor failed to attend appointments", "Contract default notice served; second contractor brought in"),
]


def _rng(*parts) -> random.Random:
    return random.Random(zlib.crc32("|".join(str(p) for p in parts).encode()))


def seed_returns_history(agreement: Agreement, *, today: dt.date | None = None) -> int:
    """Create the agreement's returns up to ``today``. Returns how many were created."""
    today = today or timezone.localdate()
    schedules = list(agreement.schedules.select_related("service__department").prefetch_related("standards__targets"))
    departments = {s.service.department_id: s.service.department for s in schedules}
    latest_ended = Quarter.containing(today).previous()
    quarter = Quarter.containing(agreement.start_date)
    created = 0
    with transaction.atomic():
        while quarter <= Quarter.containing(today):
            for department in departments.values():
                dept_standards = [
                    st for s in schedules if s.service.department_id == department.pk for st in s.standards.all()
                ]
                created += _seed_return(agreement, department, dept_standards, quarter, latest_ended, today)
            quarter = quarter.next()
    return created


def _seed_return(agreement, department, standards, quarter, latest_ended, today) -> int:
    due = add_working_days(quarter.end, agreement.return_due_working_days)
    ret, created = QuarterlyReturn.objects.get_or_create(
        agreement=agreement,
        department=department,
        financial_year=quarter.year,
        quarter=quarter.number,
        defaults={"due_date": due},
    )
    if not created:
        return 0
    coordinator = agreement.coordinator
    officer = department.profiles.select_related("user").first()
    submitter = officer.user if officer else coordinator
    ReturnEvent.objects.create(quarterly_return=ret, to_status=QuarterlyReturn.Status.DRAFT, comment="Quarter opened")
    overdue = quarter == latest_ended and department.name == OVERDUE_DEPARTMENT and today > due
    if quarter > latest_ended or overdue:
        # the quarter in progress (not yet due), or a return nobody has filled in: blank figures
        return_results_ensure(quarterly_return=ret)
        return 1
    already_met = milestones_met_before(standard_ids=[s.pk for s in standards], quarter=quarter)
    for standard in standards:
        if standard.pk not in already_met:  # a milestone met in an accepted quarter is not asked for again
            _seed_result(ret, standard, quarter, today)
    rng = _rng(department.slug, quarter.slug, "late")
    submitted = timezone.make_aware(
        dt.datetime.combine(add_working_days(due, rng.choice([-6, -3, -1, 0, 0, 2])), dt.time(10))
    )
    ret.status, ret.submitted_at, ret.submitted_by = QuarterlyReturn.Status.SUBMITTED, submitted, submitter
    ReturnEvent.objects.create(quarterly_return=ret, from_status="draft", to_status="submitted", by=submitter)
    if quarter == latest_ended and department.name == SENT_BACK_DEPARTMENT:
        ret.status, ret.reviewed_by, ret.reviewed_at = QuarterlyReturn.Status.SENT_BACK, coordinator, submitted
        ret.review_comment = "Please explain the fall in calls answered and give a date for the remedial action."
        ReturnEvent.objects.create(
            quarterly_return=ret,
            from_status="submitted",
            to_status="sent_back",
            by=coordinator,
            comment=ret.review_comment,
        )
    elif quarter < latest_ended or rng.random() < 0.6:
        ret.status, ret.reviewed_by, ret.reviewed_at = (
            QuarterlyReturn.Status.ACCEPTED,
            coordinator,
            submitted + dt.timedelta(days=3),
        )
        ReturnEvent.objects.create(quarterly_return=ret, from_status="submitted", to_status="accepted", by=coordinator)
    ret.save()
    return 1


def _seed_result(ret, standard: Standard, quarter: Quarter, today: dt.date) -> None:
    rng = _rng(standard.schedule.service.slug, standard.title, quarter.slug)
    result = StandardResult(quarterly_return=ret, standard=standard)
    if standard.kind == Standard.Kind.MILESTONE:
        if standard.due_date > quarter.end:
            result.commentary = f"On track for {standard.due_date:%d %B %Y}."
            result.save()
            return
        met = rng.random() < 0.75
        result.milestone_outcome = "met" if met else "not_met"
        result.delivered_on = standard.due_date - dt.timedelta(days=rng.randint(0, 20)) if met else None
        result.commentary = "Delivered and agreed." if met else "Delayed by partner consultation."
    else:
        target = standard.target_on(quarter.end)
        if target is None:
            result.save()
            return
        result.target_value = target.value
        escalated = standard.title == ALWAYS_MISSES and quarter >= Quarter.containing(today).previous().previous()
        miss = escalated or rng.random() < 0.15
        step = standard.amber_tolerance or Decimal("1")
        sign = 1 if standard.direction == Standard.Direction.HIGHER else -1
        if escalated:
            delta = -sign * step * 2
        elif miss:
            delta = -sign * step * Decimal(str(rng.choice([0.5, 1.5, 2.5])))
        else:
            delta = sign * step * Decimal(str(rng.choice([0, 0.2, 0.5])))
        actual = max(Decimal("0"), target.value + delta)
        if standard.unit == Standard.Unit.PERCENT:
            actual = min(actual, Decimal("100"))
        result.actual = actual.quantize(Decimal("0.1"))
        result.commentary = "Within target." if not miss else "Below target this quarter: see departures."
    result.rag = rag_for(standard, result.target_value, result.actual, result.milestone_outcome, result.delivered_on)
    result.save()
    if result.rag in ("red", "amber"):
        what, action = _REASONS[rng.randrange(len(_REASONS))]
        resolved = quarter < Quarter.containing(today).previous().previous()
        Departure.objects.create(
            result=result,
            what_happened=f"{standard.title}: missed in {quarter.label}",
            cases=rng.randint(2, 40),
            reason=what,
            remedial_action=action,
            owner=f"Head of {standard.schedule.service.department.name}",
            target_date=quarter.end + dt.timedelta(days=60),
            resolved=resolved,
            resolved_on=quarter.end + dt.timedelta(days=55) if resolved else None,
        )
