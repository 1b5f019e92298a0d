"""Reads for the dashboard: a summary of what the signed-in user may see."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Max, Min, Sum

from agreements.models import Agreement, Schedule
from agreements.selectors import agreement_list
from services.roles import Role, department_id_of, role_of


@dataclass
class DashboardSummary:
    agreements: list[Agreement]
    status_counts: dict[str, int]
    schedule_count: int
    total_annual_cost: Decimal
    hra_annual_cost: Decimal
    shortest_notice: int | None
    longest_notice: int | None
    by_department: list[dict]


def dashboard_summary(*, user) -> DashboardSummary:
    """A constant number of queries, whatever the data size."""
    agreements = list(agreement_list(user=user).order_by("-start_date")[:10])
    visible = agreement_list(user=user).values("pk")
    schedules = Schedule.objects.filter(agreement__in=visible, agreement__status__in=_LIVE)
    if role_of(user) == Role.DEPARTMENT_OFFICER:
        schedules = schedules.filter(service__department_id=department_id_of(user))
    totals = schedules.aggregate(
        count=Count("pk"),
        cost=Sum("annual_cost"),
        shortest=Min("notice_period_months"),
        longest=Max("notice_period_months"),
    )
    hra = schedules.filter(service__hra_funded=True).aggregate(cost=Sum("annual_cost"))["cost"]
    by_department = list(
        schedules.values("service__department__name")
        .annotate(services=Count("pk"), cost=Sum("annual_cost"))
        .order_by("-cost")
    )
    status_counts = dict(
        Agreement.objects.filter(pk__in=visible).values_list("status").annotate(n=Count("pk")).order_by()
    )
    return DashboardSummary(
        agreements=agreements,
        status_counts={label: status_counts.get(value, 0) for value, label in Agreement.Status.choices},
        schedule_count=totals["count"] or 0,
        total_annual_cost=totals["cost"] or Decimal("0"),
        hra_annual_cost=hra or Decimal("0"),
        shortest_notice=totals["shortest"],
        longest_notice=totals["longest"],
        by_department=by_department,
    )


_LIVE = [Agreement.Status.AGREED, Agreement.Status.ACTIVE]
