"""Value-for-money notes of the pack."""

from __future__ import annotations

from collections import defaultdict

from agreements.models import Agreement, Schedule
from reporting.value_for_money import DEFAULT_THRESHOLD, vfm_rows
from services.models import Benchmark, MarketTest
from services.periods import Quarter


def value_for_money_notes(
    *, agreement: Agreement, financial_year: int, schedules: list[Schedule], by_standard: dict, quarters: list[Quarter]
) -> list[dict]:
    """Value-for-money notes for the services the ALMO has benchmarked or market tested (issue 6's
    ``services.value_for_money``): the verdict, cost against the benchmark range, the evidence's
    quality notes and the latest market test. Three queries."""

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
        schedules,
        benchmarks=benchmarks,
        rag_results=rag_results,
        market_tests=tests,
        year=financial_year,
        threshold=DEFAULT_THRESHOLD,
        quarters=quarters[-4:],
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
            test = row.market_test
            parts.append(f"Market test: {test.label} ({test.recorded_on:%-d %B %Y}): {test.reason}")
        notes.append(
            {
                "department": row.schedule.service.department.name,
                "service": row.schedule.service.name,
                "note": " ".join(parts),
            }
        )
    return notes
