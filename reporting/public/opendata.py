"""The public figures as open data: CSV and ODS (the open standard UK government uses for spreadsheets)."""

from __future__ import annotations

from decimal import Decimal

import tablib

from almo_sla.exports import neutralise
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
