"""What the ALMO pays the council: each schedule's cost in a financial year, and totals per
department, per service category and per agreement, this year against last year.

A schedule's cost for a financial year is its ``ScheduleYearCost`` for that year (uplifts
included); when none is recorded, its ``annual_cost``, provided the agreement runs during
that year (an agreement that had not started, or had ended, costs nothing).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from agreements.models import Schedule
from services.periods import financial_year_first_day, financial_year_label

ZERO = Decimal("0")
PENNY = Decimal("0.01")


def financial_year_last_day(start_year: int) -> dt.date:
    return dt.date(start_year + 1, 3, 31)


def _runs_during(schedule: Schedule, year: int) -> bool:
    agreement = schedule.agreement
    first, last = financial_year_first_day(year), financial_year_last_day(year)
    return agreement.start_date <= last and (agreement.end_date is None or agreement.end_date >= first)


def schedule_cost(schedule: Schedule, year: int) -> Decimal:
    """The schedule's cost in the financial year starting in ``year``.

    Reads costs already worked out in SQL (``known_costs``, see
    ``selectors.dashboard_cost_schedules``) or prefetched ``year_costs`` (see
    ``selectors.cost_schedules``), so it adds no query.
    """
    known = getattr(schedule, "known_costs", None)
    if known and year in known:
        return known[year]
    for year_cost in schedule.year_costs.all():
        if year_cost.financial_year == year:
            return year_cost.amount
    return schedule.annual_cost if _runs_during(schedule, year) else ZERO


def prorated_cost(schedule: Schedule, first: dt.date, last: dt.date) -> Decimal:
    """What the schedule costs from ``first`` to ``last`` inclusive, day by day within each
    financial year (a leap year's 366 days share that year's cost)."""
    if last < first:
        return ZERO
    total = ZERO
    day = first
    while day <= last:
        year = day.year if day.month >= 4 else day.year - 1
        year_end = financial_year_last_day(year)
        segment_end = min(last, year_end)
        days_in_year = (year_end - financial_year_first_day(year)).days + 1
        days = (segment_end - day).days + 1
        total += schedule_cost(schedule, year) * days / days_in_year
        day = segment_end + dt.timedelta(days=1)
    return total.quantize(PENNY, rounding=ROUND_HALF_UP)


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
        line.services += 1
        if row.schedule.service.hra_funded:
            line.hra += row.this_year
    return sorted(lines.values(), key=lambda line: (-line.this_year, line.label))


def cost_totals(schedules: Iterable[Schedule], *, year: int) -> CostTotals:
    """Totals for the financial year starting in ``year`` against the year before.

    ``schedules`` come from ``selectors.cost_schedules`` (service, department, agreement and
    year costs loaded), so this makes no query of its own.
    """
    rows = [ScheduleCost(s, schedule_cost(s, year), schedule_cost(s, year - 1)) for s in schedules]
    total = CostLine("Total")
    for row in rows:
        total.this_year += row.this_year
        total.last_year += row.last_year
        total.services += 1
        if row.schedule.service.hra_funded:
            total.hra += row.this_year
    return CostTotals(
        year=year,
        total=total,
        by_department=_group(rows, lambda s: s.service.department.name),
        by_category=_group(rows, lambda s: s.service.get_category_display()),
        by_agreement=_group(rows, lambda s: f"{s.agreement.reference}: {s.agreement.almo}"),
        schedules=sorted(rows, key=lambda r: (r.schedule.service.department.name, r.schedule.service.name)),
    )


@dataclass
class Bar:
    label: str
    this_year: Decimal
    last_year: Decimal
    y: int
    this_width: int
    last_width: int


def chart_bars(lines: list[CostLine], *, width: int = 460, row_height: int = 44) -> list[Bar]:
    """Horizontal bar geometry for the SVG chart: two bars per line, scaled to the largest figure."""
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
