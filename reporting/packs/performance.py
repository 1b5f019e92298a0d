"""Performance by department and service: each standard's figure, RAG and six-quarter trend,
and the RAG counts of the summary."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Q

from agreements.models import Standard
from reporting import charts
from reporting.models import StandardResult
from reporting.packs.records import DepartmentBlock, ResultRow, ServiceBlock
from reporting.rag import RAG_LABELS, RAG_ORDER, red_two_quarters_running
from services.periods import Quarter

TREND_QUARTERS = 6


def results_by_standard(agreement, quarters: list[Quarter]) -> dict[int, dict[Quarter, tuple]]:
    """{standard id: {quarter: (target, actual, milestone outcome, rag)}} over ``quarters``: one query."""
    in_window = Q()
    for q in quarters:
        in_window |= Q(quarterly_return__financial_year=q.year, quarterly_return__quarter=q.number)
    results = (
        StandardResult.objects.filter(quarterly_return__agreement=agreement)
        .filter(in_window)
        .values_list(
            "standard_id",
            "quarterly_return__financial_year",
            "quarterly_return__quarter",
            "target_value",
            "actual",
            "milestone_outcome",
            "rag",
        )
    )
    by_standard: dict[int, dict[Quarter, tuple]] = defaultdict(dict)
    for standard_id, year, number, target, actual, outcome, rag in results:
        by_standard[standard_id][Quarter(year, number)] = (target, actual, outcome, rag)
    return by_standard


def rag_counts(by_standard, quarter: Quarter, previous: Quarter) -> list[dict]:
    """This quarter's count of each RAG against the previous quarter's."""
    now, before = count(by_standard, quarter), count(by_standard, previous)
    return [
        {
            "rag": rag,
            "label": RAG_LABELS[rag],
            "now": now.get(rag, 0),
            "before": before.get(rag, 0),
            "change": now.get(rag, 0) - before.get(rag, 0),
        }
        for rag in RAG_ORDER
    ]


def shortfall(standard: Standard, target, actual, outcome: str) -> float:
    """How far short of target a result is, as a share of the target (0 when on target): worst first."""
    if standard.kind == Standard.Kind.MILESTONE:
        return 1.0 if outcome == StandardResult.MilestoneOutcome.NOT_MET else 0.0
    if target is None or actual is None:
        return 0.0
    gap = float(target - actual) if standard.direction == Standard.Direction.HIGHER else float(actual - target)
    return max(gap, 0.0) / max(abs(float(target)), 1e-9)


def window(quarter: Quarter, size: int) -> list[Quarter]:
    quarters = [quarter]
    while len(quarters) < size:
        quarters.append(quarters[-1].previous())
    return quarters[::-1]


def quarterly(history: dict[Quarter, tuple], quarters: list[Quarter]) -> list[charts.Quarterly]:
    """A standard's results over ``quarters`` (from ``results_by_standard``) as the trend chart's quarters."""
    return [charts.Quarterly(q.label, *history.get(q, (None, None, "", ""))) for q in quarters]


def count(by_standard, quarter: Quarter) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for per_quarter in by_standard.values():
        if quarter in per_quarter:
            counts[per_quarter[quarter][3] or ""] += 1
    return counts


def departments(schedules, by_standard, quarter, window, returns_by_department, today):
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
                actual_text = dict(StandardResult.MilestoneOutcome.choices).get(
                    outcome, "Not yet due" if standard.due_date > quarter.end else "No figure"
                )
            else:
                if target is None:
                    in_force = standard.target_on(quarter.end)
                    target = in_force.value if in_force else None
                target_text = standard.format_value(target) or "None set"
                actual_text = standard.format_value(actual) or "No figure"
            chart = charts.trend(standard, quarterly(history, window), size=charts.SPARKLINE)
            row = ResultRow(
                standard=standard,
                service=schedule.service.name,
                department=department.name,
                target=target_text,
                actual=actual_text,
                rag=rag or "",
                trend=chart.svg,
                trend_text=chart.alt,
                trend_words=chart.words,
                rag_letters=chart.letters,
                shortfall=shortfall(standard, target, actual, outcome),
                red_two_quarters_running=red_two_quarters_running(
                    {q: values[3] for q, values in history.items()}, quarter
                ),
            )
            service_block.rows.append(row)
            rows_now.append(row)
            block.counts[row.rag] = block.counts.get(row.rag, 0) + 1
        block.services.append(service_block)
    return list(departments.values()), rows_now


def add_commentary(agreement, quarter: Quarter, rows: list) -> None:
    """The officers' commentary on each standard's figure this quarter, on its row: one query."""
    commentary = dict(
        StandardResult.objects.filter(
            quarterly_return__agreement=agreement,
            quarterly_return__financial_year=quarter.year,
            quarterly_return__quarter=quarter.number,
        )
        .exclude(commentary="")
        .values_list("standard_id", "commentary")
    )
    for row in rows:
        row.commentary = commentary.get(row.standard.pk, "").strip()
