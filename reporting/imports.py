"""A return as a CSV or Excel file: a template with one row per standard, and an all-or-nothing import.

The whole file is checked before anything is saved; every problem is reported with its
row and column (as a spreadsheet shows them: row 1 is the header, column A the first).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from agreements.models import Standard
from reporting import services
from reporting.models import QuarterlyReturn, StandardResult

COLUMNS = ["Standard ID", "Service", "Standard", "Unit", "Target", "Actual", "Milestone outcome", "Date delivered", "Commentary"]
_ID, _ACTUAL, _OUTCOME, _DELIVERED, _COMMENTARY = 0, 5, 6, 7, 8
MAX_ROWS = 2000


def template_rows(results: list[StandardResult]) -> list[list[str]]:
    rows = []
    for r in results:
        s = r.standard
        measured = s.kind == Standard.Kind.MEASURED
        rows.append([
            str(s.pk),
            s.schedule.service.name,
            s.title,
            s.get_unit_display() if measured else "milestone (met / not met)",
            f"{r.target_value.normalize():f}" if r.target_value is not None else "",
            f"{r.actual.normalize():f}" if r.actual is not None else "",
            r.get_milestone_outcome_display().lower() if r.milestone_outcome else "",
            r.delivered_on.isoformat() if r.delivered_on else "",
            r.commentary,
        ])
    return rows


def template_csv(results: list[StandardResult]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    writer.writerows(template_rows(results))
    return out.getvalue().encode("utf-8-sig")


def template_xlsx(results: list[StandardResult]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Return"
    sheet.append(COLUMNS)
    for row in template_rows(results):
        sheet.append(row)
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


def read_rows(*, name: str, content: bytes) -> list[list[str]]:
    """The file's rows (header included) as text, from CSV or Excel."""
    lower = name.lower()
    if lower.endswith(".xlsx"):
        # read-only workbooks parse the sheet lazily, so a broken sheet fails while iterating
        try:
            book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
            return [[_cell_text(v) for v in row] for row in book.worksheets[0].iter_rows(values_only=True)]
        except Exception as exc:  # openpyxl (and zipfile, lxml) raise many kinds for a broken file
            raise ImportFailed([ImportError_(1, None, "The file is not a readable Excel workbook.")]) from exc
    if lower.endswith(".csv"):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = content.decode("cp1252", errors="replace")
        reader = csv.reader(io.StringIO(text))
        try:
            return list(reader)
        except csv.Error as exc:  # a field over the csv module's size limit, or a broken quoted field
            raise ImportFailed([ImportError_(max(reader.line_num, 1), None, "This row cannot be read as CSV; check its quotes and length.")]) from exc
    raise ImportFailed([ImportError_(1, None, "Upload the template as a CSV (.csv) or Excel (.xlsx) file.")])


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _parse_date(text: str) -> dt.date:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d %B %Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a date, not a time
        except ValueError:
            continue
    raise ValueError


def return_import(*, quarterly_return: QuarterlyReturn, user, name: str, content: bytes) -> int:
    """Check every row, then save all of them or none. Returns how many standards were updated."""
    rows = read_rows(name=name, content=content)
    errors: list[ImportError_] = []
    if not rows or [c.strip().lower() for c in rows[0][: len(COLUMNS)]] != [c.lower() for c in COLUMNS]:
        raise ImportFailed([ImportError_(1, None, "The first row must be the template's headings: " + ", ".join(COLUMNS) + ".")])
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
                    column = {"actual": _ACTUAL, "milestone_outcome": _OUTCOME, "delivered_on": _DELIVERED}.get(field)
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
            errors.append(ImportError_(line, _OUTCOME if outcome else _DELIVERED, "A measured standard takes a figure in Actual, not a milestone outcome."))
        if actual:
            try:
                result.actual = Decimal(actual.rstrip("%").replace(",", "").replace("£", ""))
            except InvalidOperation:
                errors.append(ImportError_(line, _ACTUAL, f"“{actual}” is not a number."))
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
