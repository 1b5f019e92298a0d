import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from reporting import imports
from reporting.models import StandardResult


def template(client, ret, fmt="csv"):
    response = client.get(reverse("reporting:return_template", args=[ret.pk, fmt]))
    assert response.status_code == 200
    assert f'filename="return-environmental-services-{ret.period.slug}.{fmt}"' in response["Content-Disposition"]
    if fmt == "csv":
        return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    return [
        [imports._cell_text(v) for v in row]
        for row in load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)
    ]


def to_csv(rows):
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode()


def test_the_template_has_a_row_per_standard_in_csv_and_excel(client_as, env_return):
    client = client_as("environment.officer")
    for fmt in ("csv", "xlsx"):
        rows = template(client, env_return, fmt)
        assert rows[0] == imports.COLUMNS
        assert sorted(r[2] for r in rows[1:]) == sorted(env_return.results.values_list("standard__title", flat=True))


def test_a_good_file_saves_every_row(client_as, env_return):
    client = client_as("environment.officer")
    rows = template(client, env_return)
    for row in rows[1:]:
        row[5], row[8] = row[4], "On target."
    response = client.post(
        reverse("reporting:return_import", args=[env_return.pk]),
        {"file": SimpleUploadedFile("return.csv", to_csv(rows))},
    )
    assert response.status_code == 302
    results = StandardResult.objects.filter(quarterly_return=env_return)
    assert all(r.actual == r.target_value and r.rag == "green" and r.commentary == "On target." for r in results)


def test_a_bad_file_saves_nothing_and_lists_every_bad_row(client_as, env_return):
    client = client_as("environment.officer")
    rows = template(client, env_return)
    rows[1][5] = "lots"  # not a number
    rows[2][5] = "-4"  # negative
    rows[3][5], rows[3][6] = "5", "met"  # a milestone answer on a measured standard
    rows.append(["999999", "", "", "", "", "1", "", "", ""])  # not in this return
    rows.append(["abc", "", "", "", "", "1", "", "", ""])
    response = client.post(
        reverse("reporting:return_import", args=[env_return.pk]),
        {"file": SimpleUploadedFile("return.csv", to_csv(rows))},
    )
    html = response.content.decode()
    assert response.status_code == 200 and "nothing was saved" in html
    for expected in [
        "Row 2, column F (Actual): “lots” is not a number",
        "Row 3, column F (Actual): “-4” is negative",
        "Row 4, column G (Milestone outcome)",
        "Row 5, column A (Standard ID): Standard 999999 is not part of this return.",
        "Row 6, column A (Standard ID)",
    ]:
        assert expected in html, expected
    assert not StandardResult.objects.filter(quarterly_return=env_return, actual__isnull=False).exists()


def test_an_excel_file_with_a_wrong_heading_is_refused(client_as, env_return):
    response = client_as("environment.officer").post(
        reverse("reporting:return_import", args=[env_return.pk]),
        {"file": SimpleUploadedFile("return.xlsx", b"not a workbook")},
    )
    assert "Row 1: The file is not a readable Excel workbook." in response.content.decode()
