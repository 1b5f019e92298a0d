"""Reads for escalation cases, procedures, monitoring meetings and service credits, narrowed
to what the user may see."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from agreements.models import Agreement
from agreements.selectors import agreement_list
from reporting.cases.models import CaseStep, EscalationCase, MeetingAction, MonitoringMeeting
from services.roles import Role, almo_id_of, department_id_of, role_of

OPEN = EscalationCase.Status.OPEN


def case_list(*, user) -> QuerySet[EscalationCase]:
    """Cases the user may see: their ALMO's (coordinators, board members), their department's (officers)."""
    role = role_of(user)
    qs = EscalationCase.objects.select_related(
        "agreement__almo", "agreement__council", "department", "standard__schedule__service", "opened_by"
    ).prefetch_related(Prefetch("steps", queryset=CaseStep.objects.order_by("started_on", "pk")))
    if role == Role.ADMINISTRATOR:
        return qs
    if role in (Role.COORDINATOR, Role.BOARD_MEMBER):
        return qs.filter(agreement__almo_id=almo_id_of(user))
    if role == Role.DEPARTMENT_OFFICER:
        return qs.filter(department_id=department_id_of(user))
    return qs.none()


_CASE_STATES = {"reporting.decide_escalationcase": (OPEN,), "reporting.close_escalationcase": (OPEN,)}


def case_can(user, perm: str, case: EscalationCase) -> bool:
    return user.has_perm(perm, case) and case.status in _CASE_STATES.get(perm, (case.status,))


def case_get(*, user, pk: int, perm: str = "reporting.view_escalationcase") -> EscalationCase:
    case = case_list(user=user).filter(pk=pk).first()
    if case is None or not user.has_perm("reporting.view_escalationcase", case):
        raise Http404("No such case.")
    if not case_can(user, perm, case):
        raise PermissionDenied
    return case


def current_step(case: EscalationCase) -> CaseStep | None:
    """The step waiting for a decision (from the prefetched steps)."""
    waiting = [s for s in case.steps.all() if not s.outcome]
    return waiting[-1] if waiting else None


@dataclass
class OverdueStep:
    case: EscalationCase
    step: CaseStep
    days: int


def overdue_steps(*, user, today: dt.date) -> list[OverdueStep]:
    """Open cases whose current step is past its time limit, most overdue first (one query)."""
    visible = case_list(user=user).filter(status=OPEN).values("pk")
    steps = (
        CaseStep.objects.filter(case__in=visible, outcome="", due_on__lt=today)
        .select_related("case__standard", "case__department", "case__agreement__almo", "case__agreement__council")
        .order_by("due_on", "pk")
    )
    return [OverdueStep(step.case, step, step.days_overdue(today)) for step in steps]


def case_agreements(*, user) -> QuerySet[Agreement]:
    """Live agreements the user may raise a case under."""
    agreements = agreement_list(user=user).filter(status__in=Agreement.LIVE_STATUSES)
    return agreements.filter(pk__in=[a.pk for a in agreements if user.has_perm("reporting.add_escalationcase", a)])


def procedure_agreement(*, user, pk: int, perm: str = "reporting.view_escalationprocedure") -> Agreement:
    agreement = agreement_list(user=user).filter(pk=pk).first()
    if agreement is None or not user.has_perm("reporting.view_escalationprocedure", agreement):
        raise Http404("No such agreement.")
    if not user.has_perm(perm, agreement) or (perm.startswith("reporting.change_") and not agreement.is_editable):
        raise PermissionDenied
    return agreement


# --- Meetings -------------------------------------------------------------------------------


def meeting_list(*, user) -> QuerySet[MonitoringMeeting]:
    role = role_of(user)
    qs = MonitoringMeeting.objects.select_related("agreement__almo")
    if role == Role.ADMINISTRATOR:
        return qs
    if role in (Role.COORDINATOR, Role.BOARD_MEMBER):
        return qs.filter(agreement__almo_id=almo_id_of(user))
    return qs.none()


def meeting_get(*, user, pk: int, perm: str = "reporting.view_monitoringmeeting") -> MonitoringMeeting:
    meeting = meeting_list(user=user).filter(pk=pk).first()
    if meeting is None or not user.has_perm("reporting.view_monitoringmeeting", meeting):
        raise Http404("No such meeting.")
    if not user.has_perm(perm, meeting):
        raise PermissionDenied
    return meeting


def meeting_agreements(*, user) -> QuerySet[Agreement]:
    agreements = agreement_list(user=user).filter(status__in=Agreement.REPORTABLE_STATUSES)
    return agreements.filter(pk__in=[a.pk for a in agreements if user.has_perm("reporting.add_monitoringmeeting", a)])


def open_actions(*, user, today: dt.date) -> QuerySet[MeetingAction]:
    """Open actions from the meetings the user may see, plus any owned by the user: for task lists."""
    visible = meeting_list(user=user).values("pk")
    return (
        MeetingAction.objects.filter(Q(meeting__in=visible) | Q(owner_user=user), done_on__isnull=True)
        .select_related("meeting__agreement")
        .order_by("due_date", "pk")
    )
