"""Issue 12: imports never misread a figure. UK formats are read exactly; a decimal comma, a unit
that is not the standard's and a figure out of range are refused with row and column, saving nothing."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agreements.models import Standard
from reporting.imports import FigureError, parse_figure
from reporting.models import StandardResult
from tests.reporting.test_imports import template, to_csv

HOURS, DAYS, PERCENT, GBP, COUNT = (Standard(unit=u) for u in ("hours", "working_days", "percent", "gbp", "count"))


@pytest.mark.parametrize(
    ("standard", "text", "expected"),
    [
        (HOURS, "6.5", Decimal("6.5")),
        (HOURS, "1,234.5", Decimal("1234.5")),
        (HOURS, "1,234,567", Decimal("1234567")),
        (GBP, "£1,234", Decimal("1234")),
        (GBP, "£ 1,234.50", Decimal("1234.50")),
        (PERCENT, "95%", Decimal("95")),
        (PERCENT, "99.5 %", Decimal("99.5")),
        (HOURS, "3 hours", Decimal("3")),
        (DAYS, "7 working days", Decimal("7")),
        (COUNT, "12,500", Decimal("12500")),
        (COUNT, " 42\u00a0", Decimal("42")),
    ],
)
def test_uk_number_formats_are_read_exactly(standard, text, expected):
    assert parse_figure(text, standard) == expected


@pytest.mark.parametrize(
    ("standard", "text", "says"),
    [
        (DAYS, "6,5", "could be a decimal point"),  # was stored as 65 working days
        (HOURS, "12,50", "could be a decimal point"),
        (HOURS, "1.234,5", "is not a number"),
        (HOURS, "150%", "is in %, but this standard is measured in hours"),  # was stored as 150 hours
        (COUNT, "£1,234", "is in pounds"),
        (PERCENT, "3 hours", "is in hours"),
        (HOURS, "7 days", "is in days"),
        (PERCENT, "101", "more than 100%"),
        (PERCENT, "150%", "more than 100%"),
        (HOURS, "-1", "negative"),
        (HOURS, "0.005", "more than 2 decimal places"),
        (HOURS, "lots", "is not a number"),
    ],
)
def test_ambiguous_mismatched_or_out_of_range_figures_are_refused(standard, text, says):
    with pytest.raises(FigureError, match=says):
        parse_figure(text, standard)


def _rows_by_unit(rows):
    return {row[3]: row for row in rows[1:]}


def test_an_import_with_a_decimal_comma_or_a_wrong_unit_is_refused_with_row_and_column(client_as, env_return):
    client = client_as("environment.officer")
    rows = template(client, env_return)
    for row in rows[1:]:
        row[5] = row[4]
    measured = [i for i, row in enumerate(rows) if i and row[3] != "milestone (met / not met)"]
    first, second = measured[0], measured[1]
    rows[first][5] = "6,5"
    rows[second][5] = "150%" if rows[second][3] != "%" else "150"
    response = client.post(
        reverse("reporting:return_import", args=[env_return.pk]), {"file": SimpleUploadedFile("r.csv", to_csv(rows))}
    )
    html = response.content.decode()
    assert response.status_code == 200 and "nothing was saved" in html
    assert f"Row {first + 1}, column F (Actual): “6,5” has a comma" in html
    assert f"Row {second + 1}, column F (Actual): “150" in html
    assert not StandardResult.objects.filter(quarterly_return=env_return, actual__isnull=False).exists()


def test_an_import_in_uk_formats_saves_the_figures_read_exactly(client_as, env_return):
    client = client_as("environment.officer")
    rows = template(client, env_return)
    expected = {}
    for row in rows[1:]:
        if row[3] == "milestone (met / not met)" or not row[4]:
            continue
        target = Decimal(row[4])
        if row[3] == "%":
            row[5] = f"{target}%"
        elif row[3] == "£":
            row[5] = f"£{target:,}"
        else:
            row[5] = f"{target:,}"
        expected[int(row[0])] = target
    response = client.post(
        reverse("reporting:return_import", args=[env_return.pk]), {"file": SimpleUploadedFile("r.csv", to_csv(rows))}
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    saved = dict(
        StandardResult.objects.filter(quarterly_return=env_return, standard_id__in=expected).values_list(
            "standard_id", "actual"
        )
    )
    assert saved == expected


def test_an_excel_percentage_keeps_its_unit(client_as, env_return):
    """A cell typed "150%" in Excel is stored as 1.5 with a percentage format: read as 150%, never 1.5 hours."""
    import io

    from openpyxl import Workbook

    client = client_as("environment.officer")
    rows = template(client, env_return)
    hours_row = next(i for i, row in enumerate(rows) if row[3] == "hours")
    percent_row = next(i for i, row in enumerate(rows) if row[3] == "%")
    book = Workbook()
    sheet = book.active
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            sheet.cell(row=r, column=c, value=value)
    sheet.cell(row=hours_row + 1, column=6, value=1.5).number_format = "0%"
    sheet.cell(row=percent_row + 1, column=6, value=0.95).number_format = "0%"
    out = io.BytesIO()
    book.save(out)
    response = client.post(
        reverse("reporting:return_import", args=[env_return.pk]),
        {"file": SimpleUploadedFile("r.xlsx", out.getvalue())},
    )
    html = response.content.decode()
    assert f"Row {hours_row + 1}, column F (Actual): “150%” is in %" in html
    assert f"Row {percent_row + 1}, column F" not in html  # 95% read as 95
    assert not StandardResult.objects.filter(quarterly_return=env_return, actual__isnull=False).exists()
