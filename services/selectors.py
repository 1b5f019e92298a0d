"""Reads of the service catalogue."""

import rules
from django.core.exceptions import PermissionDenied
from django.db.models import (
    Case,
    Count,
    DecimalField,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404

from services.models import Benchmark, MarketTest, Service


def service_list() -> QuerySet[Service]:
    """Every service of the council with its department, in one query. All roles may read it."""
    return Service.objects.select_related("department").annotate(
        agreement_count=Count("schedules__agreement", distinct=True)
    ).order_by("department__name", "name")


# ---------------------------------------------------------------------------
# Costs, value for money and notice planning (issue 6)
# ---------------------------------------------------------------------------

LIVE_STATUSES = ["agreed", "active"]


def _schedules_visible(user) -> QuerySet:
    """Schedules of agreements the user may see (department officers: their department's only)."""
    from agreements.models import Schedule
    from services.roles import Role, almo_id_of, council_id_of, department_id_of, role_of

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


def _with_costs(qs: QuerySet) -> QuerySet:
    from agreements.models import ScheduleYearCost

    return qs.select_related("service__department", "agreement__almo").prefetch_related(
        Prefetch("year_costs", queryset=ScheduleYearCost.objects.order_by("financial_year"))
    )


def cost_schedules(*, user, category: str = "") -> QuerySet:
    """Schedules in agreed or active agreements the user may see, with what the cost sums need, in two queries."""
    qs = _schedules_visible(user).filter(agreement__status__in=LIVE_STATUSES)
    if category:
        qs = qs.filter(service__category=category)
    return _with_costs(qs).order_by("service__department__name", "service__name", "agreement__reference")


def _cost_in_year(year: int):
    """SQL for a schedule's cost in a financial year, the same rule as ``costs.schedule_cost``."""
    import datetime as dt
    from decimal import Decimal

    from agreements.models import ScheduleYearCost

    first, last = dt.date(year, 4, 1), dt.date(year + 1, 3, 31)
    recorded = ScheduleYearCost.objects.filter(schedule=OuterRef("pk"), financial_year=year).values("amount")[:1]
    runs = Q(agreement__start_date__lte=last) & (Q(agreement__end_date__isnull=True) | Q(agreement__end_date__gte=first))
    money = DecimalField(max_digits=12, decimal_places=2)
    return Coalesce(
        Subquery(recorded, output_field=money),
        Case(When(runs, then=F("annual_cost")), default=Value(Decimal("0")), output_field=money),
        output_field=money,
    )


def dashboard_cost_schedules(*, user, year: int) -> list:
    """Live schedules the user may see with this and last financial year's cost, and the effective
    date of any notice served on them, worked out in SQL: one query."""
    from agreements.models import ServiceNotice

    qs = (
        _schedules_visible(user)
        .filter(agreement__status__in=LIVE_STATUSES)
        .select_related("service__department", "agreement__almo")
        .annotate(
            cost_this_year=_cost_in_year(year),
            cost_last_year=_cost_in_year(year - 1),
            open_notice_effective=Subquery(
                ServiceNotice.objects.filter(schedule=OuterRef("pk"), withdrawn_on__isnull=True)
                .order_by("effective_date")
                .values("effective_date")[:1]
            ),
        )
    )
    schedules = list(qs)
    for schedule in schedules:
        schedule.known_costs = {year: schedule.cost_this_year, year - 1: schedule.cost_last_year}
    return schedules


def cost_years(*, user) -> list[int]:
    """Financial years with a recorded cost in the schedules the user may see."""
    from agreements.models import ScheduleYearCost

    schedules = _schedules_visible(user).filter(agreement__status__in=LIVE_STATUSES)
    return sorted(
        set(ScheduleYearCost.objects.filter(schedule__in=schedules).values_list("financial_year", flat=True))
    )


def vfm_schedules(*, user) -> QuerySet:
    """Schedules in live agreements for the value-for-money view (none for department officers)."""
    from services.roles import Role, role_of

    if role_of(user) == Role.DEPARTMENT_OFFICER:
        return _schedules_visible(user).none()
    return cost_schedules(user=user)


def schedule_for_value_get(*, user, pk: int, perm: str = "services.view_schedule_value"):
    """The schedule ``pk`` with its costs if the user may see it (404 otherwise) and holds ``perm`` (403)."""
    schedule = _with_costs(_schedules_visible(user).filter(pk=pk)).first()
    if schedule is None:
        raise Http404("No such schedule.")
    if not rules.has_perm(perm, user, schedule):  # the rules themselves: superusers get no bypass
        raise PermissionDenied
    return schedule


def department_siblings(schedule) -> list:
    """The other schedules of the same department in the same agreement, with their costs."""
    from agreements.models import Schedule

    return list(
        _with_costs(
            Schedule.objects.filter(
                agreement_id=schedule.agreement_id, service__department_id=schedule.service.department_id
            ).exclude(pk=schedule.pk)
        ).order_by("service__name")
    )


def benchmarks_for_schedules_query(schedule_qs) -> QuerySet[Benchmark]:
    """Same as ``benchmarks_for`` but as one query, whatever the number of schedules."""
    return Benchmark.objects.filter(
        Exists(schedule_qs.filter(agreement__almo_id=OuterRef("almo_id"), service_id=OuterRef("service_id")))
    )


def market_tests_for_schedules_query(schedule_qs) -> QuerySet[MarketTest]:
    return MarketTest.objects.filter(
        Exists(schedule_qs.filter(agreement__almo_id=OuterRef("almo_id"), service_id=OuterRef("service_id")))
    ).select_related("recorded_by")


def rag_results_for(schedule_qs, quarters) -> list[dict]:
    """RAG of every judged result of the schedules' standards in ``quarters``, in one query."""
    from reporting.models import StandardResult

    first, last = quarters[0], quarters[-1]
    years = {q.year for q in quarters}
    rows = (
        StandardResult.objects.filter(standard__schedule__in=schedule_qs.values("pk"), quarterly_return__financial_year__in=years)
        .exclude(rag="")
        .values("standard__schedule_id", "quarterly_return__financial_year", "quarterly_return__quarter", "rag")
    )
    from services.periods import Quarter

    return [
        {"schedule_id": r["standard__schedule_id"], "year": r["quarterly_return__financial_year"],
         "quarter": r["quarterly_return__quarter"], "rag": r["rag"]}
        for r in rows
        if first <= Quarter(r["quarterly_return__financial_year"], r["quarterly_return__quarter"]) <= last
    ]


def rag_results_for_schedule(schedule, quarters) -> list[dict]:
    from agreements.models import Schedule

    return rag_results_for(Schedule.objects.filter(pk=schedule.pk), quarters)


def notices_for_agreement(*, user, agreement) -> list:
    """Notices served on the agreement's services the user may see, newest effective date last, in one query."""
    from agreements.models import ServiceNotice

    schedules = _schedules_visible(user).filter(agreement=agreement)
    return list(
        ServiceNotice.objects.filter(schedule__in=schedules)
        .select_related("schedule__service__department", "served_by")
        .order_by("withdrawn_on", "effective_date", "pk")
    )


def notices_open(*, user) -> QuerySet:
    """Notices not withdrawn, on live agreements the user may see (not for department officers)."""
    from agreements.models import ServiceNotice

    schedules = vfm_schedules(user=user)
    return (
        ServiceNotice.objects.filter(schedule__in=schedules.values("pk"), withdrawn_on__isnull=True)
        .select_related("schedule__service__department", "schedule__agreement", "served_by")
        .order_by("effective_date", "pk")
    )


def open_notice_for(schedule):
    """The schedule's notice that has not been withdrawn, if any, with who served it."""
    return schedule.notices.filter(withdrawn_on__isnull=True).select_related("served_by").first()


def notice_get(*, user, pk: int, perm: str):
    from agreements.models import ServiceNotice

    notice = (
        ServiceNotice.objects.filter(pk=pk, schedule__in=_schedules_visible(user).values("pk"))
        .select_related("schedule__agreement", "schedule__service")
        .first()
    )
    if notice is None:
        raise Http404("No such notice.")
    if not rules.has_perm(perm, user, notice):
        raise PermissionDenied
    return notice


def schedule_benchmarks(schedule) -> QuerySet[Benchmark]:
    return Benchmark.objects.filter(almo_id=schedule.agreement.almo_id, service_id=schedule.service_id).select_related(
        "entered_by"
    )


def schedule_market_tests(schedule) -> QuerySet[MarketTest]:
    return MarketTest.objects.filter(almo_id=schedule.agreement.almo_id, service_id=schedule.service_id).select_related(
        "recorded_by"
    )
