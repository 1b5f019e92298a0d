"""Value for money: the council's cost of a service against what it would cost elsewhere.

Every benchmark is turned into a yearly cost for the same scope (an amount per unit times
the units the ALMO uses a year), so the council's cost for the financial year compares
like with like against the lowest, median and highest benchmark. A service stands out
when the council costs more than the median by more than the chosen threshold. Each row
carries the service's RAG history from the quarterly returns: a cheap service that fails
matters as much as a dear one that excels.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from agreements.costs import ZERO, days_in_force, schedule_cost
from agreements.models import Schedule
from reporting.rag import worst_rag
from services.models import Benchmark, MarketTest
from services.periods import Quarter, financial_year_days

DEFAULT_THRESHOLD = Decimal("10")  # per cent above the median


@dataclass(frozen=True)
class BenchmarkStats:
    count: int
    lowest: Decimal
    median: Decimal
    highest: Decimal


def benchmark_stats(amounts: Iterable[Decimal]) -> BenchmarkStats | None:
    """Lowest, median and highest of yearly-equivalent amounts; None when there are none."""
    values = sorted(amounts)
    if not values:
        return None
    median = Decimal(statistics.median(values)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return BenchmarkStats(count=len(values), lowest=values[0], median=median, highest=values[-1])


def difference_from_median(council_cost: Decimal, stats: BenchmarkStats | None) -> Decimal | None:
    """How far the council's cost is above (+) or below (−) the median, in per cent."""
    if stats is None or not stats.median:
        return None
    return ((council_cost - stats.median) * 100 / stats.median).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def is_above_threshold(difference: Decimal | None, threshold: Decimal) -> bool:
    return difference is not None and difference > threshold


@dataclass
class RagQuarter:
    quarter: Quarter
    rag: str  # worst RAG of the service's standards that quarter; blank when nothing was judged


@dataclass
class VfmRow:
    schedule: Schedule
    council_cost: Decimal
    stats: BenchmarkStats | None
    difference: Decimal | None
    above_threshold: bool
    rag_history: list[RagQuarter] = field(default_factory=list)
    market_test: MarketTest | None = None
    days_in_force: int = 0
    days_in_year: int = 365

    @property
    def part_year(self) -> bool:
        return self.days_in_force < self.days_in_year

    @property
    def latest_rag(self) -> str:
        for entry in reversed(self.rag_history):
            if entry.rag:
                return entry.rag
        return ""

    @property
    def verdict(self) -> str:
        """A plain reading of cost against performance."""
        if self.stats is None:
            return "No benchmark yet"
        failing = self.latest_rag == "red"
        if self.above_threshold:
            return "Dear and failing" if failing else "Dear but performing"
        if self.difference is not None and self.difference < 0 and failing:
            return "Cheap but failing"
        return "Failing" if failing else "Value for money"


def vfm_rows(
    schedules: Iterable[Schedule],
    *,
    benchmarks: Iterable[Benchmark],
    rag_results: Iterable[dict],
    market_tests: Iterable[MarketTest],
    year: int,
    threshold: Decimal,
    quarters: list[Quarter],
    costs: Mapping[int, tuple[Decimal, int]] | None = None,
) -> list[VfmRow]:
    """Join schedules with their ALMO's benchmarks, RAG history and latest market test. No queries.

    ``rag_results`` are dicts with ``schedule_id``, ``year``, ``quarter`` and ``rag``. ``costs``:
    each schedule's cost and days in force in ``year`` when the caller has already worked them out
    with ``agreements.costs`` (``CostTotals.schedules``: a schedule missing from it is not paid for
    in ``year``); otherwise they are worked out here.
    """
    by_service: dict[tuple[int, int], list[Decimal]] = defaultdict(list)
    for benchmark in benchmarks:
        by_service[(benchmark.almo_id, benchmark.service_id)].append(benchmark.annual_equivalent)
    rags: dict[tuple[int, Quarter], list[str]] = defaultdict(list)
    for result in rag_results:
        rags[(result["schedule_id"], Quarter(result["year"], result["quarter"]))].append(result["rag"])
    latest_test: dict[tuple[int, int], MarketTest] = {}
    for test in sorted(market_tests, key=lambda t: (t.recorded_on, t.pk)):
        latest_test[(test.almo_id, test.service_id)] = test
    rows = []
    year_days = financial_year_days(year)
    for schedule in schedules:
        if costs is None:
            days = days_in_force(schedule, year)
            cost = schedule_cost(schedule, year) if days else ZERO
        else:
            cost, days = costs.get(schedule.pk, (ZERO, 0))
        if not days:
            continue  # not paid for this year: not started, replaced or given up
        key = (schedule.agreement.almo_id, schedule.service_id)
        # Benchmarks are yearly: a part year is compared at its yearly rate.
        yearly = cost if days == year_days else (cost * year_days / days).quantize(Decimal("0.01"))
        stats = benchmark_stats(by_service.get(key, []))
        difference = difference_from_median(yearly, stats)
        rows.append(
            VfmRow(
                schedule=schedule,
                council_cost=cost,
                days_in_force=days,
                days_in_year=year_days,
                stats=stats,
                difference=difference,
                above_threshold=is_above_threshold(difference, threshold),
                rag_history=[RagQuarter(q, worst_rag(rags.get((schedule.pk, q), []))) for q in quarters],
                market_test=latest_test.get(key),
            )
        )
    return rows


def recent_quarters(latest: Quarter, count: int = 4) -> list[Quarter]:
    quarters = [latest]
    while len(quarters) < count:
        quarters.insert(0, quarters[0].previous())
    return quarters
