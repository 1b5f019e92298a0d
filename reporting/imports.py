"""A return as a CSV or Excel file: a template with one row per standard, and an all-or-nothing import.

The whole file is checked before anything is saved; every problem is reported with its
row and column (as a spreadsheet shows them: row 1 is the header, column A the first).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from agreements.models import Standard
from almo_sla.exports import neutralise_row, set_cell, unneutralise
from almo_sla.spreadsheets import UnreadableSpreadsheet, cell_text, xlsx_rows
from reporting import services
from reporting.models import QuarterlyReturn, StandardResult

COLUMNS = [
    "Standard ID",
    "Service",
    "Standard",
    "Unit",
    "Target",
    "Actual",
    "Milestone outcome",
    "Date delivered",
    "Commentary",
]
_ID, _ACTUAL, _OUTCOME, _DELIVERED, _COMMENTARY = 0, 5, 6, 7, 8
MAX_ROWS = 2000


def template_rows(results: list[StandardResult]) -> list[list[str]]:
    rows = []
    for r in results:
        s = r.standard
        measured = s.kind == Standard.Kind.MEASURED
        rows.append(
            [
                str(s.pk),
                s.schedule.service.name,
                s.title,
                s.get_unit_display() if measured else "milestone (met / not met)",
                f"{r.target_value.normalize():f}" if r.target_value is not None else "",
                f"{r.actual.normalize():f}" if r.actual is not None else "",
                r.get_milestone_outcome_display().lower() if r.milestone_outcome else "",
                r.delivered_on.isoformat() if r.delivered_on else "",
                r.commentary,
            ]
        )
    return rows


def template_csv(results: list[StandardResult]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    writer.writerows(neutralise_row(row) for row in template_rows(results))
    return out.getvalue().encode("utf-8-sig")


def template_xlsx(results: list[StandardResult]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Return"
    sheet.append(COLUMNS)
    for row_index, row in enumerate(template_rows(results), start=2):
        for column_index, value in enumerate(row, start=1):
            set_cell(sheet.cell(row=row_index, column=column_index), value)
    for index, width in enumerate([12, 30, 50, 22, 10, 10, 20, 16, 60], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@dataclass(frozen=True)
class ImportError_:
    row: int
    column: int | None
    message: str

    def __str__(self):
        where = f"Row {self.row}"
        if self.column is not None:
            where += f", column {get_column_letter(self.column + 1)} ({COLUMNS[self.column]})"
        return f"{where}: {self.message}"


class ImportFailed(Exception):
    def __init__(self, errors: list[ImportError_]):
        super().__init__(f"{len(errors)} problems")
        self.errors = errors


def _too_many_rows() -> ImportFailed:
    return ImportFailed([ImportError_(1, None, f"The file has more than {MAX_ROWS} rows.")])


def _limited(rows) -> list[list[str]]:
    """The heading row and the rows below it, stopping as soon as more than ``MAX_ROWS`` hold
    anything. Text neutralised by our own template export (a leading quote) is read back as typed."""
    out: list[list[str]] = []
    filled = 0
    for index, row in enumerate(rows):
        cells = [unneutralise(cell_text(value)) for value in row]
        if index and any(cell.strip() for cell in cells):
            filled += 1
            if filled > MAX_ROWS:
                raise _too_many_rows()
        out.append(cells)
    return out


def read_rows(*, name: str, content: bytes) -> list[list[str]]:
    """The file's rows (header included) as text, from CSV or Excel: only the template's
    columns, and never more than ``MAX_ROWS`` rows below the headings."""
    lower = name.lower()
    if lower.endswith(".xlsx"):
        # One row more than the limit, to notice that it was passed; the sheet's declared
        # dimension is ignored (ASVS V15.2.2, almo_sla.spreadsheets).
        try:
            rows = _limited(xlsx_rows(content, max_col=len(COLUMNS), max_row=MAX_ROWS + 2))
        except UnreadableSpreadsheet as exc:
            raise ImportFailed([ImportError_(1, None, str(exc))]) from exc
        if len(rows) == MAX_ROWS + 2 and any(cell.strip() for cell in rows[-1]):
            raise _too_many_rows()
        return rows
    if lower.endswith(".csv"):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = content.decode("cp1252", errors="replace")
        reader = csv.reader(io.StringIO(text))
        try:
            return _limited(row[: len(COLUMNS)] for row in reader)
        except csv.Error as exc:  # a field over the csv module's size limit, or a broken quoted field
            raise ImportFailed(
                [
                    ImportError_(
                        max(reader.line_num, 1), None, "This row cannot be read as CSV; check its quotes and length."
                    )
                ]
            ) from exc
    raise ImportFailed([ImportError_(1, None, "Upload the template as a CSV (.csv) or Excel (.xlsx) file.")])


_cell_text = cell_text  # the name the tests and older callers use


def _parse_date(text: str) -> dt.date:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d %B %Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a date, not a time
        except ValueError:
            continue
    raise ValueError


class FigureError(ValueError):
    """A figure that cannot be read without guessing; the message says what to write instead."""


_PLAIN = re.compile(r"\d+(\.\d+)?|\.\d+")
_UK_THOUSANDS = re.compile(r"\d{1,3}(,\d{3})+(\.\d+)?")
#: Words and signs a figure may carry, by the unit they stand for.
_UNIT_MARKS = [
    ("working days", Standard.Unit.WORKING_DAYS),
    ("working day", Standard.Unit.WORKING_DAYS),
    ("days", Standard.Unit.WORKING_DAYS),
    ("day", Standard.Unit.WORKING_DAYS),
    ("hours", Standard.Unit.HOURS),
    ("hour", Standard.Unit.HOURS),
    ("hrs", Standard.Unit.HOURS),
    ("%", Standard.Unit.PERCENT),
]


_UNIT_WORDS = {
    Standard.Unit.HOURS: "hours",
    Standard.Unit.WORKING_DAYS: "working days",
    Standard.Unit.PERCENT: "per cent",
    Standard.Unit.GBP: "pounds",
    Standard.Unit.COUNT: "a count",
}


def parse_figure(text: str, standard: Standard) -> Decimal:
    """A figure as a person in the UK writes it — 1,234.5, £1,234, 95%, 3 hours — read exactly or
    refused: a decimal comma ("6,5") is ambiguous, a unit that is not the standard's (a % in an
    hours standard) is refused, and so is a figure out of range (negative, over 100%).
    """
    raw = text
    text = text.replace("\u00a0", " ").strip()
    unit = standard.unit
    unit_name = _UNIT_WORDS.get(unit, standard.get_unit_display())
    if text.startswith("£"):
        if unit != Standard.Unit.GBP:
            raise FigureError(
                f"“{raw}” is in pounds, but this standard is measured in {unit_name}: write the figure alone."
            )
        text = text[1:].strip()
    lowered = text.lower()
    for mark, mark_unit in _UNIT_MARKS:
        if lowered.endswith(mark):
            if mark_unit != unit:
                raise FigureError(
                    f"“{raw}” is in {mark}, but this standard is measured in {unit_name}: write the figure alone."
                )
            text = text[: -len(mark)].strip()
            break
    if text.startswith("-") or text.startswith("−"):
        raise FigureError(f"“{raw}” is negative: a figure cannot be below 0.")
    if _PLAIN.fullmatch(text):
        number = Decimal(text)
    elif _UK_THOUSANDS.fullmatch(text):
        number = Decimal(text.replace(",", ""))
    elif re.fullmatch(r"\d+,\d+", text):
        raise FigureError(
            f"“{raw}” has a comma that could be a decimal point or a thousands separator: "
            f"write {text.replace(',', '.')} for a decimal, or group thousands in threes (1,234)."
        )
    else:
        raise FigureError(f"“{raw}” is not a number: write it like 1,234.5.")
    if unit == Standard.Unit.PERCENT and number > 100:
        raise FigureError(f"“{raw}” is more than 100%: enter a percentage from 0 to 100.")
    if number >= Decimal("1E10"):
        raise FigureError(f"“{raw}” is too large for a figure.")
    if number != number.quantize(Decimal("0.01")):
        raise FigureError(f"“{raw}” has more than 2 decimal places.")
    return number


def return_import(*, quarterly_return: QuarterlyReturn, user, name: str, content: bytes) -> int:
    """Check every row, then save all of them or none. Returns how many standards were updated."""
    rows = read_rows(name=name, content=content)
    errors: list[ImportError_] = []
    if not rows or [c.strip().lower() for c in rows[0][: len(COLUMNS)]] != [c.lower() for c in COLUMNS]:
        raise ImportFailed(
            [ImportError_(1, None, "The first row must be the template's headings: " + ", ".join(COLUMNS) + ".")]
        )
    body = [(i, row) for i, row in enumerate(rows[1:], start=2) if any(cell.strip() for cell in row)]
    if len(body) > MAX_ROWS:
        raise ImportFailed([ImportError_(1, None, f"The file has more than {MAX_ROWS} rows.")])
    results = {r.standard_id: r for r in quarterly_return.results.select_related("standard")}
    seen: dict[int, int] = {}
    updated: list[StandardResult] = []
    for line, row in body:
        row = row + [""] * (len(COLUMNS) - len(row))
        try:
            standard_id = int(row[_ID])
        except ValueError:
            errors.append(ImportError_(line, _ID, "Enter the standard ID from the template."))
            continue
        result = results.get(standard_id)
        if result is None:
            errors.append(ImportError_(line, _ID, f"Standard {standard_id} is not part of this return."))
            continue
        if standard_id in seen:
            errors.append(ImportError_(line, _ID, f"Standard {standard_id} is already on row {seen[standard_id]}."))
            continue
        seen[standard_id] = line
        row_errors = _apply_row(result, row, line)
        if not row_errors:
            try:
                result.full_clean(exclude=["quarterly_return", "standard", "rag"])
            except ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    column = {
                        "actual": _ACTUAL,
                        "milestone_outcome": _OUTCOME,
                        "delivered_on": _DELIVERED,
                        "commentary": _COMMENTARY,
                    }.get(field)
                    row_errors += [ImportError_(line, column, m) for m in messages]
        errors += row_errors
        updated.append(result)
    if not body:
        errors.append(ImportError_(2, None, "The file has no rows to import."))
    if errors:
        raise ImportFailed(errors)
    services.return_save(quarterly_return=quarterly_return, user=user, results=updated)
    return len(updated)


def _apply_row(result: StandardResult, row: list[str], line: int) -> list[ImportError_]:
    errors = []
    standard = result.standard
    actual, outcome, delivered = row[_ACTUAL].strip(), row[_OUTCOME].strip().lower(), row[_DELIVERED].strip()
    if standard.kind == Standard.Kind.MEASURED:
        if outcome or delivered:
            errors.append(
                ImportError_(
                    line,
                    _OUTCOME if outcome else _DELIVERED,
                    "A measured standard takes a figure in Actual, not a milestone outcome.",
                )
            )
        if actual:
            try:
                result.actual = parse_figure(actual, standard)
            except FigureError as exc:
                errors.append(ImportError_(line, _ACTUAL, str(exc)))
        else:
            result.actual = None
    else:
        if actual:
            errors.append(ImportError_(line, _ACTUAL, "A milestone takes met or not met, not a figure."))
        choices = {"met": "met", "not met": "not_met", "not_met": "not_met", "": ""}
        if outcome not in choices:
            errors.append(ImportError_(line, _OUTCOME, "Write met or not met (or leave it blank)."))
        else:
            result.milestone_outcome = choices[outcome]
        if delivered:
            try:
                result.delivered_on = _parse_date(delivered)
            except ValueError:
                errors.append(ImportError_(line, _DELIVERED, f"“{delivered}” is not a date; write it like 2025-09-30."))
        else:
            result.delivered_on = None
    result.commentary = row[_COMMENTARY].strip()
    return errors
