"""Spreadsheet uploads cannot make the server do unbounded work (ASVS 5.0 V5.2.3, V15.2.2)."""

import io
import time
import tracemalloc
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from almo_sla.spreadsheets import UnreadableSpreadsheet, check_zip
from reporting import imports
from tests.security.helpers import env_draft_return


def _workbook(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _rewrite_sheet(content: bytes, change) -> bytes:
    """The same workbook with its first sheet's XML passed through ``change``."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = change(data.decode()).encode()
            target.writestr(item.filename, data)
    return out.getvalue()


def dimension_bomb() -> bytes:
    """A small .xlsx whose sheet declares A1:XFD8000: 8,000 rows of 16,384 columns."""
    content = _workbook([imports.COLUMNS, ["1", "", "", "", "", "5"]])
    far_cell = '<row r="8000"><c r="XFD8000" t="inlineStr"><is><t>x</t></is></c></row>'
    return _rewrite_sheet(
        content,
        lambda xml: xml.replace('<dimension ref="A1:I2"/>', '<dimension ref="A1:XFD8000"/>').replace(
            "</sheetData>", f"{far_cell}</sheetData>"
        ),
    )


def test_asvs_v15_2_2_a_declared_dimension_does_not_pad_rows():
    """ASVS V15.2.2 / V5.2.3: the 1.6 KB "dimension bomb" is read in the template's columns, fast and small."""
    content = dimension_bomb()
    sheet_xml = zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml")
    assert len(content) < 8000 and b'ref="A1:XFD8000"' in sheet_xml
    tracemalloc.start()
    started = time.perf_counter()
    rows = imports.read_rows(name="return.xlsx", content=content)
    elapsed = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert elapsed < 2 and peak < 20 * 1024 * 1024, (elapsed, peak)
    assert all(len(row) == len(imports.COLUMNS) for row in rows)
    assert rows[0] == imports.COLUMNS and rows[1][0] == "1"
    assert len(rows) <= imports.MAX_ROWS + 2


def test_asvs_v15_2_2_reading_stops_as_soon_as_the_row_limit_is_passed():
    header = "".join(
        f'<c r="{c}1" t="inlineStr"><is><t>{t}</t></is></c>' for c, t in zip("ABCDEFGHI", imports.COLUMNS, strict=True)
    )
    last = '<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>z</t></is></c></row>'
    far = "".join(f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>{r}</t></is></c></row>' for r in range(2, 5000))
    content = _rewrite_sheet(
        _workbook([["x"]]),
        lambda xml: (
            xml.split("<sheetData>")[0]
            + f'<sheetData><row r="1">{header}</row>{far}{last}</sheetData>'
            + xml.split("</sheetData>")[1]
        ),
    )
    started = time.perf_counter()
    with pytest.raises(imports.ImportFailed) as failed:
        imports.read_rows(name="return.xlsx", content=content)
    assert time.perf_counter() - started < 2
    assert str(failed.value.errors[0]) == f"Row 1: The file has more than {imports.MAX_ROWS} rows."


def test_asvs_v15_2_2_csv_reading_stops_as_soon_as_the_row_limit_is_passed():
    content = ("\n".join([",".join(imports.COLUMNS)] + ["1,a,b,c,d,5,,," + "x" * 50] * 200_000)).encode()
    started = time.perf_counter()
    with pytest.raises(imports.ImportFailed, match="problems"):
        imports.read_rows(name="return.csv", content=content)
    assert time.perf_counter() - started < 2


def test_asvs_v5_2_3_zip_members_and_entry_counts_are_capped_before_opening():
    """ASVS V5.2.3: uncompressed size and number of entries are checked before unpacking."""
    many = io.BytesIO()
    with zipfile.ZipFile(many, "w") as archive:
        for i in range(500):
            archive.writestr(f"x/{i}.xml", "")
    with pytest.raises(UnreadableSpreadsheet, match="too many parts"):
        check_zip(many.getvalue())
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"<" + b" " * (60 * 1024 * 1024) + b"/>")
    assert len(bomb.getvalue()) < 200_000
    with pytest.raises(UnreadableSpreadsheet, match="too large once unpacked"):
        check_zip(bomb.getvalue())


def test_asvs_v5_2_3_the_import_page_refuses_a_bomb_with_a_clear_message(client_as, demo_data):
    ret = env_draft_return(demo_data)
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<" + b" " * (60 * 1024 * 1024) + b"/>")
    started = time.perf_counter()
    response = client_as("environment.officer").post(
        reverse("reporting:return_import", args=[ret.pk]), {"file": SimpleUploadedFile("return.xlsx", bomb.getvalue())}
    )
    assert time.perf_counter() - started < 3
    assert response.status_code == 200
    assert "The workbook is too large once unpacked" in response.content.decode()
