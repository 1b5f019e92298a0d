"""What the ALMO pays the council: the one rule for what a schedule costs in a financial year,
and totals per department, per service category and per agreement, this year against last.

``schedule_cost(schedule, year)`` is the only place a cost is worked out. The costs page, the
dashboard, value for money, the exit planner and the board pack all call it, so they agree to
the penny. A schedule is paid for day by day while it is in force (``Schedule.in_force``):

- from its agreement's start date, or the date it replaces an earlier agreement's schedule;
- to the end of the agreement's last term, renewal terms included (an agreement that renews
  keeps costing after its first end date);
- cut short by notice served and not withdrawn (paid up to and including the day notice takes
  effect), and by a later agreement's schedule that replaces it (paid to the day before).

The yearly rate is the cost recorded for that financial year (``ScheduleYearCost``, with its
uplift) or, when none is recorded, the schedule's annual cost. A variation of the annual cost,
once approved by both parties, replaces the rate from its effective date: before it, the rate
is the recorded figure (or the cost before the variation); from it, the varied cost, also in
later years. Days are counted in the financial year's own length (366 when it holds 29 February),
and each result is rounded to the penny.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from agreements.models import Schedule, Variation, VariationChange
from services.periods import (
    financial_year_days,
    financial_year_first_day,
    financial_year_label,
    financial_year_last_day,
    financial_year_start,
)

ZERO = Decimal("0")
PENNY = Decimal("0.01")

__all__ = [
    "ZERO",
    "CostLine",
    "CostTotals",
    "ScheduleCost",
    "chart_bars",
    "chart_lines",
    "cost_between",
    "cost_totals",
    "days_in_force",
    "financial_year_last_day",
    "parse_money",
    "schedule_cost",
]


def parse_money(text: str) -> Decimal | None:
    """'£195,000.00' → Decimal('195000.00'); None when it is not an amount."""
    try:
        return Decimal(str(text).replace(",", "").replace("£", "").strip())
    except (InvalidOperation, ValueError):
        return None


def _cost_changes(schedule: Schedule) -> list[VariationChange]:
    """The schedule's annual-cost changes agreed by both parties, earliest effective first.

    Reads ``cost_changes`` prefetched by ``agreements.cost_selectors.with_costs`` when present.
    """
    changes = getattr(schedule, "cost_changes", None)
    if changes is None:
        changes = list(
            schedule.variation_changes.filter(
                field=VariationChange.Field.ANNUAL_COST,
                variation__status__in=[Variation.Status.APPROVED, Variation.Status.APPLIED],
            ).select_related("variation")
        )
    return sorted(changes, key=lambda c: (c.variation.effective_date, c.variation.number, c.pk))


def _recorded(schedule: Schedule, year: int) -> Decimal | None:
    """The cost recorded for ``year``; reads ``recorded_costs`` (set by ``cost_selectors.with_costs``) when present."""
    recorded = getattr(schedule, "recorded_costs", None)
    for year_cost in schedule.year_costs.all() if recorded is None else recorded:
        if year_cost.financial_year == year:
            return year_cost.amount
    return None


def _rate(schedule: Schedule, year: int, day: dt.date, changes: list[VariationChange]) -> Decimal:
    """The yearly rate in force on ``day`` (in financial year ``year``)."""
    in_force = [c for c in changes if c.variation.effective_date <= day]
    if in_force:
        varied = parse_money(in_force[-1].new_value)
        if varied is not None:
            return varied
    recorded = _recorded(schedule, year)
    if recorded is not None:
        return recorded
    if changes:
        # Before the first variation the schedule cost what it did then (``annual_cost`` now
        # holds the varied figure once a variation has been applied).
        before = parse_money(changes[0].old_value)
        if before is not None:
            return before
    return schedule.annual_cost


def _window(
    schedule: Schedule, first: dt.date, last: dt.date, *, with_notice: bool = True
) -> tuple[dt.date, dt.date] | None:
    start, end = schedule.in_force(with_notice=with_notice)
    low = max(first, start)
    high = last if end is None else min(last, end)
    return (low, high) if low <= high else None


def days_in_force(schedule: Schedule, year: int) -> int:
    """How many days of the financial year starting in ``year`` the schedule is paid for."""
    window = _window(schedule, financial_year_first_day(year), financial_year_last_day(year))
    return (window[1] - window[0]).days + 1 if window else 0


def cost_between(schedule: Schedule, first: dt.date, last: dt.date, *, with_notice: bool = True) -> Decimal:
    """What the schedule costs from ``first`` to ``last`` inclusive, rounded to the penny.

    ``with_notice=False`` costs it as if notice served had not been (what the notice saves).
    Needs the schedule loaded by ``agreements.cost_selectors.with_costs`` to add no query.
    """
    window = _window(schedule, first, last, with_notice=with_notice)
    if window is None:
        return ZERO
    low, high = window
    changes = _cost_changes(schedule)
    switch_days = sorted({c.variation.effective_date for c in changes if low < c.variation.effective_date <= high})
    total = ZERO
    segment_start = low
    while segment_start <= high:
        year = financial_year_start(segment_start)
        segment_end = min(high, financial_year_last_day(year))
        for day in switch_days:
            if segment_start < day <= segment_end:
                segment_end = day - dt.timedelta(days=1)
                break
        days = (segment_end - segment_start).days + 1
        total += _rate(schedule, year, segment_start, changes) * days / financial_year_days(year)
        segment_start = segment_end + dt.timedelta(days=1)
    return total.quantize(PENNY, rounding=ROUND_HALF_UP)


def schedule_cost(schedule: Schedule, year: int, *, with_notice: bool = True) -> Decimal:
    """What the ALMO pays for the schedule in the financial year starting in ``year``."""
    return cost_between(
        schedule, financial_year_first_day(year), financial_year_last_day(year), with_notice=with_notice
    )


@dataclass
class CostLine:
    """One row of a total: a department, category or agreement, or the grand total."""

    label: str
    this_year: Decimal = ZERO
    last_year: Decimal = ZERO
    services: int = 0
    hra: Decimal = ZERO

    @property
    def change(self) -> Decimal:
        return self.this_year - self.last_year

    @property
    def change_percent(self) -> Decimal | None:
        if not self.last_year:
            return None
        return (self.change * 100 / self.last_year).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class ScheduleCost:
    schedule: Schedule
    this_year: Decimal
    last_year: Decimal
    days_this_year: int = 0

    @property
    def change(self) -> Decimal:
        return self.this_year - self.last_year


@dataclass
class CostTotals:
    year: int
    total: CostLine
    by_department: list[CostLine] = field(default_factory=list)
    by_category: list[CostLine] = field(default_factory=list)
    by_agreement: list[CostLine] = field(default_factory=list)
    schedules: list[ScheduleCost] = field(default_factory=list)

    @property
    def label(self) -> str:
        return financial_year_label(self.year)

    @property
    def last_label(self) -> str:
        return financial_year_label(self.year - 1)


def _group(rows: list[ScheduleCost], key: Callable[[Schedule], str]) -> list[CostLine]:
    lines: dict[str, CostLine] = {}
    for row in rows:
        label = key(row.schedule)
        line = lines.setdefault(label, CostLine(label))
        line.this_year += row.this_year
        line.last_year += row.last_year
        line.services += 1 if row.days_this_year else 0
        if row.schedule.service.hra_funded:
            line.hra += row.this_year
    return sorted(lines.values(), key=lambda line: (-line.this_year, line.label))


def cost_totals(schedules: Iterable[Schedule], *, year: int) -> CostTotals:
    """Totals for the financial year starting in ``year`` against the year before.

    ``schedules`` come from ``cost_selectors.cost_schedules`` (everything ``schedule_cost``
    reads is loaded), so this makes no query of its own. A schedule paid for in neither year
    (an agreement not yet started, a service replaced or given up earlier) is left out, and
    ``services`` counts the schedules paid for in ``year``.
    """
    rows = []
    for schedule in schedules:
        this_year, last_year = schedule_cost(schedule, year), schedule_cost(schedule, year - 1)
        days = days_in_force(schedule, year)
        if days or last_year:
            rows.append(ScheduleCost(schedule, this_year, last_year, days))
    total = CostLine("Total")
    for row in rows:
        total.this_year += row.this_year
        total.last_year += row.last_year
        total.services += 1 if row.days_this_year else 0
        if row.schedule.service.hra_funded:
            total.hra += row.this_year
    return CostTotals(
        year=year,
        total=total,
        by_department=_group(rows, lambda s: s.service.department.name),
        by_category=_group(rows, lambda s: s.service.get_category_display()),
        by_agreement=_group(rows, lambda s: f"{s.agreement.reference}: {s.agreement.almo}"),
        schedules=sorted(
            rows,
            key=lambda r: (
                r.schedule.service.department.name,
                r.schedule.service.name,
                r.schedule.agreement.start_date,
            ),
        ),
    )


@dataclass
class Bar:
    label: str
    this_year: Decimal
    last_year: Decimal
    y: int
    this_width: int
    last_width: int


CHART_LINES = 12


def chart_lines(lines: list[CostLine], *, limit: int = CHART_LINES, noun: str = "departments") -> list[CostLine]:
    """At most ``limit`` lines for a chart: the largest this year and, when there are more, one line
    adding up the rest ("211 other departments"), so the bars still sum to the total. The table beside
    the chart lists every line."""
    if len(lines) <= limit:
        return list(lines)
    ranked = sorted(lines, key=lambda line: (-line.this_year, -line.last_year, line.label))
    shown, rest = ranked[: limit - 1], ranked[limit - 1 :]
    other = CostLine(f"{len(rest)} other {noun}")
    for line in rest:
        other.this_year += line.this_year
        other.last_year += line.last_year
        other.services += line.services
        other.hra += line.hra
    return [*shown, other]


def chart_bars(lines: list[CostLine], *, width: int = 460, row_height: int = 44) -> list[Bar]:
    """Horizontal bar geometry for the SVG chart: two bars per line, scaled to the largest figure
    (give it ``chart_lines(...)`` so that a large council's chart stays readable)."""
    largest = max([max(line.this_year, line.last_year) for line in lines] or [ZERO])
    scale = (Decimal(width) / largest) if largest else ZERO
    return [
        Bar(
            label=line.label,
            this_year=line.this_year,
            last_year=line.last_year,
            y=index * row_height,
            this_width=int(line.this_year * scale),
            last_width=int(line.last_year * scale),
        )
        for index, line in enumerate(lines)
    ]
