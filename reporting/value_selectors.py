"""Reads for value for money: live schedules with their benchmark evidence, market tests and RAG history."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet

from agreements.cost_selectors import cost_schedules, schedules_visible
from agreements.models import Schedule
from reporting.models import StandardResult
from services.models import Benchmark, MarketTest
from services.periods import Quarter
from services.roles import Role, role_of


def vfm_schedules(*, user) -> QuerySet[Schedule]:
    """Schedules in live agreements for the value-for-money view (none for department officers)."""
    if role_of(user) == Role.DEPARTMENT_OFFICER:
        return schedules_visible(user).none()
    return cost_schedules(user=user)


def benchmarks_for_schedules_query(schedule_qs) -> QuerySet[Benchmark]:
    """The benchmarks of the schedules' services and ALMOs, as one query whatever the number of schedules."""
    return Benchmark.objects.filter(
        Exists(schedule_qs.filter(agreement__almo_id=OuterRef("almo_id"), service_id=OuterRef("service_id")))
    )


def market_tests_for_schedules_query(schedule_qs) -> QuerySet[MarketTest]:
    return MarketTest.objects.filter(
        Exists(schedule_qs.filter(agreement__almo_id=OuterRef("almo_id"), service_id=OuterRef("service_id")))
    ).select_related("recorded_by")


def rag_results_for(schedule_qs, quarters: list[Quarter]) -> list[dict]:
    """RAG of every judged result of the schedules' standards in ``quarters``, in one query."""
    if not quarters:
        return []
    first, last = quarters[0], quarters[-1]
    years = {q.year for q in quarters}
    rows = (
        StandardResult.objects.filter(
            standard__schedule__in=schedule_qs.values("pk"), quarterly_return__financial_year__in=years
        )
        .exclude(rag="")
        .values("standard__schedule_id", "quarterly_return__financial_year", "quarterly_return__quarter", "rag")
    )
    return [
        {
            "schedule_id": r["standard__schedule_id"],
            "year": r["quarterly_return__financial_year"],
            "quarter": r["quarterly_return__quarter"],
            "rag": r["rag"],
        }
        for r in rows
        if first <= Quarter(r["quarterly_return__financial_year"], r["quarterly_return__quarter"]) <= last
    ]


def rag_results_for_schedule(schedule: Schedule, quarters: list[Quarter]) -> list[dict]:
    return rag_results_for(Schedule.objects.filter(pk=schedule.pk), quarters)


def schedule_benchmarks(schedule: Schedule) -> QuerySet[Benchmark]:
    return Benchmark.objects.filter(almo_id=schedule.agreement.almo_id, service_id=schedule.service_id).select_related(
        "entered_by"
    )


def schedule_market_tests(schedule: Schedule) -> QuerySet[MarketTest]:
    return MarketTest.objects.filter(almo_id=schedule.agreement.almo_id, service_id=schedule.service_id).select_related(
        "recorded_by"
    )
