"""UK financial years and quarters, and working days in England and Wales.

The financial year runs 1 April to 31 March; Q1 is April to June. "2025/26 Q2" is
July to September 2025 and is written ``2025-26-Q2`` in URLs and commands.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

import holidays


def financial_year_start(day: dt.date) -> int:
    """The calendar year in which the financial year containing ``day`` starts."""
    return day.year if day.month >= 4 else day.year - 1


def financial_year_label(start_year: int) -> str:
    return f"{start_year}/{str(start_year + 1)[-2:]}"


def financial_year_first_day(start_year: int) -> dt.date:
    return dt.date(start_year, 4, 1)


def financial_year_last_day(start_year: int) -> dt.date:
    return dt.date(start_year + 1, 3, 31)


def financial_year_days(start_year: int) -> int:
    """365, or 366 when the financial year holds 29 February."""
    return (financial_year_last_day(start_year) - financial_year_first_day(start_year)).days + 1


_QUARTER_RE = re.compile(r"^(\d{4})-(\d{2})-Q([1-4])$")


@dataclass(frozen=True, order=True)
class Quarter:
    year: int  # calendar year the financial year starts in
    number: int  # 1..4

    @classmethod
    def containing(cls, day: dt.date) -> Quarter:
        year = financial_year_start(day)
        number = ((day.month - 4) % 12) // 3 + 1
        return cls(year, number)

    @classmethod
    def parse(cls, text: str) -> Quarter:
        match = _QUARTER_RE.match(text.strip())
        if not match:
            raise ValueError(f"'{text}' is not a quarter; write it like 2025-26-Q2.")
        year, short_next, number = int(match[1]), match[2], int(match[3])
        if str(year + 1)[-2:] != short_next:
            raise ValueError(f"'{text}' is not a financial year; 2025-26 follows 2025.")
        return cls(year, number)

    @property
    def slug(self) -> str:
        return f"{self.year}-{str(self.year + 1)[-2:]}-Q{self.number}"

    @property
    def label(self) -> str:
        return f"{financial_year_label(self.year)} Q{self.number}"

    @property
    def start(self) -> dt.date:
        month = 4 + (self.number - 1) * 3
        return dt.date(self.year + (month - 1) // 12, (month - 1) % 12 + 1, 1)

    @property
    def end(self) -> dt.date:
        return self.next().start - dt.timedelta(days=1)

    def next(self) -> Quarter:
        return Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)

    def previous(self) -> Quarter:
        return Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)

    def __str__(self) -> str:
        return self.label


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def add_working_days(day: dt.date, count: int) -> dt.date:
    """The date ``count`` working days after ``day`` (England and Wales bank holidays excluded)."""
    step = 1 if count >= 0 else -1
    remaining = abs(count)
    current = day
    while remaining:
        current += dt.timedelta(days=step)
        if is_working_day(current):
            remaining -= 1
    return current
