"""The pack's cost section: what the ALMO pays each department this year against last."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from reporting.models import Rag
from reporting.packs.records import CostLine


def costs(schedules, quarter, rows_now):
    failing: dict[str, int] = defaultdict(int)
    for row in rows_now:
        if row.rag in (Rag.RED, Rag.AMBER):
            failing[row.department] += 1
    by_department: dict[str, CostLine] = {}
    for schedule in schedules:
        costs = {c.financial_year: c.amount for c in schedule.year_costs.all()}
        name = schedule.service.department.name
        line = by_department.setdefault(name, CostLine(name, [], Decimal("0"), Decimal("0"), None, None, failing[name]))
        line.services.append(schedule.service.name)
        line.this_year += costs.get(quarter.year, schedule.annual_cost)
        before = costs.get(quarter.year - 1)
        line.last_year = None if before is None or line.last_year is None else line.last_year + before
    for line in by_department.values():
        if line.last_year:
            line.change = line.this_year - line.last_year
            line.change_percent = (line.change / line.last_year * 100).quantize(Decimal("0.1"))
    lines = sorted(by_department.values(), key=lambda line: -line.this_year)
    total_now = sum((line.this_year for line in lines), Decimal("0"))
    total_before = None if any(line.last_year is None for line in lines) else sum(line.last_year for line in lines)
    return lines, total_now, total_before
