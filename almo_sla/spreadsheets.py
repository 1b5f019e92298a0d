"""Reading uploaded spreadsheets without letting the file decide how much work it costs.

An .xlsx is a zip of XML parts. Before openpyxl opens one, the archive is inspected: too many
entries, or parts whose uncompressed size is too large, are refused (zip bombs, ASVS V5.2.3).
The sheet is then read in read-only mode with its declared ``<dimension>`` ignored and at most
the columns and rows the caller asks for (a 1.6 KB file declaring ``A1:XFD8000`` would
otherwise be padded to 16,384 cells per row, ASVS V15.2.2).
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Iterator
from decimal import Decimal

from openpyxl import load_workbook

MAX_ZIP_ENTRIES = 100
MAX_ZIP_MEMBER_BYTES = 20 * 1024 * 1024
MAX_ZIP_TOTAL_BYTES = 50 * 1024 * 1024


class UnreadableSpreadsheet(ValueError):
    """The file is refused; the message says why, in words for the person who uploaded it."""


def check_zip(
    content: bytes,
    *,
    max_entries: int = MAX_ZIP_ENTRIES,
    max_member: int = MAX_ZIP_MEMBER_BYTES,
    max_total: int = MAX_ZIP_TOTAL_BYTES,
) -> None:
    """Refuse an archive with too many entries or too much uncompressed data, before unpacking it.

    Python's zipfile stops each member at its declared size, so the declared sizes bound the work.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as exc:
        raise UnreadableSpreadsheet("The file is not a readable Excel workbook.") from exc
    if len(entries) > max_entries:
        raise UnreadableSpreadsheet(f"The workbook has too many parts ({len(entries)}; at most {max_entries}).")
    if any(entry.file_size > max_member for entry in entries) or sum(e.file_size for e in entries) > max_total:
        raise UnreadableSpreadsheet(
            f"The workbook is too large once unpacked (at most {max_total // (1024 * 1024)} MB): "
            "copy the rows into a new copy of the template."
        )


def xlsx_rows(content: bytes, *, max_col: int, max_row: int) -> Iterator[tuple]:
    """The first sheet's values, at most ``max_col`` columns by ``max_row`` rows, whatever the
    sheet declares. Raises ``UnreadableSpreadsheet`` for a refused or broken file."""
    check_zip(content)
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl (and zipfile, lxml) raise many kinds for a broken file
        raise UnreadableSpreadsheet("The file is not a readable Excel workbook.") from exc
    try:
        sheet = book.worksheets[0]
        sheet.reset_dimensions()  # never trust <dimension ref="A1:XFD1048576"/>
        # read-only workbooks parse the sheet lazily, so a broken sheet fails while iterating
        for row in sheet.iter_rows(min_col=1, max_col=max_col, min_row=1, max_row=max_row):
            yield tuple(_as_typed(cell) for cell in row)
    except UnreadableSpreadsheet:
        raise
    except Exception as exc:  # noqa: BLE001 - a broken sheet part
        raise UnreadableSpreadsheet("The file is not a readable Excel workbook.") from exc
    finally:
        book.close()


def _as_typed(cell):
    """A cell's value, except that a number shown as a percentage (typed "95%", stored 0.95) is read
    back as the text "95%": its unit must reach the reader, never a bare 0.95."""
    value = cell.value
    number_format = getattr(cell, "number_format", None) or ""
    if isinstance(value, int | float) and not isinstance(value, bool) and "%" in number_format:
        return f"{(Decimal(repr(value)) * 100).normalize():f}%"
    return value


def cell_text(value) -> str:
    """A cell's value as the text a person typed."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
