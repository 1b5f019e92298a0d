"""What a board pack says: every figure is read here from the database, in a fixed number
of queries whatever the size of the agreement. The templates only lay it out.

Exceptions come first (red, late, missing, red two quarters running, open remedial
actions, notice served), then the detail by department and service.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, Q
from django.utils import timezone

from agreements.cost_selectors import with_costs
from agreements.costs import schedule_cost
from agreements.models import Agreement, Schedule, ServiceNotice, Standard, StandardTarget
from agreements.notices import earliest_effective_date, give_notice_by
from reporting.complaints.selectors import ComplaintCounts, complaint_counts
from reporting.models import Departure, QuarterlyReturn, Rag, StandardResult
from reporting.packs.charts import trend_svg
from reporting.rag import RAG_LABELS, RAG_ORDER, red_two_quarters_running
from reporting.scrutiny.selectors import ChallengeCounts, challenge_counts_for_quarter, escalated_to_board
from reporting.value_for_money import DEFAULT_THRESHOLD, vfm_rows
from services.models import Almo, Benchmark, MarketTest
from services.periods import Quarter, financial_year_label

TREND_QUARTERS = 6

# The sections of a pack, in order: key, title. Each is rendered on its own (possibly by
# its own worker) and merged; the cover and contents are rendered last.
SECTIONS = [
    ("summary", "Executive summary"),
    ("performance", "Performance by department and service"),
    ("departures", "Departures from standard"),
    ("costs", "Costs and value for money"),
    ("notice", "Notice periods"),
    ("terms", "Appendix: the agreement's current terms"),
]
SECTION_TITLES = dict(SECTIONS)


# Agreements a pack can be made for: in force or ended, not drafts.
PACK_STATUSES = Agreement.REPORTABLE_STATUSES


class PackError(Exception):
    """The pack cannot be made as asked; the message is shown to the user as is."""


@dataclass
class ReturnLine:
    department: str
    due_date: dt.date
    progress: str
    submitted_on: dt.date | None
    days_late: int


@dataclass
class ResultRow:
    standard: Standard
    service: str
    department: str
    target: str
    actual: str
    rag: str
    trend: str  # inline SVG, already escaped
    trend_text: str
    previous_rag: str = ""


@dataclass
class ServiceBlock:
    name: str
    rows: list[ResultRow] = field(default_factory=list)


@dataclass
class DepartmentBlock:
    name: str
    return_progress: str
    services: list[ServiceBlock] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


@dataclass
class DepartureLine:
    department: str
    service: str
    standard: str
    what_happened: str
    cases: int
    reason: str
    remedial_action: str
    owner: str
    target_date: dt.date
    resolved: bool
    quarter: str
    overdue: bool


@dataclass
class CostLine:
    department: str
    services: list[str]
    last_year: Decimal | None
    this_year: Decimal
    change: Decimal | None
    change_percent: Decimal | None
    red_or_amber: int


@dataclass
class NoticeLine:
    department: str
    service: str
    months: int
    earliest_effective: dt.date
    give_notice_by: dt.date | None
    served: ServiceNotice | None


@dataclass
class PackContent:
    title: str
    almo: Almo
    agreement: Agreement
    quarter: Quarter
    previous_quarter: Quarter
    produced_on: dt.date
    is_final: bool
    rag_counts: list[dict]
    red_now: list[ResultRow]
    red_twice: list[ResultRow]
    late_returns: list[ReturnLine]
    missing_returns: list[ReturnLine]
    open_actions: list[DepartureLine]
    notices_served: list[NoticeLine]
    departments: list[DepartmentBlock]
    departures: list[DepartureLine]
    costs: list[CostLine]
    cost_total_this_year: Decimal
    cost_total_last_year: Decimal | None
    value_for_money_notes: list[dict]
    notice: list[NoticeLine]
    term: object
    schedules: list[Schedule]
    quarter_labels: list[str]
    # Issue 14: the tenant scrutiny panel's challenges and complaints about council services, in the quarter
    challenges: ChallengeCounts | None = None
    escalated_challenges: list = field(default_factory=list)
    complaints: ComplaintCounts | None = None

    @property
    def status_label(self) -> str:
        return "Final" if self.is_final else "Draft"

    @property
    def year_label(self) -> str:
        return financial_year_label(self.quarter.year)

    @property
    def last_year_label(self) -> str:
        return financial_year_label(self.quarter.year - 1)


def pack_agreement(*, almo: Almo, quarter: Quarter) -> Agreement:
    """The ALMO's agreement in force in ``quarter`` (agreed, active or ended; not a draft)."""
    agreement = (
        Agreement.objects.filter(
            almo=almo,
            status__in=PACK_STATUSES,
            start_date__lte=quarter.end,
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=quarter.start))
        .order_by("-start_date")
        .first()
    )
    if agreement is None:
        raise PackError(f"{almo} has no agreement in force in {quarter.label}.")
    return agreement


def pack_quarters(*, agreement: Agreement, today: dt.date | None = None) -> list[Quarter]:
    """Quarters a pack can be made for: from the agreement's start to the last one ended, newest first."""
    today = today or timezone.localdate()
    last = Quarter.containing(today).previous()
    if agreement.end_date:
        last = min(last, Quarter.containing(agreement.end_date))
    quarters, quarter = [], Quarter.containing(agreement.start_date)
    while quarter <= last:
        quarters.append(quarter)
        quarter = quarter.next()
    return quarters[::-1]


def pack_content(*, almo: Almo, quarter: Quarter, today: dt.date | None = None) -> PackContent:
    """Everything the pack shows for ``almo`` in ``quarter``."""
    today = today or timezone.localdate()
    agreement = pack_agreement(almo=almo, quarter=quarter)
    agreement = Agreement.objects.select_related("council", "almo", "coordinator").get(pk=agreement.pk)
    previous = quarter.previous()
    schedules = list(
        with_costs(agreement.schedules.all())
        .prefetch_related(
            Prefetch(
                "standards",
                queryset=Standard.objects.order_by("position", "pk").prefetch_related(
                    Prefetch("targets", queryset=StandardTarget.objects.order_by("effective_from"))
                ),
            ),
        )
        .order_by("service__department__name", "service__name")
    )

    window = _window(quarter, TREND_QUARTERS)
    window_q = Q()
    for q in window:
        window_q |= Q(quarterly_return__financial_year=q.year, quarterly_return__quarter=q.number)
    results = (
        StandardResult.objects.filter(quarterly_return__agreement=agreement)
        .filter(window_q)
        .values_list(
            "standard_id", "quarterly_return__financial_year", "quarterly_return__quarter",
            "target_value", "actual", "milestone_outcome", "rag",
        )
    )
    by_standard: dict[int, dict[Quarter, tuple]] = defaultdict(dict)
    for standard_id, year, number, target, actual, outcome, rag in results:
        by_standard[standard_id][Quarter(year, number)] = (target, actual, outcome, rag)

    returns = list(
        QuarterlyReturn.objects.filter(agreement=agreement, financial_year=quarter.year, quarter=quarter.number)
        .select_related("department")
        .order_by("department__name")
    )
    returns_by_department = {r.department_id: r for r in returns}

    departments, rows_now = _departments(schedules, by_standard, quarter, previous, window, returns_by_department, today)
    counts_now = _count(by_standard, quarter)
    counts_before = _count(by_standard, previous)
    rag_counts = [
        {
            "rag": rag,
            "label": RAG_LABELS[rag],
            "now": counts_now.get(rag, 0),
            "before": counts_before.get(rag, 0),
            "change": counts_now.get(rag, 0) - counts_before.get(rag, 0),
        }
        for rag in RAG_ORDER
    ]

    late, missing = _late_and_missing(returns, schedules, quarter, today)
    departures = _departures(
        Departure.objects.filter(
            result__quarterly_return__agreement=agreement,
            result__quarterly_return__financial_year=quarter.year,
            result__quarterly_return__quarter=quarter.number,
        ),
        today,
    )
    open_actions = _departures(
        Departure.objects.filter(result__quarterly_return__agreement=agreement, resolved=False).filter(
            Q(result__quarterly_return__financial_year__lt=quarter.year)
            | Q(result__quarterly_return__financial_year=quarter.year, result__quarterly_return__quarter__lte=quarter.number)
        ),
        today,
    )
    # What the ALMO pays: every live agreement of the ALMO, not only this one (an agreement that
    # replaces another part-way through a year shares the year with it), as on the costs page.
    almo_schedules = list(
        with_costs(Schedule.objects.filter(agreement__almo=agreement.almo, agreement__status__in=Agreement.LIVE_STATUSES))
    )
    costs, total_now, total_before = _costs(almo_schedules, quarter, rows_now)
    notice = _notice(agreement, schedules, today)
    is_final = bool(returns) and all(r.status == QuarterlyReturn.Status.ACCEPTED for r in returns) and not missing
    return PackContent(
        title=f"{agreement.almo} board pack, {quarter.label}",
        almo=agreement.almo,
        agreement=agreement,
        quarter=quarter,
        previous_quarter=previous,
        produced_on=today,
        is_final=is_final,
        rag_counts=rag_counts,
        red_now=[r for r in rows_now if r.rag == Rag.RED],
        red_twice=[r for r in rows_now if red_two_quarters_running(r.rag, r.previous_rag)],
        late_returns=late,
        missing_returns=missing,
        open_actions=open_actions,
        notices_served=[n for n in notice if n.served],
        departments=departments,
        departures=departures,
        costs=costs,
        cost_total_this_year=total_now,
        cost_total_last_year=total_before,
        value_for_money_notes=value_for_money_notes(
            agreement=agreement, financial_year=quarter.year, schedules=schedules, by_standard=by_standard, quarters=window
        ),
        notice=notice,
        term=agreement.term_in_force(today) or agreement.term_in_force(quarter.end),
        schedules=schedules,
        quarter_labels=[q.label for q in window],
        challenges=challenge_counts_for_quarter(almo=agreement.almo, quarter=quarter, today=today),
        escalated_challenges=list(escalated_to_board(almo=agreement.almo, quarter=quarter)),
        complaints=complaint_counts(almo=agreement.almo, start=quarter.start, end=quarter.end, today=today),
    )


def value_for_money_notes(
    *, agreement: Agreement, financial_year: int, schedules: list[Schedule], by_standard: dict, quarters: list[Quarter]
) -> list[dict]:
    """Value-for-money notes for the services the ALMO has benchmarked or market tested (issue 6's
    ``reporting.value_for_money``): the verdict, cost against the benchmark range, the evidence's
    quality notes and the latest market test. Two queries."""
    service_ids = [schedule.service_id for schedule in schedules]
    benchmarks = list(Benchmark.objects.filter(almo_id=agreement.almo_id, service_id__in=service_ids))
    tests = list(MarketTest.objects.filter(almo_id=agreement.almo_id, service_id__in=service_ids))
    if not benchmarks and not tests:
        return []
    standard_schedule = {st.pk: schedule.pk for schedule in schedules for st in schedule.standards.all()}
    rag_results = [
        {"schedule_id": standard_schedule[standard_id], "year": q.year, "quarter": q.number, "rag": values[3]}
        for standard_id, per_quarter in by_standard.items()
        if standard_id in standard_schedule
        for q, values in per_quarter.items()
    ]
    quality = defaultdict(list)
    for benchmark in benchmarks:
        if benchmark.quality_notes:
            quality[benchmark.service_id].append(f"{benchmark.source}: {benchmark.quality_notes}")
    notes = []
    rows = vfm_rows(
        schedules, benchmarks=benchmarks, rag_results=rag_results, market_tests=tests,
        year=financial_year, threshold=DEFAULT_THRESHOLD, quarters=quarters[-4:],
    )
    for row in rows:
        if row.stats is None and row.market_test is None:
            continue
        parts = [f"{row.verdict}."]
        if row.stats:
            parts.append(
                f"The council charges £{row.council_cost:,.0f} in the year"
                f"{' (part of the year)' if row.part_year else ''} against a benchmark median of "
                f"£{row.stats.median:,.0f} (£{row.stats.lowest:,.0f} to £{row.stats.highest:,.0f}, "
                f"{row.stats.count} benchmark{'s' if row.stats.count != 1 else ''}), "
                f"{abs(row.difference)}% {'above' if row.difference >= 0 else 'below'} the median."
            )
        parts += [f"{q}." for q in quality.get(row.schedule.service_id, [])]
        if row.market_test:
            parts.append(f"Market test: {row.market_test.label} ({row.market_test.recorded_on:%-d %B %Y}): {row.market_test.reason}")
        notes.append(
            {"department": row.schedule.service.department.name, "service": row.schedule.service.name, "note": " ".join(parts)}
        )
    return notes


def _window(quarter: Quarter, size: int) -> list[Quarter]:
    quarters = [quarter]
    while len(quarters) < size:
        quarters.append(quarters[-1].previous())
    return quarters[::-1]


def _count(by_standard, quarter: Quarter) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for per_quarter in by_standard.values():
        if quarter in per_quarter:
            counts[per_quarter[quarter][3] or ""] += 1
    return counts


def _departments(schedules, by_standard, quarter, previous, window, returns_by_department, today):
    departments: dict[int, DepartmentBlock] = {}
    rows_now: list[ResultRow] = []
    for schedule in schedules:
        department = schedule.service.department
        block = departments.get(department.pk)
        if block is None:
            ret = returns_by_department.get(department.pk)
            progress = ret.progress(today).label if ret else "No return"
            block = departments[department.pk] = DepartmentBlock(department.name, progress)
        service_block = ServiceBlock(schedule.service.name)
        for standard in schedule.standards.all():
            history = by_standard.get(standard.pk, {})
            target, actual, outcome, rag = history.get(quarter, (None, None, "", ""))
            if standard.kind == Standard.Kind.MILESTONE:
                target_text = f"By {standard.due_date:%-d %B %Y}"
                actual_text = dict(StandardResult.MilestoneOutcome.choices).get(outcome, "Not yet due" if standard.due_date > quarter.end else "No figure")
            else:
                if target is None:
                    in_force = standard.target_on(quarter.end)
                    target = in_force.value if in_force else None
                target_text = standard.format_value(target) or "None set"
                actual_text = standard.format_value(actual) or "No figure"
            points = [(q.label, history.get(q, (None, None, "", ""))) for q in window]
            svg, text = trend_svg(standard, points)
            row = ResultRow(
                standard=standard,
                service=schedule.service.name,
                department=department.name,
                target=target_text,
                actual=actual_text,
                rag=rag or "",
                trend=svg,
                trend_text=text,
                previous_rag=history.get(previous, (None, None, "", ""))[3] or "",
            )
            service_block.rows.append(row)
            rows_now.append(row)
            block.counts[row.rag] = block.counts.get(row.rag, 0) + 1
        block.services.append(service_block)
    return list(departments.values()), rows_now


def _late_and_missing(returns, schedules, quarter, today):
    late, missing = [], []
    seen = set()
    for ret in returns:
        seen.add(ret.department_id)
        submitted_on = timezone.localtime(ret.submitted_at).date() if ret.submitted_at else None
        if not submitted_on:
            if today > ret.due_date:
                missing.append(ReturnLine(ret.department.name, ret.due_date, ret.progress(today).label, None, (today - ret.due_date).days))
            continue
        if ret.is_late(today):
            late.append(ReturnLine(ret.department.name, ret.due_date, ret.progress(today).label, submitted_on, (submitted_on - ret.due_date).days))
    for schedule in schedules:
        department = schedule.service.department
        if department.pk not in seen and today > quarter.end:
            seen.add(department.pk)
            missing.append(ReturnLine(department.name, quarter.end, "No return opened", None, (today - quarter.end).days))
    return late, missing


def _departures(queryset, today) -> list[DepartureLine]:
    rows = queryset.select_related(
        "result__standard__schedule__service__department", "result__quarterly_return"
    ).order_by("result__standard__schedule__service__department__name", "result__standard__schedule__service__name", "target_date", "pk")
    lines = []
    for d in rows:
        standard = d.result.standard
        ret = d.result.quarterly_return
        lines.append(
            DepartureLine(
                department=standard.schedule.service.department.name,
                service=standard.schedule.service.name,
                standard=standard.title,
                what_happened=d.what_happened,
                cases=d.cases,
                reason=d.reason,
                remedial_action=d.remedial_action,
                owner=d.owner,
                target_date=d.target_date,
                resolved=d.resolved,
                quarter=ret.period.label,
                overdue=not d.resolved and d.target_date < today,
            )
        )
    return lines


def _costs(schedules, quarter, rows_now):
    failing: dict[str, int] = defaultdict(int)
    for row in rows_now:
        if row.rag in (Rag.RED, Rag.AMBER):
            failing[row.department] += 1
    by_department: dict[str, CostLine] = {}
    for schedule in schedules:
        this_year, last_year = schedule_cost(schedule, quarter.year), schedule_cost(schedule, quarter.year - 1)
        if not this_year and not last_year:
            continue  # not paid for in either year
        name = schedule.service.department.name
        line = by_department.setdefault(name, CostLine(name, [], Decimal("0"), Decimal("0"), None, None, failing[name]))
        line.services.append(schedule.service.name)
        line.this_year += this_year
        line.last_year += last_year
    for line in by_department.values():
        if line.last_year:
            line.change = line.this_year - line.last_year
            line.change_percent = (line.change / line.last_year * 100).quantize(Decimal("0.1"))
    lines = sorted(by_department.values(), key=lambda line: -line.this_year)
    total_now = sum((line.this_year for line in lines), Decimal("0"))
    total_before = None if any(line.last_year is None for line in lines) else sum(line.last_year for line in lines)
    return lines, total_now, total_before


def _notice(agreement, schedules, today) -> list[NoticeLine]:
    term = agreement.term_in_force(today)
    lines = []
    for schedule in schedules:
        served = next(iter(schedule.open_notices), None)
        lines.append(
            NoticeLine(
                department=schedule.service.department.name,
                service=schedule.service.name,
                months=schedule.notice_period_months,
                earliest_effective=earliest_effective_date(today, schedule.notice_period_months, agreement.notice_alignment),
                give_notice_by=give_notice_by(term.end, schedule.notice_period_months, agreement.notice_alignment)
                if term and term.end
                else None,
                served=served,
            )
        )
    return sorted(lines, key=lambda line: (line.months, line.earliest_effective, line.department, line.service))
