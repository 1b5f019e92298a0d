"""Reads for the dashboard and for quarterly returns, narrowed to what the signed-in user may see."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet, Window
from django.http import Http404

from agreements.cost_selectors import cost_schedules
from agreements.costs import CostTotals, cost_totals
from agreements.models import Agreement, Schedule
from agreements.selectors import agreement_list
from almo_sla.access import can
from reporting.models import Departure, QuarterlyReturn, Rag, ReturnReminder, StandardResult
from reporting.rag import red_two_quarters_running
from reporting.value_for_money import DEFAULT_THRESHOLD, VfmRow, vfm_rows
from reporting.value_selectors import benchmarks_for_schedules_query
from services.periods import Quarter, financial_year_start
from services.roles import Role, almo_id_of, council_id_of, department_id_of, role_of


@dataclass
class DashboardSummary:
    agreements: list[Agreement]
    status_counts: dict[str, int]
    costs: CostTotals
    shortest_notice: int | None
    longest_notice: int | None
    show_value: bool = False
    threshold: Decimal = DEFAULT_THRESHOLD
    above_benchmark: list[VfmRow] = field(default_factory=list)
    under_notice: list[tuple[Schedule, dt.date]] = field(default_factory=list)

    @property
    def year_label(self) -> str:
        return self.costs.label


def dashboard_summary(*, user, today: dt.date) -> DashboardSummary:
    """The dashboard's agreements, this financial year's costs, and (for those who see value for
    money) services above benchmark and notices: a constant number of queries, whatever the size.

    Costs are ``agreements.costs.cost_totals`` over the same schedules as the costs page, so the
    two agree to the penny (overlapping agreements, notices and variations included).
    """
    agreements = list(agreement_list(user=user).order_by("-start_date")[:10])
    visible = agreement_list(user=user).values("pk")
    status_counts = dict(
        Agreement.objects.filter(pk__in=visible).values_list("status").annotate(n=Count("pk")).order_by()
    )
    year = financial_year_start(today)
    schedule_qs = cost_schedules(user=user)
    schedules = list(schedule_qs)
    totals = cost_totals(schedules, year=year)
    in_force = [row.schedule for row in totals.schedules if row.days_this_year]
    notice_periods = [s.notice_period_months for s in in_force]
    summary = DashboardSummary(
        agreements=agreements,
        status_counts={label: status_counts.get(value, 0) for value, label in Agreement.Status.choices},
        costs=totals,
        shortest_notice=min(notice_periods) if notice_periods else None,
        longest_notice=max(notice_periods) if notice_periods else None,
    )
    if can(user, "reporting.view_value_for_money"):
        rows = vfm_rows(
            schedules,
            benchmarks=benchmarks_for_schedules_query(schedule_qs),
            rag_results=[],
            market_tests=[],
            year=year,
            threshold=DEFAULT_THRESHOLD,
            quarters=[],
            costs={row.schedule.pk: (row.this_year, row.days_this_year) for row in totals.schedules},
        )
        summary.show_value = True
        summary.above_benchmark = sorted(
            (r for r in rows if r.above_threshold), key=lambda r: -(r.difference or Decimal("0"))
        )
        summary.under_notice = sorted(
            ((s, s.open_notices[0].effective_date) for s in schedules if s.open_notices),
            key=lambda pair: (pair[1], pair[0].service.name),
        )
    return summary


# ---------------------------------------------------------------------------
# Quarterly returns (issue 4): reads narrowed to what the user may see
# ---------------------------------------------------------------------------


def _visible_returns_filter(user) -> Q | None:
    """The returns a user may see, as a filter on QuarterlyReturn (None: none at all)."""
    role = role_of(user)
    if role == Role.ADMINISTRATOR:
        return Q()
    if role in (Role.COORDINATOR, Role.BOARD_MEMBER):
        return Q(agreement__almo_id=almo_id_of(user))
    if role == Role.DEPARTMENT_OFFICER:
        return Q(
            department_id=department_id_of(user), agreement__schedules__service__department_id=department_id_of(user)
        )
    if role == Role.PANEL_MEMBER:  # the figures the coordinator has accepted, nothing before
        return Q(agreement__almo_id=almo_id_of(user), status=QuarterlyReturn.Status.ACCEPTED)
    if role == Role.COUNCIL_OFFICER:
        return Q(agreement__council_id=council_id_of(user))
    return None


def returns_visible(*, user) -> QuerySet[QuarterlyReturn]:
    """The returns the user may see, plain (no annotations, no duplicates): for counting and filtering."""
    visible = _visible_returns_filter(user)
    if visible is None:
        return QuarterlyReturn.objects.none()
    return QuarterlyReturn.objects.filter(pk__in=QuarterlyReturn.objects.filter(visible).values("pk"))


def visible_return_ids(*, user) -> QuerySet:
    """The ids of the returns the user may see: a plain subquery (no joins for RAG counts, no
    GROUP BY), for filtering other tables by the returns in one query."""
    visible = _visible_returns_filter(user)
    if visible is None:
        return QuarterlyReturn.objects.none().values("pk")
    return QuarterlyReturn.objects.filter(visible).values("pk")


def return_list(*, user) -> QuerySet[QuarterlyReturn]:
    """Returns the user may see, with their RAG counts, in one query."""
    visible = _visible_returns_filter(user)
    if visible is None:
        return QuarterlyReturn.objects.none()
    ids = QuarterlyReturn.objects.filter(visible).values("pk")
    return (
        QuarterlyReturn.objects.filter(pk__in=ids)
        .select_related("agreement", "agreement__almo", "department")
        .annotate(
            red=Count("results", filter=Q(results__rag=Rag.RED)),
            amber=Count("results", filter=Q(results__rag=Rag.AMBER)),
            green=Count("results", filter=Q(results__rag=Rag.GREEN)),
        )
        .order_by("-financial_year", "-quarter", "department__name", "agreement__reference")
    )


FILL = "reporting.change_quarterlyreturn"
REVIEW = "reporting.review_quarterlyreturn"


def return_can(user, perm: str, ret: QuarterlyReturn) -> bool:
    """Whether the user may do ``perm`` on the return now (the rules include the state it needs)."""
    return can(user, perm, ret)


def return_get(*, user, pk: int, perm: str = "reporting.view_quarterlyreturn") -> QuarterlyReturn:
    """The return ``pk`` if the user may see it (404 otherwise) and may do ``perm`` on it now (403)."""
    ret = return_list(user=user).filter(pk=pk).first()
    if ret is None:
        raise Http404("No such return.")
    if not return_can(user, perm, ret):
        raise PermissionDenied
    return ret


def reminders_sent_now(*, quarterly_return: QuarterlyReturn) -> list[ReturnReminder]:
    """The reminders coordinators sent about the return ("send a reminder now"), newest first (one query)."""
    return list(
        quarterly_return.reminders.filter(kind=ReturnReminder.Kind.MANUAL)
        .select_related("requested_by")
        .order_by("-sent_on", "-pk")
    )


def result_list(*, quarterly_return: QuarterlyReturn) -> QuerySet[StandardResult]:
    """The return's results with their standards, services and departures, in three queries."""
    return (
        quarterly_return.results.select_related("standard", "standard__schedule__service")
        .prefetch_related("departures")
        .order_by("standard__schedule__service__name", "standard__position", "standard_id")
    )


def departure_list(*, user) -> QuerySet[Departure]:
    """Departures from standard on the returns the user may see."""
    return (
        Departure.objects.filter(result__quarterly_return__in=visible_return_ids(user=user))
        .select_related(
            "result__standard__schedule__service",
            "result__quarterly_return__department",
            "result__quarterly_return__agreement",
        )
        .order_by("resolved", "target_date", "pk")
    )


DEPARTURE_EXPORT_HEADERS = [
    "Quarter",
    "Department",
    "Standard",
    "Service",
    "What happened",
    "Number of cases",
    "Reason",
    "Remedial action",
    "Owner",
    "Target date",
    "Resolved",
]


def departure_export_rows(*, departures: QuerySet[Departure]):
    """The export's rows for ``departures`` (already narrowed and filtered), from one values query."""
    rows = departures.values_list(
        "result__quarterly_return__financial_year",
        "result__quarterly_return__quarter",
        "result__quarterly_return__department__name",
        "result__standard__title",
        "result__standard__schedule__service__name",
        "what_happened",
        "cases",
        "reason",
        "remedial_action",
        "owner",
        "target_date",
        "resolved",
        "resolved_on",
    )
    for year, number, department, standard, service, what, cases, reason, action, owner, target, resolved, on in rows:
        yield (
            Quarter(year, number).label,
            department,
            standard,
            service,
            what,
            cases,
            reason,
            action,
            owner,
            target.isoformat(),
            on.isoformat() if resolved and on else ("yes" if resolved else "open"),
        )


def departure_get(*, user, quarterly_return: QuarterlyReturn, pk: int) -> Departure:
    departure = (
        Departure.objects.filter(result__quarterly_return=quarterly_return, pk=pk)
        .select_related("result__standard", "result__quarterly_return")
        .first()
    )
    if departure is None:
        raise Http404("No such departure.")
    return departure


TREND_QUARTERS = 8


def rag_trends(*, quarterly_return: QuarterlyReturn, results: list[StandardResult]) -> dict[int, list[StandardResult]]:
    """Each standard's results over the last quarters up to this return's, oldest first (one query)."""
    end = quarterly_return.period
    start = end
    for _ in range(TREND_QUARTERS - 1):
        start = start.previous()
    in_range = Q(quarterly_return__financial_year__gt=start.year) | Q(
        quarterly_return__financial_year=start.year, quarterly_return__quarter__gte=start.number
    )
    upto = Q(quarterly_return__financial_year__lt=end.year) | Q(
        quarterly_return__financial_year=end.year, quarterly_return__quarter__lte=end.number
    )
    rows = (
        StandardResult.objects.filter(in_range & upto, standard_id__in=[r.standard_id for r in results])
        .select_related("quarterly_return")
        .order_by("quarterly_return__financial_year", "quarterly_return__quarter")
    )
    trends: dict[int, list[StandardResult]] = {}
    for row in rows:
        trends.setdefault(row.standard_id, []).append(row)
    return trends


@dataclass
class ReturnsSummary:
    quarter: Quarter
    rag_counts: dict[str, int]
    overdue: list[QuarterlyReturn]
    late_count: int
    open_returns: list[QuarterlyReturn]
    open_actions: list[Departure]
    open_action_count: int
    escalations: list[StandardResult]


def escalations(*, returns: QuerySet[QuarterlyReturn], quarter: Quarter) -> list[StandardResult]:
    """Results in ``returns`` for ``quarter`` whose standard is red two quarters running (the rule
    of ``reporting.rag.red_two_quarters_running``): for escalation to the board. Two queries: this
    quarter's red results (a result that is not red now cannot be red two quarters running), then
    the RAG of their standards' results the quarter before (in any return), as plain values."""
    before = quarter.previous()
    candidates = list(
        StandardResult.objects.filter(
            quarterly_return__in=returns.values("pk"),
            quarterly_return__financial_year=quarter.year,
            quarterly_return__quarter=quarter.number,
            rag=Rag.RED,
        )
        .select_related("standard__schedule__service", "quarterly_return__department", "quarterly_return__agreement")
        .order_by("quarterly_return__department__name", "standard__title", "pk")
    )
    if not candidates:
        return []
    rags: dict[int, dict[Quarter, str]] = {}
    earlier = (
        StandardResult.objects.filter(
            standard__in={row.standard_id for row in candidates},
            quarterly_return__financial_year=before.year,
            quarterly_return__quarter=before.number,
        )
        .order_by("pk")
        .values_list("standard_id", "rag")
    )
    for standard_id, rag in earlier:
        rags.setdefault(standard_id, {})[before] = rag
    for row in candidates:
        rags.setdefault(row.standard_id, {})[quarter] = row.rag
    return [row for row in candidates if red_two_quarters_running(rags[row.standard_id], quarter)]


def returns_summary(*, user, today: dt.date) -> ReturnsSummary:
    """The dashboard's returns section: last quarter's RAG, late returns, open actions, escalations.

    Seven queries, whatever the data size.
    """
    quarter = Quarter.containing(today).previous()
    is_officer = role_of(user) == Role.DEPARTMENT_OFFICER
    plain = QuarterlyReturn.objects.filter(pk__in=visible_return_ids(user=user))
    counts = dict(
        StandardResult.objects.filter(
            quarterly_return__in=plain.filter(financial_year=quarter.year, quarter=quarter.number).values("pk")
        )
        .exclude(rag="")
        .values_list("rag")
        .annotate(n=Count("pk"))
        .order_by()
    )
    unsubmitted = list(
        plain.editable().select_related("department", "agreement").order_by("due_date", "department__name")[:30]
    )
    late_count = plain.filter(financial_year=quarter.year, quarter=quarter.number).submitted_late().count()
    # The ten soonest open actions, each carrying the count of all (a window: one query).
    actions = list(
        departure_list(user=user).filter(resolved=False).annotate(total_rows=Window(expression=Count("pk")))[:10]
    )
    return ReturnsSummary(
        quarter=quarter,
        rag_counts={value: counts.get(value, 0) for value, _label in Rag.choices},
        overdue=[r for r in unsubmitted if r.due_date < today][:10],
        late_count=late_count,
        # officers see every return they have to do; others those whose quarter has ended
        open_returns=[r for r in unsubmitted if r.due_date >= today and (is_officer or r.period.end < today)][:10],
        open_actions=actions,
        open_action_count=actions[0].total_rows if actions else 0,
        escalations=list(escalations(returns=plain, quarter=quarter)),
    )
