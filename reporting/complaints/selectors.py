"""Reads of complaints, narrowed to what the user may see; overdue steps; counts for returns, pack and public page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.http import Http404

from agreements.selectors import agreement_list, schedule_list
from almo_sla.access import can
from reporting.complaints.models import Complaint, ComplaintStage
from services.roles import Role, almo_id_of, council_id_of, department_id_of, role_of


def _with_stages(qs: QuerySet[Complaint]) -> QuerySet[Complaint]:
    return qs.select_related("almo", "schedule__service__department", "standard").prefetch_related(
        Prefetch("stages", queryset=ComplaintStage.objects.order_by("number"))
    )


def complaint_list(*, user) -> QuerySet[Complaint]:
    role = role_of(user)
    qs = _with_stages(Complaint.objects.all())
    if role == Role.ADMINISTRATOR:
        return qs
    if role in (Role.COORDINATOR, Role.BOARD_MEMBER):
        return qs.filter(almo_id=almo_id_of(user))
    if role == Role.DEPARTMENT_OFFICER:
        return qs.filter(schedule__service__department_id=department_id_of(user))
    if role == Role.COUNCIL_OFFICER:
        return qs.filter(almo__council_id=council_id_of(user))
    return qs.none()


def complaint_get(*, user, pk: int, perm: str = "reporting.view_complaint") -> Complaint:
    complaint = complaint_list(user=user).select_related("recorded_by").filter(pk=pk).first()
    if complaint is None:
        raise Http404("No such complaint.")
    if not can(user, perm, complaint):
        raise PermissionDenied
    return complaint


def complaint_schedules(*, user) -> list:
    """Services in live agreements the user may record complaints about."""
    schedules = []
    for agreement in agreement_list(user=user).filter(status__in=("agreed", "active")):
        if can(user, "reporting.add_complaint_for_almo", agreement.almo):
            schedules.extend(schedule_list(user=user, agreement=agreement))
    return schedules


@dataclass
class OverdueStep:
    complaint: Complaint
    stage: ComplaintStage
    step: str
    due: dt.date


def overdue_steps(*, complaints, today: dt.date) -> list[OverdueStep]:
    """Acknowledgements and responses past their Complaint Handling Code date, oldest first."""
    steps = []
    for complaint in complaints:
        stage = complaint.current_stage
        if stage is None:
            continue
        nxt = stage.next_step(today)
        if nxt and nxt[1] < today:
            steps.append(OverdueStep(complaint=complaint, stage=stage, step=nxt[0], due=nxt[1]))
    return sorted(steps, key=lambda s: s.due)


@dataclass
class ComplaintCounts:
    received: int = 0
    stage_two: int = 0
    responses: int = 0
    in_time: int = 0
    upheld: int = 0
    open: int = 0
    overdue: int = 0

    @property
    def share_in_time(self) -> int | None:
        return round(100 * self.in_time / self.responses) if self.responses else None


def _count(complaints, today: dt.date) -> ComplaintCounts:
    counts = ComplaintCounts()
    for complaint in complaints:
        counts.received += 1
        stages = list(complaint.stages.all())
        for stage in stages:
            if stage.number == 2:
                counts.stage_two += 1
            if stage.responded_on is not None:
                counts.responses += 1
                counts.in_time += bool(stage.answered_in_time)
                counts.upheld += stage.outcome in (Complaint.Outcome.UPHELD, Complaint.Outcome.PARTLY)
        current = stages[-1] if stages else None
        if current is not None and current.responded_on is None:
            counts.open += 1
            nxt = current.next_step(today)
            counts.overdue += bool(nxt and nxt[1] < today)
    return counts


def complaint_counts(*, almo, start: dt.date, end: dt.date, today: dt.date) -> ComplaintCounts:
    """Complaints received between ``start`` and ``end`` about the ALMO's services (two queries): for the
    board pack and the public page. No names or details, only counts."""
    qs = Complaint.objects.filter(almo=almo, received_on__gte=start, received_on__lte=end).prefetch_related(
        Prefetch("stages", queryset=ComplaintStage.objects.order_by("number"))
    )
    return _count(qs, today)


@dataclass
class ServiceComplaints:
    service: str
    complaints: list[Complaint]
    counts: ComplaintCounts


def complaints_for_return(*, quarterly_return, today: dt.date) -> list[ServiceComplaints]:
    """Each of the return's department's services: the complaints received in its quarter and the share answered
    in time (two queries)."""
    period = quarterly_return.period
    qs = _with_stages(
        Complaint.objects.filter(
            schedule__agreement_id=quarterly_return.agreement_id,
            schedule__service__department_id=quarterly_return.department_id,
            received_on__gte=period.start,
            received_on__lte=period.end,
        )
    ).order_by("schedule__service__name", "received_on", "pk")
    grouped: dict[str, list[Complaint]] = {}
    for complaint in qs:
        grouped.setdefault(complaint.schedule.service.name, []).append(complaint)
    return [
        ServiceComplaints(service=name, complaints=items, counts=_count(items, today))
        for name, items in grouped.items()
    ]
