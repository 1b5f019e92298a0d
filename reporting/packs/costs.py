"""The pack's cost section: what the ALMO pays each department this year against last.

Every figure is ``agreements.costs.schedule_cost`` — the same rule as the costs page, the
dashboard and value for money — over every live agreement of the ALMO (an agreement that
replaces another part-way through a year shares the year with it).
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from agreements.cost_selectors import with_costs
from agreements.costs import schedule_cost
from agreements.models import Agreement, Schedule
from reporting.cases.credits import credits_by_schedule
from reporting.packs.records import CostLine, CreditLine
from reporting.rag import Rag


def almo_schedules(almo) -> list[Schedule]:
    """The schedules of the ALMO's live agreements, with what ``schedule_cost`` reads: five queries."""
    return list(
        with_costs(Schedule.objects.filter(agreement__almo=almo, agreement__status__in=Agreement.LIVE_STATUSES))
    )


def costs(schedules, quarter, rows_now):
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
    total_before = sum((line.last_year for line in lines), Decimal("0"))
    return lines, total_now, total_before


def credit_lines(schedules, financial_year: int) -> list[CreditLine]:
    """Charged, credited and net for each schedule that earns service credits in the year: the
    same figures as the costs page and the agreement's credits page (``credits_by_schedule``)."""
    by_schedule = {schedule.pk: schedule for schedule in schedules}
    lines = [
        CreditLine(
            department=by_schedule[pk].service.department.name,
            service=by_schedule[pk].service.name,
            charged=credits.charged,
            credited=credits.credited,
            capped=credits.capped,
        )
        for pk, credits in credits_by_schedule(by_schedule.values(), financial_year).items()
    ]
    return sorted(lines, key=lambda line: (line.department, line.service))
