"""Writes for escalation procedures, cases, monitoring meetings and service-credit terms.

Keyword-only; each checks the state rule it needs (superusers pass django-rules, not these)
and raises ``ValidationError`` with a message for the form.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from agreements.models import Agreement, Standard
from reporting.cases.agenda import agenda_for
from reporting.cases.models import (
    AgendaItem,
    Attendee,
    CaseStep,
    CriticalStandard,
    EscalationCase,
    EscalationStep,
    MeetingAction,
    MonitoringMeeting,
    ServiceCreditScheme,
)
from reporting.models import QuarterlyReturn, Rag, StandardResult
from reporting.selectors import escalations
from services.periods import Quarter

# The default ladder: what most councils and ALMOs agree. Editable while the agreement is a draft.
DEFAULT_LADDER = [
    (
        "Discussion between the service manager and the ALMO client officer",
        "The head of the council service and the ALMO's client officer agree what went wrong and what will be done.",
        14,
    ),
    (
        "Formal improvement notice",
        "A written notice to the service, with a remedial plan and the date by which the remedy is due.",
        28,
    ),
    ("Monitoring meeting", "The remedial plan is reviewed at a monitoring meeting of the council and the ALMO.", 28),
    (
        "Referral to the boards and the Cabinet lead member",
        "The ALMO's Parent Board and the council's Cabinet lead member for housing consider the case.",
        42,
    ),
    ("Formal dispute under the agreement", "The dispute resolution clause of the agreement is invoked.", 90),
]
LIVE = (Agreement.Status.AGREED, Agreement.Status.ACTIVE)
SETTLED = (QuarterlyReturn.Status.SUBMITTED, QuarterlyReturn.Status.ACCEPTED)


# --- The procedure -------------------------------------------------------------------------


def procedure_steps(agreement: Agreement) -> list[EscalationStep]:
    """The agreement's ladder; the default (unsaved) when none has been written down."""
    steps = list(agreement.escalation_steps.order_by("position"))
    if steps:
        return steps
    return [
        EscalationStep(agreement=agreement, position=n, title=title, description=description, days_allowed=days)
        for n, (title, description, days) in enumerate(DEFAULT_LADDER, start=1)
    ]


def procedure_ensure(*, agreement: Agreement) -> list[EscalationStep]:
    """Store the default ladder for the agreement if it has none, and return its steps."""
    steps = procedure_steps(agreement)
    if steps and steps[0].pk is None:
        EscalationStep.objects.bulk_create(steps)
        steps = list(agreement.escalation_steps.order_by("position"))
    return steps


def _check_drafting(agreement: Agreement) -> None:
    if not agreement.is_editable:
        raise ValidationError("The procedure is part of the agreement: it changes only while the agreement is a draft.")


def procedure_step_save(*, step: EscalationStep, user) -> EscalationStep:
    _check_drafting(step.agreement)
    with transaction.atomic():
        procedure_ensure(agreement=step.agreement)
        if step.pk is None:
            last = step.agreement.escalation_steps.order_by("-position").first()
            step.position = (last.position if last else 0) + 1
        step.full_clean()
        step.save()
    return step


def procedure_step_delete(*, step: EscalationStep, user) -> None:
    _check_drafting(step.agreement)
    agreement = step.agreement
    with transaction.atomic():
        if agreement.escalation_steps.count() <= 1:
            raise ValidationError("A procedure needs at least one step.")
        step.delete()
        for n, remaining in enumerate(agreement.escalation_steps.order_by("position"), start=1):
            if remaining.position != n:
                remaining.position = n
                remaining.save(update_fields=["position"])


# --- Cases ---------------------------------------------------------------------------------


def _first_step(case: EscalationCase, steps: list[EscalationStep], user) -> CaseStep:
    first = steps[0]
    return CaseStep.objects.create(
        case=case,
        position=first.position,
        title=first.title,
        started_on=case.opened_on,
        due_on=case.opened_on + dt.timedelta(days=first.days_allowed),
        recorded_by=user,
    )


def case_open(
    *,
    agreement: Agreement,
    direction: str,
    ground: str,
    reason: str,
    user=None,
    today: dt.date | None = None,
    department=None,
    standard: Standard | None = None,
    automatic: bool = False,
    trigger: Quarter | None = None,
    recovery_quarters: int = 2,
) -> EscalationCase:
    """Open a case at the first step of the agreement's ladder."""
    if agreement.status not in LIVE:
        raise ValidationError("Cases are raised under an agreement that is agreed or active.")
    if not reason.strip():
        raise ValidationError({"reason": "Enter why the case is being raised."})
    if standard is not None and standard.schedule.agreement_id != agreement.pk:
        raise ValidationError({"standard": "Choose a standard of this agreement."})
    if standard is not None and department is None:
        department = standard.schedule.service.department
    case = EscalationCase(
        agreement=agreement,
        direction=direction,
        ground=ground,
        reason=reason.strip(),
        department=department,
        standard=standard,
        automatic=automatic,
        opened_on=today or timezone.localdate(),
        opened_by=user,
        trigger_year=trigger.year if trigger else None,
        trigger_quarter=trigger.number if trigger else None,
        recovery_quarters=recovery_quarters,
    )
    case.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            if (
                standard is not None
                and EscalationCase.objects.select_for_update()
                .filter(standard=standard, status=EscalationCase.Status.OPEN)
                .exists()
            ):
                raise ValidationError({"standard": "This standard already has an open case."})
            case.save()
            _first_step(case, procedure_ensure(agreement=agreement), user)
    except IntegrityError as exc:  # two openings at once: the partial unique constraint keeps one
        raise ValidationError({"standard": "This standard already has an open case."}) from exc
    return case


def case_current_step(case: EscalationCase) -> CaseStep | None:
    return case.steps.filter(outcome="").order_by("-started_on", "-pk").first()


def case_decide(
    *,
    case: EscalationCase,
    user,
    outcome: str,
    decision: str,
    decided_by: str,
    decided_on: dt.date,
    remedial_plan: str = "",
    remedial_date: dt.date | None = None,
    meeting: MonitoringMeeting | None = None,
    new_due_on: dt.date | None = None,
) -> CaseStep | None:
    """Record the decision on the case's current step; returns the next step (None when the case closes)."""
    with transaction.atomic():
        case = EscalationCase.objects.select_for_update().get(pk=case.pk)
        if case.status != EscalationCase.Status.OPEN:
            raise ValidationError("This case is closed.")
        step = case_current_step(case)
        if step is None:
            raise ValidationError("This case has no step waiting for a decision.")
        if decided_on < step.started_on:
            raise ValidationError({"decided_on": "The decision cannot be before the step started."})
        if decided_on > timezone.localdate():
            raise ValidationError({"decided_on": "The decision date cannot be in the future."})
        if meeting is not None and meeting.agreement_id != case.agreement_id:
            raise ValidationError({"meeting": "Choose a meeting about this agreement."})
        ladder = procedure_ensure(agreement=case.agreement)
        nxt = next((s for s in ladder if s.position > step.position), None)
        if outcome == CaseStep.Outcome.ESCALATE and nxt is None:
            raise ValidationError({"outcome": "This is the last step of the procedure: close the case or carry on."})
        if outcome == CaseStep.Outcome.CONTINUE and (new_due_on is None or new_due_on <= decided_on):
            raise ValidationError({"new_due_on": "Enter the new date for this step, after the decision."})
        step.decision, step.decided_by, step.decided_on, step.outcome = (
            decision.strip(),
            decided_by.strip(),
            decided_on,
            outcome,
        )
        step.remedial_plan = remedial_plan.strip() or step.remedial_plan
        step.remedial_date = remedial_date or step.remedial_date
        step.meeting = meeting or step.meeting
        step.recorded_by = user
        step.full_clean()
        step.save()
        if outcome == CaseStep.Outcome.RESOLVED:
            _close(case, closure=EscalationCase.Closure.DECISION, note=decision.strip(), on=decided_on)
            return None
        if outcome == CaseStep.Outcome.CONTINUE:
            return CaseStep.objects.create(
                case=case,
                position=step.position,
                title=step.title,
                started_on=decided_on,
                due_on=new_due_on,
                recorded_by=user,
            )
        return CaseStep.objects.create(
            case=case,
            position=nxt.position,
            title=nxt.title,
            started_on=decided_on,
            due_on=decided_on + dt.timedelta(days=nxt.days_allowed),
            recorded_by=user,
        )


def _close(case: EscalationCase, *, closure: str, note: str, on: dt.date) -> None:
    case.status, case.closure, case.closure_note, case.closed_on = EscalationCase.Status.CLOSED, closure, note, on
    case.save(update_fields=["status", "closure", "closure_note", "closed_on"])


def case_close(*, case: EscalationCase, user, note: str, decided_by: str, on: dt.date) -> EscalationCase:
    """Close the case by decision at whatever step it has reached."""
    if not note.strip():
        raise ValidationError({"note": "Enter the decision that closes the case."})
    with transaction.atomic():
        case = EscalationCase.objects.select_for_update().get(pk=case.pk)
        if case.status != EscalationCase.Status.OPEN:
            raise ValidationError("This case is already closed.")
        step = case_current_step(case)
        if step is not None:
            if on < step.started_on:
                raise ValidationError({"on": "The case cannot close before its current step started."})
            step.decision, step.decided_by, step.decided_on = note.strip(), decided_by.strip(), on
            step.outcome, step.recorded_by = CaseStep.Outcome.RESOLVED, user
            step.save()
        _close(case, closure=EscalationCase.Closure.DECISION, note=note.strip(), on=on)
    return case


def _green_run(standard_id: int, upto: Quarter, count: int) -> bool:
    """Is the standard green in each of the ``count`` quarters up to ``upto``?"""
    quarters, quarter = [], upto
    for _ in range(count):
        quarters.append(quarter)
        quarter = quarter.previous()
    rags = {
        (year, number): rag
        for year, number, rag in StandardResult.objects.filter(
            standard_id=standard_id, quarterly_return__status__in=SETTLED
        ).values_list("quarterly_return__financial_year", "quarterly_return__quarter", "rag")
    }
    return all(rags.get((q.year, q.number)) == Rag.GREEN for q in quarters)


def cases_sync(*, agreement: Agreement, quarter: Quarter, today: dt.date | None = None) -> tuple[list, list]:
    """Open a case for every standard red two quarters running to ``quarter`` (the escalation
    rule of ``reporting.rag.red_two_quarters_running``, asked through
    ``reporting.selectors.escalations`` over the agreement's settled returns), unless one is
    open or was already opened for that quarter; close open cases whose standard has been
    green for their recovery quarters. Returns (opened, closed). Safe to run again."""
    today = today or timezone.localdate()
    if agreement.status not in LIVE:
        return [], []
    opened, closed = [], []
    returns = QuarterlyReturn.objects.filter(agreement=agreement, status__in=SETTLED)
    for result in escalations(returns=returns, quarter=quarter):
        standard = result.standard
        already = (
            EscalationCase.objects.filter(standard=standard).filter(status=EscalationCase.Status.OPEN).exists()
            or EscalationCase.objects.filter(
                standard=standard, trigger_year=quarter.year, trigger_quarter=quarter.number
            ).exists()
        )
        if already:
            continue
        reason = (
            f"“{standard.title}” was red in {quarter.previous().label} and {quarter.label}"
            f" ({standard.format_value(result.actual) or result.get_milestone_outcome_display()}"
            f"{' against ' + standard.format_value(result.target_value) if result.target_value is not None else ''})."
        )
        try:
            opened.append(
                case_open(
                    agreement=agreement,
                    direction=EscalationCase.Direction.AGAINST_COUNCIL,
                    ground=EscalationCase.Ground.RED_TWICE,
                    reason=reason,
                    today=today,
                    standard=standard,
                    department=result.quarterly_return.department,
                    automatic=True,
                    trigger=quarter,
                )
            )
        except ValidationError:
            continue  # opened meanwhile by someone else
    for case in EscalationCase.objects.filter(
        agreement=agreement, status=EscalationCase.Status.OPEN, standard__isnull=False
    ):
        trigger = case.trigger_period or Quarter.containing(case.opened_on)
        if quarter <= trigger:
            continue
        if _green_run(case.standard_id, quarter, case.recovery_quarters):
            with transaction.atomic():
                step = case_current_step(case)
                if step is not None:
                    step.decision = f"Green for {case.recovery_quarters} quarters running to {quarter.label}."
                    step.decided_by, step.decided_on, step.outcome = "Automatic", today, CaseStep.Outcome.RESOLVED
                    step.save()
                _close(
                    case,
                    closure=EscalationCase.Closure.RECOVERED,
                    note=f"The standard was green for {case.recovery_quarters} quarters running to {quarter.label}.",
                    on=today,
                )
            closed.append(case)
    return opened, closed


def cases_sync_all(*, today: dt.date | None = None) -> int:
    """Run ``cases_sync`` for every live agreement on the last quarter ended. Returns cases opened or closed."""
    today = today or timezone.localdate()
    quarter = Quarter.containing(today).previous()
    changed = 0
    for agreement in Agreement.objects.filter(status__in=LIVE):
        opened, closed = cases_sync(agreement=agreement, quarter=quarter, today=today)
        changed += len(opened) + len(closed)
    return changed


# --- Monitoring meetings -------------------------------------------------------------------


def meeting_create(
    *, agreement: Agreement, quarter: Quarter, held_on: dt.date, location: str, user
) -> MonitoringMeeting:
    """A meeting for the quarter, its agenda built from the quarter's exceptions."""
    meeting = MonitoringMeeting(
        agreement=agreement,
        financial_year=quarter.year,
        quarter=quarter.number,
        held_on=held_on,
        location=location,
        created_by=user,
    )
    meeting.full_clean()
    with transaction.atomic():
        meeting.save()
        items = agenda_for(agreement=agreement, quarter=quarter, today=timezone.localdate())
        for position, item in enumerate(items, start=1):
            item.meeting, item.position = meeting, position
        AgendaItem.objects.bulk_create(items)
    return meeting


def meeting_save(*, meeting: MonitoringMeeting, user) -> MonitoringMeeting:
    if meeting.status == MonitoringMeeting.Status.HELD and meeting.held_on > timezone.localdate():
        raise ValidationError({"held_on": "A meeting that has been held cannot be dated in the future."})
    meeting.full_clean()
    meeting.save()
    return meeting


def agenda_item_save(*, item: AgendaItem, user) -> AgendaItem:
    if item.pk is None:
        last = item.meeting.agenda.order_by("-position").first()
        item.position = (last.position if last else 0) + 1
    item.full_clean()
    item.save()
    return item


def attendee_save(*, attendee: Attendee, user) -> Attendee:
    attendee.full_clean()
    attendee.save()
    return attendee


def action_save(*, action: MeetingAction, user) -> MeetingAction:
    if action.item_id and action.item.meeting_id != action.meeting_id:
        raise ValidationError({"item": "Choose an item of this meeting's agenda."})
    if action.done_on and action.done_on > timezone.localdate():
        raise ValidationError({"done_on": "The date done cannot be in the future."})
    action.full_clean()
    action.save()
    return action


# --- Service credit terms ------------------------------------------------------------------


def credit_scheme_for(agreement: Agreement) -> ServiceCreditScheme:
    """The agreement's scheme, or an unsaved one that is off."""
    try:
        return agreement.service_credit_scheme
    except ServiceCreditScheme.DoesNotExist:
        return ServiceCreditScheme(agreement=agreement)


def credit_scheme_save(*, scheme: ServiceCreditScheme, critical: list[Standard], user) -> ServiceCreditScheme:
    """Save the terms and which standards are critical (only standards of this agreement)."""
    agreement = scheme.agreement
    _check_drafting_credits(agreement)
    if any(s.schedule.agreement_id != agreement.pk for s in critical):
        raise ValidationError({"critical": "Choose standards of this agreement."})
    if scheme.enabled and not critical:
        raise ValidationError(
            {"critical": "Mark at least one standard critical: only critical standards earn credits."}
        )
    scheme.full_clean()
    with transaction.atomic():
        scheme.save()
        CriticalStandard.objects.filter(standard__schedule__agreement=agreement).exclude(standard__in=critical).delete()
        existing = set(CriticalStandard.objects.filter(standard__in=critical).values_list("standard_id", flat=True))
        CriticalStandard.objects.bulk_create(
            [CriticalStandard(standard=s, marked_by=user) for s in critical if s.pk not in existing]
        )
    return scheme


def _check_drafting_credits(agreement: Agreement) -> None:
    if not agreement.is_editable:
        raise ValidationError("Service credits are terms of the agreement: they change only while it is a draft.")


# --- Reminders of meeting actions ---------------------------------------------------------------

ACTION_REMINDER_DAYS = 3


def action_reminders_due(*, today: dt.date):
    """Open actions with an owner's account, due within ``ACTION_REMINDER_DAYS`` (or overdue), not yet reminded."""
    return MeetingAction.objects.filter(
        done_on__isnull=True,
        reminded_on__isnull=True,
        owner_user__isnull=False,
        due_date__lte=today + dt.timedelta(days=ACTION_REMINDER_DAYS),
    ).exclude(owner_user__email="")


def action_reminder_send(*, action_id: int, today: dt.date) -> bool:
    """E-mail the owner once: the conditional update claims the reminder before the e-mail goes."""
    claimed = MeetingAction.objects.filter(pk=action_id, reminded_on__isnull=True).update(reminded_on=today)
    if not claimed:
        return False
    action = MeetingAction.objects.select_related("owner_user", "meeting__agreement").get(pk=action_id)
    meeting = action.meeting
    state = "was due" if action.due_date < today else "is due"
    send_mail(
        subject=f"Action from the monitoring meeting {state} {action.due_date:%-d %B %Y}",
        message=(
            f"The monitoring meeting on {meeting.held_on:%-d %B %Y} ({meeting.agreement.reference}, "
            f"{meeting.period.label}) gave you this action, which {state} on {action.due_date:%-d %B %Y}:\n\n"
            f"{action.description}\n\nRecord it as done on the meeting's page when it is."
        ),
        from_email=None,
        recipient_list=[action.owner_user.email],
    )
    return True
