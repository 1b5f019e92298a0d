"""Notice-date arithmetic: when notice served on a date takes effect, which term of an
agreement is in force, and the last day to give notice to leave at the end of it.

Months are calendar months; a date that does not exist in the target month falls back
to that month's last day (notice of 1 month served on 31 January runs to 28/29 February).
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from services.periods import financial_year_last_day, financial_year_start

ANY_DATE = "any_date"
MONTH_END = "month_end"
QUARTER_END = "quarter_end"
FINANCIAL_YEAR_END = "financial_year_end"


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def month_end(day: dt.date) -> dt.date:
    return dt.date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])


def align(day: dt.date, alignment: str) -> dt.date:
    """The first date on or after ``day`` on which notice may take effect under ``alignment``."""
    if alignment == ANY_DATE:
        return day
    if alignment == MONTH_END:
        return month_end(day)
    if alignment == QUARTER_END:
        # quarter ends: 30 June, 30 September, 31 December, 31 March
        months_ahead = (3 - day.month % 3) % 3
        return month_end(add_months(dt.date(day.year, day.month, 1), months_ahead))
    if alignment == FINANCIAL_YEAR_END:
        return financial_year_last_day(financial_year_start(day))
    raise ValueError(f"Unknown notice alignment: {alignment}")


def earliest_effective_date(served_on: dt.date, notice_months: int, alignment: str = ANY_DATE) -> dt.date:
    """The earliest date notice served on ``served_on`` can take effect."""
    return align(add_months(served_on, notice_months), alignment)


@dataclass(frozen=True)
class Term:
    number: int  # 0 = initial term, 1.. = renewal terms
    start: dt.date
    end: dt.date | None  # None: open-ended

    @property
    def label(self) -> str:
        return "Initial term" if self.number == 0 else f"Renewal term {self.number}"


def term_in_force(
    *,
    start: dt.date,
    end: dt.date | None,
    renewal_term_months: int | None,
    max_renewals: int | None,
    on: dt.date,
) -> Term | None:
    """The term of the agreement in force on ``on``; None before it starts or after its last term ends."""
    if on < start:
        return None
    term = Term(0, start, end)
    while term.end is not None and on > term.end:
        if not renewal_term_months or (max_renewals is not None and term.number >= max_renewals):
            return None
        next_start = term.end + dt.timedelta(days=1)
        term = Term(term.number + 1, next_start, add_months(next_start, renewal_term_months) - dt.timedelta(days=1))
    return term


def give_notice_by(term_end: dt.date, notice_months: int, alignment: str = ANY_DATE) -> dt.date:
    """The last date on which notice can be served so that it takes effect by ``term_end``."""
    candidate = add_months(term_end, -notice_months)
    while earliest_effective_date(candidate + dt.timedelta(days=1), notice_months, alignment) <= term_end:
        candidate += dt.timedelta(days=1)
    while earliest_effective_date(candidate, notice_months, alignment) > term_end:
        candidate -= dt.timedelta(days=1)
    return candidate
