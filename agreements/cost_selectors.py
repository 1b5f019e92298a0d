"""Reads for costs, notices and the exit planner: schedules of live agreements the user may see,
loaded with what ``agreements.costs.schedule_cost`` needs, so every page adds no query per row.

Department officers see only their own department's schedules, everywhere.
"""

from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.db.models.query import ModelIterable
from django.http import Http404

from agreements.models import Agreement, Schedule, ScheduleYearCost, ServiceNotice, Variation, VariationChange
from almo_sla.access import can
from services.periods import financial_year_start
from services.roles import Role, almo_id_of, council_id_of, department_id_of, role_of


def schedules_visible(user) -> QuerySet[Schedule]:
    """Schedules of agreements the user may see (department officers: their department's only)."""
    qs = Schedule.objects.all()
    role = role_of(user)
    if role == Role.ADMINISTRATOR:
        return qs
    if role in (Role.COORDINATOR, Role.BOARD_MEMBER):
        return qs.filter(agreement__almo_id=almo_id_of(user))
    if role == Role.DEPARTMENT_OFFICER:
        return qs.filter(service__department_id=department_id_of(user))
    if role == Role.COUNCIL_OFFICER:
        return qs.filter(agreement__council_id=council_id_of(user))
    return qs.none()


class RecordedCost(NamedTuple):
    financial_year: int
    amount: Decimal


class _WithRecordedCosts(ModelIterable):
    """Schedules, each with ``recorded_costs``: its ``ScheduleYearCost`` figures as plain
    ``(financial_year, amount)`` records, read for all of them in one query. Model instances and a
    prefetch for each of a large council's thousand-odd yearly figures were a fifth of the
    dashboard's time; ``agreements.costs`` reads only the year and the amount."""

    def __iter__(self):
        schedules = list(super().__iter__())
        by_schedule: dict[int, list[RecordedCost]] = {s.pk: [] for s in schedules}
        if schedules:
            rows = (
                ScheduleYearCost.objects.using(self.queryset.db)
                .filter(schedule_id__in=list(by_schedule))
                .order_by("financial_year", "pk")
                .values_list("schedule_id", "financial_year", "amount")
            )
            for schedule_id, year, amount in rows:
                by_schedule[schedule_id].append(RecordedCost(year, amount))
        for schedule in schedules:
            schedule.recorded_costs = by_schedule[schedule.pk]
            yield schedule


def with_costs(qs: QuerySet[Schedule]) -> QuerySet[Schedule]:
    """What ``schedule_cost`` reads: the agreement, year costs (``recorded_costs``), notices not
    withdrawn, approved or applied cost variations, and successor schedules that supersede this one."""
    qs = qs._chain()
    qs._iterable_class = _WithRecordedCosts  # Django's hook for what a queryset yields (values() sets it too)
    return qs.select_related("service__department", "agreement__almo").prefetch_related(
        Prefetch(
            "successors",
            queryset=Schedule.objects.filter(
                agreement__status__in=Agreement.LIVE_STATUSES, supersedes_from__isnull=False
            ).select_related("agreement"),
            to_attr="live_successors",
        ),
        Prefetch("notices", queryset=ServiceNotice.objects.filter(withdrawn_on__isnull=True), to_attr="open_notices"),
        Prefetch(
            "variation_changes",
            queryset=VariationChange.objects.filter(
                field=VariationChange.Field.ANNUAL_COST,
                variation__status__in=[Variation.Status.APPROVED, Variation.Status.APPLIED],
            ).select_related("variation"),
            to_attr="cost_changes",
        ),
    )


def cost_schedules(*, user, category: str = "") -> QuerySet[Schedule]:
    """Schedules of live agreements the user may see, with what the cost sums need, in a constant number of queries."""
    qs = schedules_visible(user).filter(agreement__status__in=Agreement.LIVE_STATUSES)
    if category:
        qs = qs.filter(service__category=category)
    return with_costs(qs).order_by("service__department__name", "service__name", "agreement__start_date")


def cost_years(*, user, around: int) -> list[int]:
    """Financial years to offer on the costs page: from the first year a live agreement the user may
    see starts, to the last year with a recorded cost, and always the year before, ``around`` (the
    current year) and the year after. Two queries."""
    schedules = schedules_visible(user).filter(agreement__status__in=Agreement.LIVE_STATUSES)
    recorded = set(ScheduleYearCost.objects.filter(schedule__in=schedules).values_list("financial_year", flat=True))
    first_start = schedules.order_by("agreement__start_date").values_list("agreement__start_date", flat=True).first()
    first = min([financial_year_start(first_start)] if first_start else [], default=around - 1)
    last = max(recorded | {around + 1})
    return list(range(min(first, around - 1), last + 1))


def schedule_with_costs_get(*, user, pk: int, perm: str) -> Schedule:
    """The schedule ``pk`` with its costs if the user may see it (404 otherwise) and holds ``perm`` (403)."""
    schedule = with_costs(schedules_visible(user).filter(pk=pk)).first()
    if schedule is None:
        raise Http404("No such schedule.")
    if not can(user, perm, schedule):
        raise PermissionDenied
    return schedule


def department_siblings(schedule: Schedule) -> list[Schedule]:
    """The other schedules of the same department in the same agreement, with their costs."""
    return list(
        with_costs(
            Schedule.objects.filter(
                agreement_id=schedule.agreement_id, service__department_id=schedule.service.department_id
            ).exclude(pk=schedule.pk)
        ).order_by("service__name")
    )


def notices_for_agreement(*, user, agreement: Agreement) -> list[ServiceNotice]:
    """Notices served on the agreement's services the user may see, newest effective date last, in one query."""
    schedules = schedules_visible(user).filter(agreement=agreement)
    return list(
        ServiceNotice.objects.filter(schedule__in=schedules)
        .select_related("schedule__service__department", "served_by")
        .order_by("withdrawn_on", "effective_date", "pk")
    )


def notices_open(*, user) -> QuerySet[ServiceNotice]:
    """Notices not withdrawn, on live agreements the user may see."""
    schedules = schedules_visible(user).filter(agreement__status__in=Agreement.LIVE_STATUSES)
    return (
        ServiceNotice.objects.filter(schedule__in=schedules.values("pk"), withdrawn_on__isnull=True)
        .select_related("schedule__service__department", "schedule__agreement", "served_by")
        .order_by("effective_date", "pk")
    )


def open_notice_for(schedule: Schedule) -> ServiceNotice | None:
    """The schedule's notice that has not been withdrawn, if any, with who served it."""
    return schedule.notices.filter(withdrawn_on__isnull=True).select_related("served_by").first()


def notice_get(*, user, pk: int, perm: str) -> ServiceNotice:
    notice = (
        ServiceNotice.objects.filter(pk=pk, schedule__in=schedules_visible(user).values("pk"))
        .select_related("schedule__agreement", "schedule__service")
        .first()
    )
    if notice is None:
        raise Http404("No such notice.")
    if not can(user, perm, notice):
        raise PermissionDenied
    return notice
