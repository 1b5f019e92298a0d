"""Spreadsheet exports that cannot run formulas: the one place every CSV / Excel export goes through.

A text value that starts with ``=``, ``+``, ``-``, ``@``, tab or carriage return is read by
Excel, LibreOffice and Google Sheets as a formula (CSV / formula injection, ASVS V1.2.10).
Such text is written with a leading single quote, and in .xlsx as a string cell, never a
formula. Numbers, dates and booleans are written as they are: a negative number is a number.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import tablib
from django.http import HttpResponse
from django_tables2.export import TableExport
from openpyxl.cell.cell import TYPE_STRING

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def neutralise(value):
    """``value`` safe for a spreadsheet cell: text that a spreadsheet would run is quoted."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def neutralise_row(row: Iterable) -> list:
    return [neutralise(value) for value in row]


def unneutralise(text: str) -> str:
    """Undo ``neutralise`` on text read back from one of our own files (an imported template)."""
    if text.startswith("'") and text[1:].startswith(FORMULA_TRIGGERS):
        return text[1:]
    return text


def safe_dataset(dataset: tablib.Dataset) -> tablib.Dataset:
    """A copy of ``dataset`` with every text value neutralised (headers included)."""
    safe = tablib.Dataset(title=dataset.title)
    if dataset.headers:
        safe.headers = neutralise_row(dataset.headers)
    for row in dataset:
        safe.append(neutralise_row(row))
    return safe


def dataset(*, headers: Sequence[str], rows: Iterable[Sequence], title: str = "") -> tablib.Dataset:
    data = tablib.Dataset(headers=neutralise_row(headers), title=title)
    for row in rows:
        data.append(neutralise_row(row))
    return data


def export_bytes(data: tablib.Dataset, fmt: str) -> bytes:
    data = safe_dataset(data)
    if fmt == "csv":
        return data.export("csv").encode("utf-8-sig")
    if fmt == "xlsx":
        return data.export("xlsx")
    raise ValueError(f"Unknown export format {fmt!r}")


def export_response(data: tablib.Dataset, *, fmt: str, filename: str) -> HttpResponse:
    response = HttpResponse(export_bytes(data, fmt), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


def set_cell(cell, value) -> None:
    """Write ``value`` into an openpyxl cell: neutralised text is always a string cell."""
    value = neutralise(value)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = TYPE_STRING


class SafeTableExport(TableExport):
    """django-tables2's export with every value neutralised (``export_class`` of the list views)."""

    def table_to_dataset(self, table, exclude_columns, dataset_kwargs=None):
        return safe_dataset(super().table_to_dataset(table, exclude_columns, dataset_kwargs))
