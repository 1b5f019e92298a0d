"""The council's view across its ALMOs: one service side by side, and what administering the
arrangements costs each department a year. Narrowed to the user's council (administrators: all)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q

from agreements.cost_selectors import with_costs
from agreements.costs import schedule_cost
from agreements.council_templates import redline, template_for
from agreements.models import Agreement, Comment, Schedule, VariationChange
from reporting.models import Departure, QuarterlyReturn, ReturnEvent, StandardResult
from services.models import Almo, Department, Service
from services.periods import Quarter, financial_year_first_day
from services.roles import Role, council_id_of, role_of

_RAG_ORDER = {"red": 0, "amber": 1, "green": 2}
HISTORY_QUARTERS = 4


def almos_for(user):
    qs = Almo.objects.select_related("council").order_by("name")
    if role_of(user) == Role.ADMINISTRATOR:
        return qs
    return qs.filter(council_id=council_id_of(user))


def departments_for(user):
    qs = Department.objects.order_by("name")
    if role_of(user) == Role.ADMINISTRATOR:
        return qs
    return qs.filter(council_id=council_id_of(user))


def services_for(user):
    return (
        Service.objects.filter(department__in=departments_for(user))
        .select_related("department")
        .order_by("department__name", "name")
    )


@dataclass
class AlmoColumn:
    almo: Almo
    schedule: Schedule | None
    cost: Decimal | None = None
    rag_history: list[tuple[Quarter, str]] = field(default_factory=list)
    departures: int = 0
    open_departures: int = 0
    template_departures: list[str] | None = None  # None: the council keeps no template for the service


def _latest_schedule_per_almo(service: Service, almos) -> dict[int, Schedule]:
    """Each ALMO's schedule for the service in its current agreement (live first, then the newest)."""
    rank = {Agreement.Status.ACTIVE: 0, Agreement.Status.AGREED: 1}
    found: dict[int, Schedule] = {}
    schedules = (
        with_costs(Schedule.objects.filter(service=service, agreement__almo__in=almos).select_related("agreement"))
        .prefetch_related("standards__targets")
        .order_by("-agreement__start_date")
    )
    for schedule in schedules:
        current = found.get(schedule.agreement.almo_id)
        key = (rank.get(schedule.agreement.status, 2), -schedule.agreement.start_date.toordinal())
        if current is None or key < (rank.get(current.agreement.status, 2), -current.agreement.start_date.toordinal()):
            found[schedule.agreement.almo_id] = schedule
    return found


def service_comparison(*, user, service: Service, today: dt.date) -> list[AlmoColumn]:
    """The same service across the council's ALMOs: this year's cost, notice period, RAG over the last
    four quarters and departures from standard. Five queries whatever the number of ALMOs."""
    almos = list(almos_for(user))
    schedules = _latest_schedule_per_almo(service, almos)
    year = Quarter.containing(today).year
    last = Quarter.containing(today).previous()
    quarters = [last]
    for _ in range(HISTORY_QUARTERS - 1):
        quarters.insert(0, quarters[0].previous())
    ids = [s.pk for s in schedules.values()]
    in_window = Q()
    for q in quarters:
        in_window |= Q(quarterly_return__financial_year=q.year, quarterly_return__quarter=q.number)
    worst: dict[tuple[int, Quarter], str] = {}
    for schedule_id, fy, qn, rag in (
        StandardResult.objects.filter(in_window, standard__schedule_id__in=ids)
        .exclude(rag="")
        .values_list("standard__schedule_id", "quarterly_return__financial_year", "quarterly_return__quarter", "rag")
    ):
        key = (schedule_id, Quarter(fy, qn))
        if key not in worst or _RAG_ORDER[rag] < _RAG_ORDER[worst[key]]:
            worst[key] = rag
    departures = {
        row["result__standard__schedule_id"]: row
        for row in Departure.objects.filter(result__standard__schedule_id__in=ids)
        .values("result__standard__schedule_id")
        .annotate(n=Count("pk"), open=Count("pk", filter=Q(resolved=False)))
    }
    template = template_for(service)
    columns = []
    for almo in almos:
        schedule = schedules.get(almo.pk)
        column = AlmoColumn(almo=almo, schedule=schedule)
        if schedule is not None:
            column.template_departures = redline(schedule=schedule, template=template) if template else None
            column.cost = schedule_cost(schedule, year)
            column.rag_history = [(q, worst.get((schedule.pk, q), "")) for q in quarters]
            row = departures.get(schedule.pk, {})
            column.departures, column.open_departures = row.get("n", 0), row.get("open", 0)
        columns.append(column)
    return columns


@dataclass
class AdministrationRow:
    department: Department
    agreements: int = 0
    variations: int = 0
    comments: int = 0
    returns: int = 0
    queries: int = 0

    @property
    def total(self) -> int:
        return self.agreements + self.variations + self.comments + self.returns + self.queries


def administration_cost(*, user, year: int) -> list[AdministrationRow]:
    """Per department, for the financial year starting in ``year``: the agreements it is in, variations to its
    schedules, comments on drafts, quarterly returns and returns sent back with a query. Five queries."""
    first, last = financial_year_first_day(year), dt.date(year + 1, 3, 31)
    departments = list(departments_for(user))
    rows = {d.pk: AdministrationRow(department=d) for d in departments}
    almos = almos_for(user)
    runs = Q(agreement__start_date__lte=last) & (
        Q(agreement__end_date__isnull=True) | Q(agreement__end_date__gte=first)
    )
    for dept, n in (
        Schedule.objects.filter(runs, agreement__almo__in=almos, agreement__is_template=False)
        .values_list("service__department_id")
        .annotate(n=Count("agreement", distinct=True))
        .order_by()
    ):
        if dept in rows:
            rows[dept].agreements = n
    for dept, n in (
        VariationChange.objects.filter(
            schedule__agreement__almo__in=almos,
            variation__created_at__date__gte=first,
            variation__created_at__date__lte=last,
        )
        .values_list("schedule__service__department_id")
        .annotate(n=Count("variation", distinct=True))
        .order_by()
    ):
        if dept in rows:
            rows[dept].variations = n
    for dept, n in (
        Comment.objects.filter(
            version__agreement__almo__in=almos,
            service__isnull=False,
            created_at__date__gte=first,
            created_at__date__lte=last,
        )
        .values_list("service__department_id")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        if dept in rows:
            rows[dept].comments = n
    for dept, n in (
        QuarterlyReturn.objects.filter(agreement__almo__in=almos, financial_year=year)
        .values_list("department_id")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        if dept in rows:
            rows[dept].returns = n
    for dept, n in (
        ReturnEvent.objects.filter(
            quarterly_return__agreement__almo__in=almos,
            quarterly_return__financial_year=year,
            to_status=QuarterlyReturn.Status.SENT_BACK,
        )
        .values_list("quarterly_return__department_id")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        if dept in rows:
            rows[dept].queries = n
    return sorted(rows.values(), key=lambda r: (-r.total, r.department.name))
