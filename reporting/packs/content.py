"""What a board pack says: every figure is read here from the database, in a fixed number
of queries whatever the size of the agreement. The templates only lay it out.

Exceptions come first (red, late, missing, red two quarters running, open remedial
actions, notice served), worst first, then the detail by department and service. The
parts live beside this module: ``records`` (the data), ``performance`` (results, RAG and
trends), ``exceptions`` (returns and departures), ``costs``, ``notice`` and
``value_for_money``; ``pack_content`` here puts them together.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch, Q
from django.utils import timezone

from agreements.cost_selectors import with_costs
from agreements.models import Agreement, Standard, StandardTarget
from reporting.complaints.selectors import complaint_counts
from reporting.improvement.report import improvement_section
from reporting.models import Departure, QuarterlyReturn, Rag
from reporting.packs import costs as pack_costs
from reporting.packs import exceptions, performance
from reporting.packs.notice import notice as notice_lines
from reporting.packs.records import (  # noqa: F401 - the records are part of this module's interface
    ANNEX,
    SECTION_TITLES,
    SECTIONS,
    CostLine,
    DepartmentBlock,
    DepartureLine,
    NoticeLine,
    PackContent,
    ResultRow,
    ReturnLine,
    ServiceBlock,
)
from reporting.packs.value_for_money import value_for_money_notes
from reporting.scrutiny.selectors import challenge_counts_for_quarter, escalated_to_board
from services.models import Almo
from services.periods import Quarter

# Agreements a pack can be made for: in force or ended, not drafts.
PACK_STATUSES = Agreement.REPORTABLE_STATUSES


class PackError(Exception):
    """The pack cannot be made as asked; the message is shown to the user as is."""


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

    window = performance.window(quarter, performance.TREND_QUARTERS)
    by_standard = performance.results_by_standard(agreement, window)
    returns = list(
        QuarterlyReturn.objects.filter(agreement=agreement, financial_year=quarter.year, quarter=quarter.number)
        .select_related("department")
        .order_by("department__name")
    )
    returns_by_department = {r.department_id: r for r in returns}
    departments, rows_now = performance.departments(
        schedules, by_standard, quarter, window, returns_by_department, today
    )
    performance.add_commentary(agreement, quarter, rows_now)
    worst_first = sorted(rows_now, key=lambda row: (-row.shortfall, row.department, row.service))

    late, missing = exceptions.late_and_missing(returns, schedules, quarter, today)
    departures = exceptions.departures(
        Departure.objects.filter(
            result__quarterly_return__agreement=agreement,
            result__quarterly_return__financial_year=quarter.year,
            result__quarterly_return__quarter=quarter.number,
        ),
        today,
    )
    open_actions = exceptions.departures(
        Departure.objects.filter(result__quarterly_return__agreement=agreement, resolved=False).filter(
            Q(result__quarterly_return__financial_year__lt=quarter.year)
            | Q(
                result__quarterly_return__financial_year=quarter.year,
                result__quarterly_return__quarter__lte=quarter.number,
            )
        ),
        today,
    )
    almo_schedules = pack_costs.almo_schedules(agreement.almo)
    costs, total_now, total_before = pack_costs.costs(almo_schedules, quarter, rows_now)
    notice = notice_lines(agreement, schedules, today)
    is_final = bool(returns) and all(r.status == QuarterlyReturn.Status.ACCEPTED for r in returns) and not missing
    return PackContent(
        title=f"{agreement.almo} board pack, {quarter.label}",
        almo=agreement.almo,
        agreement=agreement,
        quarter=quarter,
        previous_quarter=previous,
        produced_on=today,
        is_final=is_final,
        rag_counts=performance.rag_counts(by_standard, quarter, previous),
        red_now=[r for r in worst_first if r.rag == Rag.RED],
        red_twice=[r for r in worst_first if r.red_two_quarters_running],
        late_returns=sorted(late, key=lambda line: (-line.days_late, line.department)),
        missing_returns=sorted(missing, key=lambda line: (-line.days_late, line.department)),
        open_actions=sorted(open_actions, key=lambda line: (not line.overdue, line.target_date, line.department)),
        notices_served=[n for n in notice if n.served],
        departments=departments,
        departures=departures,
        costs=costs,
        cost_total_this_year=total_now,
        cost_total_last_year=total_before,
        service_credits=pack_costs.credit_lines(almo_schedules, quarter.year),
        value_for_money_notes=value_for_money_notes(
            agreement=agreement,
            financial_year=quarter.year,
            schedules=schedules,
            by_standard=by_standard,
            quarters=window,
        ),
        notice=notice,
        term=agreement.term_in_force(today) or agreement.term_in_force(quarter.end),
        schedules=schedules,
        quarter_labels=[q.label for q in window],
        improvement=improvement_section(almo=agreement.almo, quarter=quarter, today=today),
        challenges=challenge_counts_for_quarter(almo=agreement.almo, quarter=quarter, today=today),
        escalated_challenges=list(escalated_to_board(almo=agreement.almo, quarter=quarter)),
        complaints=complaint_counts(almo=agreement.almo, start=quarter.start, end=quarter.end, today=today),
    )
