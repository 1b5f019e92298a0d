import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.periods import Quarter, add_working_days, financial_year_start, is_working_day


@pytest.mark.parametrize(
    "day, expected",
    [
        (dt.date(2025, 4, 1), Quarter(2025, 1)),
        (dt.date(2025, 6, 30), Quarter(2025, 1)),
        (dt.date(2025, 7, 1), Quarter(2025, 2)),
        (dt.date(2025, 12, 31), Quarter(2025, 3)),
        (dt.date(2026, 1, 1), Quarter(2025, 4)),
        (dt.date(2026, 3, 31), Quarter(2025, 4)),
    ],
)
def test_quarter_containing_follows_the_uk_financial_year(day, expected):
    assert Quarter.containing(day) == expected


def test_quarter_labels_bounds_and_parsing():
    q2 = Quarter.parse("2025-26-Q2")
    assert (q2.start, q2.end) == (dt.date(2025, 7, 1), dt.date(2025, 9, 30))
    assert q2.label == "2025/26 Q2"
    assert q2.slug == "2025-26-Q2"
    q4 = Quarter(2025, 4)
    assert (q4.start, q4.end) == (dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    assert q4.next() == Quarter(2026, 1)
    assert Quarter(2026, 1).previous() == q4


@pytest.mark.parametrize("text", ["2025-Q2", "2025-27-Q1", "2025-26-Q5", ""])
def test_bad_quarter_text_is_refused_with_a_clear_message(text):
    with pytest.raises(ValueError, match="2025"):
        Quarter.parse(text)


def test_working_days_skip_weekends_and_england_bank_holidays():
    assert not is_working_day(dt.date(2025, 12, 25))  # Christmas Day
    assert not is_working_day(dt.date(2025, 8, 25))  # summer bank holiday (England, not Scotland)
    assert not is_working_day(dt.date(2025, 7, 5))  # Saturday
    # Q3 2025/26 ends Wednesday 31 December; 25, 26 Dec and 1 Jan are holidays.
    assert add_working_days(dt.date(2025, 12, 31), 1) == dt.date(2026, 1, 2)
    # 15 working days after 30 September 2025
    assert add_working_days(dt.date(2025, 9, 30), 15) == dt.date(2025, 10, 21)


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2060, 12, 31)))
def test_every_day_lies_inside_its_quarter_and_financial_year(day):
    quarter = Quarter.containing(day)
    assert quarter.start <= day <= quarter.end
    assert quarter.year == financial_year_start(day)
    assert Quarter.parse(quarter.slug) == quarter
    assert quarter.next().start == quarter.end + dt.timedelta(days=1)
