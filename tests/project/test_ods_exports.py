"""Every export offers ODS (OpenDocument) beside CSV and Excel, with the same rows."""

import csv
import io
import zipfile

import pytest
import tablib
from django.urls import reverse

EXPORTS = [
    ("agreements:agreement_list", "_export"),
    ("agreements:schedule_list", "_export"),
    ("reporting:departure_list", "_export"),
    ("services:costs", "export"),
]


@pytest.mark.parametrize("name, param", EXPORTS)
def test_ods_export_matches_csv(client_as, name, param):
    client = client_as("coordinator")
    page = client.get(reverse(name)).content.decode()
    assert "OpenDocument (ODS)" in page and f"{param}=ods" in page
    ods = client.get(reverse(name), {param: "ods"})
    assert ods.status_code == 200
    assert ods["Content-Type"] == "application/vnd.oasis.opendocument.spreadsheet"
    assert ".ods" in ods["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(ods.content))
    assert archive.read("mimetype") == b"application/vnd.oasis.opendocument.spreadsheet"
    sheet = tablib.Dataset().load(ods.content, format="ods")
    rows = list(csv.reader(io.StringIO(client.get(reverse(name), {param: "csv"}).content.decode("utf-8-sig"))))
    assert list(sheet.headers) == rows[0]
    assert len(sheet) == len(rows) - 1 > 0
    assert [str(v) for v in sheet[0]][:2] == rows[1][:2]


def test_department_officer_ods_export_holds_only_their_schedules(client_as):
    client = client_as("environment.officer")
    sheet = tablib.Dataset().load(
        client.get(reverse("agreements:schedule_list"), {"_export": "ods"}).content, format="ods"
    )
    departments = set(sheet["Department"]) if "Department" in sheet.headers else None
    assert departments == {"Environmental Services"}
