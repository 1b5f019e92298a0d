"""Seeds the demo ALMO's Service Improvement Plan (from ``demo_improvement_data``), its escalation
case for the standard red two quarters running, a monitoring meeting with its action log and,
for the full demo, service credits on the repairs standards. Idempotent."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from agreements.models import Agreement, Standard
from reporting.cases import services as cases
from reporting.cases.models import (
    Attendee,
    CriticalStandard,
    EscalationCase,
    MeetingAction,
    MonitoringMeeting,
    ServiceCreditScheme,
)
from reporting.demo_improvement_data import (
    IMPROVEMENTS,
    INDICATOR_BASELINE_YEAR,
    INDICATOR_FIRST_TARGET_YEAR,
    INDICATORS,
    PLAN,
    QUICK_WINS,
    RISKS,
    SCORED,
    STEERING_GROUPS,
    THEMES,
)
from reporting.improvement.models import (
    Improvement,
    ImprovementPlan,
    ImprovementTask,
    IndicatorTarget,
    KeyTheme,
    PerformanceIndicator,
    ProgressComment,
    QuickWin,
    ResourceAllocation,
    Risk,
    SteeringGroup,
    SteeringGroupMember,
    TargetDateRevision,
)
from services.periods import Quarter


def seed_improvement(*, main: Agreement, credits: bool = False, today: dt.date | None = None) -> ImprovementPlan:
    today = today or timezone.localdate()
    coordinator = main.coordinator or get_user_model().objects.get(username="coordinator")
    with transaction.atomic():
        plan = _seed_plan(main, coordinator, today)
        case = _seed_case(main, coordinator, today)
        _seed_meeting(main, coordinator, case, today)
        if credits:
            _seed_credits(main, coordinator)
    return plan


def _standard(main: Agreement, title: str) -> Standard | None:
    return Standard.objects.filter(schedule__agreement=main, title=title).first()


def _seed_plan(main, coordinator, today) -> ImprovementPlan:
    plan, created = ImprovementPlan.objects.get_or_create(
        almo=main.almo,
        title=PLAN["title"],
        defaults={
            **{k: v for k, v in PLAN.items() if k != "title"},
            "status": ImprovementPlan.Status.APPROVED,
            "approved_on": dt.date(2025, 6, 10),
            "approved_by": coordinator,
        },
    )
    if not created:
        return plan
    themes = {
        number: KeyTheme.objects.create(
            plan=plan, number=number, priority=priority, title=title, description=description
        )
        for number, priority, title, description in THEMES
    }
    for (
        number,
        ref,
        title,
        issue,
        outcome,
        lead,
        target,
        status,
        done_on,
        tasks,
        resources,
        revisions,
        standards,
        progress,
    ) in IMPROVEMENTS:
        current = revisions[-1][0] if revisions else target
        improvement = Improvement.objects.create(
            theme=themes[number],
            reference=ref,
            title=title,
            issue=issue,
            outcome=outcome,
            lead_officer=lead,
            original_target_date=target,
            target_date=current,
            status=status,
            completed_on=done_on,
            created_by=coordinator,
        )
        ImprovementTask.objects.bulk_create(
            [
                ImprovementTask(
                    improvement=improvement, description=t, position=n, done_on=done_on if done_on else None
                )
                for n, t in enumerate(tasks, start=1)
            ]
        )
        ResourceAllocation.objects.bulk_create(
            [
                ResourceAllocation(
                    improvement=improvement, post=post, headcount=headcount, percent_of_time=percent, note=note or ""
                )
                for post, headcount, percent, note in resources
            ]
        )
        previous = target
        for to_date, reason, agreed_by, agreed_on in revisions:
            TargetDateRevision.objects.create(
                improvement=improvement,
                from_date=previous,
                to_date=to_date,
                reason=reason,
                agreed_by=agreed_by,
                agreed_on=agreed_on,
                recorded_by=coordinator,
            )
            previous = to_date
        linked = [s for s in (_standard(main, t) for t in standards) if s is not None]
        improvement.standards.set(linked)
        ProgressComment.objects.create(improvement=improvement, body=progress, status=status, by=coordinator)
    for position, (number, code, title, unit, direction, baseline, note, targets, notes, standard) in enumerate(
        INDICATORS
    ):
        indicator = PerformanceIndicator.objects.create(
            theme=themes[number],
            code=code,
            title=title,
            unit=unit,
            direction=direction,
            baseline_year=INDICATOR_BASELINE_YEAR,
            baseline=baseline,
            baseline_note=note,
            position=position,
            standard=_standard(main, standard) if standard else None,
        )
        IndicatorTarget.objects.bulk_create(
            [
                IndicatorTarget(
                    indicator=indicator,
                    financial_year=INDICATOR_FIRST_TARGET_YEAR + n,
                    value=value,
                    note=notes.get(INDICATOR_FIRST_TARGET_YEAR + n, ""),
                )
                for n, value in enumerate(targets)
            ]
        )
    review = dt.date(2027, 1, 31)
    for number, area, level, consequences, mitigation in RISKS:
        likelihood, impact = SCORED.get(area, (None, None))
        Risk.objects.create(
            theme=themes[number],
            area=area,
            impact_level="" if likelihood else level,
            likelihood=likelihood,
            impact=impact,
            consequences=consequences,
            mitigation=mitigation,
            owner=next(i[5] for i in IMPROVEMENTS if i[0] == number),
            review_date=review,
        )
    for name, numbers, remit, members in STEERING_GROUPS:
        group = SteeringGroup.objects.create(plan=plan, name=name, remit=remit)
        group.themes.set([themes[n] for n in numbers])
        SteeringGroupMember.objects.bulk_create(
            [
                SteeringGroupMember(group=group, name=member, kind=kind, organisation=organisation)
                for member, kind, organisation in members
            ]
        )
    QuickWin.objects.bulk_create(
        [
            QuickWin(plan=plan, title=title, owner=owner, due_date=due, done_on=done)
            for title, owner, due, done in QUICK_WINS
        ]
    )
    return plan


def _seed_case(main, coordinator, today) -> EscalationCase | None:
    """The case the red-two-quarters rule opens for urgent repairs, taken through its first step."""
    quarter = Quarter.containing(today).previous()
    opened_on = min(today, quarter.end + dt.timedelta(days=20))
    cases.cases_sync(agreement=main, quarter=quarter, today=opened_on)
    case = (
        EscalationCase.objects.filter(
            agreement=main, automatic=True, trigger_year=quarter.year, trigger_quarter=quarter.number
        )
        .order_by("pk")
        .first()
    )
    if case is None or case.steps.exclude(outcome="").exists():
        return case
    decided = min(today, case.opened_on + dt.timedelta(days=10))
    cases.case_decide(
        case=case,
        user=coordinator,
        outcome="escalate",
        decision="The contractor's staffing plan does not recover urgent repairs this quarter: a formal improvement "
        "notice is to be served.",
        decided_by="Head of Property Services and the ALMO client officer",
        decided_on=decided,
    )
    theme = KeyTheme.objects.filter(plan__almo=main.almo, number=4).first()
    if theme is not None and not Improvement.objects.filter(source_case=case).exists():
        improvement = Improvement.objects.create(
            theme=theme,
            reference="KT4/6",
            title="Urgent repairs recovery plan",
            source_case=case,
            issue=case.reason,
            outcome="Urgent repairs back above target within two quarters.",
            lead_officer="Head of Property Services",
            original_target_date=decided + dt.timedelta(days=120),
            target_date=decided + dt.timedelta(days=120),
            status="on_track",
            created_by=coordinator,
        )
        improvement.standards.set([case.standard])
        ImprovementTask.objects.bulk_create(
            [
                ImprovementTask(
                    improvement=improvement, position=1, description="Agency operatives for the urgent repairs backlog"
                ),
                ImprovementTask(
                    improvement=improvement,
                    position=2,
                    description="Weekly urgent repairs report to the ALMO client officer",
                ),
            ]
        )
        ResourceAllocation.objects.create(
            improvement=improvement, post="Repairs Manager (North)", percent_of_time=Decimal("30")
        )
    return case


def _seed_meeting(main, coordinator, case, today) -> None:
    quarter = Quarter.containing(today).previous()
    if MonitoringMeeting.objects.filter(agreement=main, financial_year=quarter.year, quarter=quarter.number).exists():
        return
    held_on = min(today, quarter.end + dt.timedelta(days=35))
    meeting = cases.meeting_create(
        agreement=main, quarter=quarter, held_on=held_on, location="Civic Centre, room 2", user=coordinator
    )
    meeting.status = MonitoringMeeting.Status.HELD if held_on <= today else MonitoringMeeting.Status.PLANNED
    meeting.minutes = (
        (
            "The meeting reviewed the quarter's exceptions. Urgent repairs were red for the second quarter running and "
            "the escalation case is at the formal improvement notice step. "
            "The voids team start date has slipped again; "
            "the Parent Board agreed the new date. Democratic Services' return is still outstanding."
        )
        if meeting.status == MonitoringMeeting.Status.HELD
        else ""
    )
    meeting.save(update_fields=["status", "minutes"])
    Attendee.objects.bulk_create(
        [
            Attendee(meeting=meeting, name="Chris Coordinator", role="ALMO client officer", party="almo"),
            Attendee(meeting=meeting, name="Head of Property Services", role="Service manager", party="council"),
            Attendee(meeting=meeting, name="Carol Signer", role="Council client lead", party="council"),
            Attendee(meeting=meeting, name="Bola Boardman", role="Parent Board member", party="almo", present=False),
        ]
    )
    item = meeting.agenda.filter(case=case).first() if case else None
    if item is not None:
        item.decision = "Improvement notice to be served; recovery plan to the next meeting."
        item.save(update_fields=["decision"])
    repairs = get_user_model().objects.filter(username="repairs.officer").first()
    MeetingAction.objects.bulk_create(
        [
            MeetingAction(
                meeting=meeting,
                item=item,
                description="Serve the formal improvement notice with the remedial plan",
                owner="Head of Property Services",
                owner_user=repairs,
                due_date=held_on + dt.timedelta(days=14),
            ),
            MeetingAction(
                meeting=meeting,
                item=item,
                description="Report urgent repairs weekly to the ALMO client officer",
                owner="Repairs Manager (North)",
                due_date=held_on + dt.timedelta(days=28),
            ),
        ]
    )


def _seed_credits(main, coordinator) -> None:
    ServiceCreditScheme.objects.update_or_create(
        agreement=main,
        defaults={
            "enabled": True,
            "red_percent": Decimal("2"),
            "amber_percent": Decimal("0"),
            "annual_cap_percent": Decimal("5"),
        },
    )
    for title in ("Urgent repairs completed within time limits", "Homes with a valid gas safety certificate"):
        standard = _standard(main, title)
        if standard is not None:
            CriticalStandard.objects.get_or_create(standard=standard, defaults={"marked_by": coordinator})
