"""The exit planner: what leaving a service would take, if notice were served on a given day.

The earliest effective date runs the schedule's notice period from the day notice is
served, then on to the agreement's alignment date (any date, month end, quarter end or
financial-year end). The service is paid for up to and including that date; the saving is
the rest of that financial year. Costs come from ``agreements.costs`` (renewal terms, approved
variations and served notices included), like every other page. A service already under
notice gets no what-if: the plan shows the notice served, what is still paid until it takes
effect and what that saves. The "give notice by" date uses the term of the agreement
actually in force on the day (the initial term or a renewal), not the original end date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from agreements import notices as notice
from agreements.costs import ZERO, cost_between, schedule_cost
from agreements.models import Schedule, ServiceNotice
from services.periods import financial_year_label, financial_year_last_day, financial_year_start


@dataclass
class AffectedService:
    schedule: Schedule
    notice_months: int
    earliest_effective: dt.date
    this_year: Decimal


@dataclass
class ExitPlan:
    schedule: Schedule
    served_on: dt.date
    notice_months: int
    alignment: str
    alignment_label: str
    earliest_effective: dt.date
    cost_until_effective: Decimal
    saving_rest_of_year: Decimal
    saving_year_label: str
    full_year_saving: Decimal
    full_year_label: str
    term: notice.Term | None
    give_notice_by: dt.date | None
    give_notice_by_term: notice.Term | None
    effective_after_term_end: bool
    affected: list[AffectedService]
    open_notice: ServiceNotice | None

    @property
    def is_in_time_for_current_term(self) -> bool:
        return self.give_notice_by is not None and self.term is not None and self.give_notice_by_term == self.term


def _leave_at_term_end(schedule: Schedule, term: notice.Term, served_on: dt.date, alignment: str):
    """The give-notice-by date for leaving at the end of ``term``, or of the next term when
    it is already too late for this one. (None, None) for an open-ended term."""
    agreement = schedule.agreement
    months = schedule.notice_period_months
    while term is not None and term.end is not None:
        by = notice.give_notice_by(term.end, months, alignment)
        if by >= served_on:
            return by, term
        term = agreement.term_in_force(term.end + dt.timedelta(days=1))
    return None, term


def exit_plan(schedule: Schedule, *, served_on: dt.date, siblings: list[Schedule], open_notice=None) -> ExitPlan:
    """The plan for leaving ``schedule`` if notice is served on ``served_on``.

    With notice already served (``open_notice``) there is no what-if: the plan is that notice's,
    from the day it was served to the day it takes effect, and its savings are what the service
    would have cost without it. ``schedule`` and ``siblings`` (the other schedules of the same
    department in the same agreement) come from ``cost_selectors.with_costs``.
    """
    agreement = schedule.agreement
    alignment = agreement.notice_alignment
    months = schedule.notice_period_months
    if open_notice is not None:
        served_on = open_notice.served_on
        effective = open_notice.effective_date
    else:
        effective = notice.earliest_effective_date(served_on, months, alignment)
    year = financial_year_start(effective)
    year_end = financial_year_last_day(year)
    term = agreement.term_in_force(served_on)
    by, by_term = _leave_at_term_end(schedule, term, served_on, alignment) if term else (None, None)
    last_term_end = _last_possible_end(agreement, served_on)
    # What is still paid and what is saved share the same rounding: together they are exactly the
    # cost of the rest of the year without notice (what the costs page shows for a whole year).
    until = cost_between(schedule, served_on, effective, with_notice=False)
    rest_of_year = cost_between(schedule, served_on, year_end, with_notice=False)
    return ExitPlan(
        schedule=schedule,
        served_on=served_on,
        notice_months=months,
        alignment=alignment,
        alignment_label=agreement.get_notice_alignment_display(),
        earliest_effective=effective,
        cost_until_effective=until,
        saving_rest_of_year=max(rest_of_year - until, ZERO),
        saving_year_label=financial_year_label(year),
        full_year_saving=schedule_cost(schedule, year + 1, with_notice=False),
        full_year_label=financial_year_label(year + 1),
        term=term,
        give_notice_by=by,
        give_notice_by_term=by_term,
        effective_after_term_end=last_term_end is not None and effective > last_term_end,
        affected=[
            AffectedService(
                schedule=other,
                notice_months=other.notice_period_months,
                earliest_effective=notice.earliest_effective_date(served_on, other.notice_period_months, alignment),
                this_year=schedule_cost(other, financial_year_start(served_on)),
            )
            for other in siblings
            if other.pk != schedule.pk
        ],
        open_notice=open_notice,
    )


def _last_possible_end(agreement, on: dt.date) -> dt.date | None:
    """The end of the agreement's last term (renewals included) after ``on``; None when open-ended."""
    term = agreement.term_in_force(on)
    if term is None or (agreement.renewal_term_months and agreement.max_renewals is None):
        return None  # not in force, or renews without limit
    while term.end is not None:
        following = agreement.term_in_force(term.end + dt.timedelta(days=1))
        if following is None:
            return term.end
        term = following
    return None
