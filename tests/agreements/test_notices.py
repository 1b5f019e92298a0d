import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agreements.notices import (
    ANY_DATE,
    FINANCIAL_YEAR_END,
    MONTH_END,
    QUARTER_END,
    add_months,
    align,
    earliest_effective_date,
    give_notice_by,
    term_in_force,
)

D = dt.date
ALIGNMENTS = [ANY_DATE, MONTH_END, QUARTER_END, FINANCIAL_YEAR_END]


@pytest.mark.parametrize(
    "day, months, expected",
    [
        (D(2025, 1, 31), 1, D(2025, 2, 28)),
        (D(2024, 1, 31), 1, D(2024, 2, 29)),  # leap year
        (D(2025, 11, 30), 3, D(2026, 2, 28)),
        (D(2025, 8, 31), 6, D(2026, 2, 28)),
        (D(2025, 12, 15), 3, D(2026, 3, 15)),
        (D(2026, 3, 31), -1, D(2026, 2, 28)),
    ],
)
def test_add_months_clamps_to_month_end(day, months, expected):
    assert add_months(day, months) == expected


@pytest.mark.parametrize(
    "day, alignment, expected",
    [
        (D(2025, 5, 14), ANY_DATE, D(2025, 5, 14)),
        (D(2025, 5, 14), MONTH_END, D(2025, 5, 31)),
        (D(2024, 2, 10), MONTH_END, D(2024, 2, 29)),
        (D(2025, 5, 14), QUARTER_END, D(2025, 6, 30)),
        (D(2025, 6, 30), QUARTER_END, D(2025, 6, 30)),
        (D(2025, 7, 1), QUARTER_END, D(2025, 9, 30)),
        (D(2026, 1, 2), QUARTER_END, D(2026, 3, 31)),
        (D(2025, 4, 1), FINANCIAL_YEAR_END, D(2026, 3, 31)),
        (D(2026, 3, 31), FINANCIAL_YEAR_END, D(2026, 3, 31)),
        (D(2026, 2, 1), FINANCIAL_YEAR_END, D(2026, 3, 31)),
    ],
)
def test_align_to_the_agreements_rule(day, alignment, expected):
    assert align(day, alignment) == expected


def test_brent_style_notice_periods():
    # environmental services: 3 months; one-stop shop: 6 months; served 26 November 2026
    assert earliest_effective_date(D(2026, 11, 26), 3) == D(2027, 2, 26)
    assert earliest_effective_date(D(2026, 11, 26), 3, QUARTER_END) == D(2027, 3, 31)
    assert earliest_effective_date(D(2026, 11, 26), 6, QUARTER_END) == D(2027, 6, 30)
    assert earliest_effective_date(D(2026, 11, 26), 6, FINANCIAL_YEAR_END) == D(2028, 3, 31)


def test_term_in_force_uses_renewals_and_stops_after_the_last():
    terms = dict(start=D(2025, 4, 1), end=D(2028, 3, 31), renewal_term_months=12, max_renewals=2)
    assert term_in_force(on=D(2025, 3, 31), **terms) is None
    initial = term_in_force(on=D(2026, 11, 26), **terms)
    assert (initial.number, initial.end) == (0, D(2028, 3, 31))
    first = term_in_force(on=D(2028, 4, 1), **terms)
    assert (first.number, first.start, first.end) == (1, D(2028, 4, 1), D(2029, 3, 31))
    second = term_in_force(on=D(2030, 3, 31), **terms)
    assert (second.number, second.end, second.label) == (2, D(2030, 3, 31), "Renewal term 2")
    assert term_in_force(on=D(2030, 4, 1), **terms) is None
    assert (
        term_in_force(on=D(2040, 1, 1), start=D(2025, 4, 1), end=None, renewal_term_months=None, max_renewals=None).end
        is None
    )


def test_give_notice_by_uses_the_term_in_force():
    # leaving at the end of the first renewal term (31 March 2029) on 6 months' notice
    assert give_notice_by(D(2029, 3, 31), 6) == D(2028, 9, 30)
    assert give_notice_by(D(2029, 3, 31), 6, QUARTER_END) == D(2028, 9, 30)
    assert give_notice_by(D(2028, 3, 31), 3, MONTH_END) == D(2027, 12, 31)
    assert give_notice_by(D(2028, 3, 31), 1) == D(2028, 2, 29)


@given(
    st.dates(min_value=D(2000, 1, 1), max_value=D(2080, 12, 31)),
    st.integers(min_value=0, max_value=36),
    st.sampled_from(ALIGNMENTS),
)
def test_effective_date_is_never_early_and_is_aligned(served, months, alignment):
    effective = earliest_effective_date(served, months, alignment)
    assert effective >= add_months(served, months)
    assert align(effective, alignment) == effective
    assert effective - add_months(served, months) <= dt.timedelta(days=366)


@given(
    st.dates(min_value=D(2001, 1, 1), max_value=D(2080, 12, 31)),
    st.integers(min_value=0, max_value=24),
    st.sampled_from(ALIGNMENTS),
)
def test_give_notice_by_is_the_last_day_that_works(term_end, months, alignment):
    term_end = align(term_end, alignment)
    last = give_notice_by(term_end, months, alignment)
    assert earliest_effective_date(last, months, alignment) <= term_end
    assert earliest_effective_date(last + dt.timedelta(days=1), months, alignment) > term_end
