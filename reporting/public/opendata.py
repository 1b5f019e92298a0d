"""The public figures as open data: CSV and ODS (the open standard UK government uses for spreadsheets)."""

from __future__ import annotations

from decimal import Decimal

import tablib

from reporting.public import plain
from reporting.public.selectors import public_results

HEADERS = [
    "ALMO",
    "Financial year",
    "Quarter",
    "Department",
    "Service",
    "Standard",
    "Unit",
    "Better when",
    "Target",
    "Actual",
    "Milestone outcome",
    "RAG",
    "In words",
]
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Text a spreadsheet would run as a formula gets a leading apostrophe; numbers and dates stay as they are."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _number(value: Decimal | None):
    return None if value is None else float(value) if value != value.to_integral() else int(value)


def dataset(*, almo) -> tablib.Dataset:
    data = tablib.Dataset(headers=HEADERS, title="Performance")
    for r in public_results(almo=almo):
        standard, period = r.standard, r.quarterly_return.period
        service = standard.schedule.service
        row = [
            almo.name,
            f"{period.year}/{str(period.year + 1)[-2:]}",
            f"Q{period.number}",
            service.department.name,
            service.name,
            standard.title,
            standard.get_unit_display() if standard.unit else "",
            standard.get_direction_display() if standard.direction else "",
            _number(r.target_value),
            _number(r.actual),
            r.get_milestone_outcome_display() if r.milestone_outcome else "",
            r.get_rag_display() if r.rag else "",
            plain.sentence(r),
        ]
        data.append([neutralise(v) for v in row])
    return data
