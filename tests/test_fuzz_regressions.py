"""Bugs the fuzz tests (tests/test_fuzz.py) found, pinned with the input that found them."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from almo_sla.two_factor import TokenForm
from reporting import imports
from reporting.models import StandardResult
from tests.reporting.conftest import current_return
from tests.role_matrix import agreements as agreements_matrix


def test_a_csv_field_over_the_size_limit_is_a_row_error_not_a_500(client_as, demo_data):
    ret = current_return(demo_data, "Environmental Services")
    before = list(StandardResult.objects.filter(quarterly_return=ret).values_list("actual", "commentary"))
    content = ",".join(imports.COLUMNS).encode() + b'\n"' + b"x" * 200_000 + b'"\n'
    response = client_as("environment.officer").post(
        reverse("reporting:return_import", args=[ret.pk]), {"file": SimpleUploadedFile("return.csv", content)}
    )
    assert response.status_code == 200
    assert (
        "This row cannot be read as CSV" in response.content.decode()
        and "govuk-error-summary" in response.content.decode()
    )
    assert list(StandardResult.objects.filter(quarterly_return=ret).values_list("actual", "commentary")) == before


def test_an_xlsx_with_a_broken_sheet_is_refused_cleanly():
    import io
    import zipfile

    from openpyxl import Workbook

    book, out = Workbook(), io.BytesIO()
    book.save(out)
    broken = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as src, zipfile.ZipFile(broken, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            dst.writestr(item, b"<worksheet><sheetData><row><c" if item.filename.startswith("xl/worksheets/") else data)
    try:
        imports.read_rows(name="return.xlsx", content=broken.getvalue())
    except imports.ImportFailed as failed:
        assert str(failed.errors[0]) == "Row 1: The file is not a readable Excel workbook."
    else:
        raise AssertionError("a broken sheet was read")


def test_a_signalling_nan_in_a_schedule_formset_re_shows_the_form(client_as, demo_data):
    """Django's DecimalField lets 'sNaN' through to_python; comparing it in has_changed raised InvalidOperation."""
    client = client_as("east.coordinator")
    url = reverse(
        "agreements:schedule_edit", args=agreements_matrix.url_args("agreements:schedule_edit", demo_data)["east"]
    )
    data = {
        "standards-TOTAL_FORMS": "1",
        "standards-INITIAL_FORMS": "",
        "standards-0-amber_tolerance": "sNaN",
        "standards-0-target_2026": "sNaN",
    }
    response = client.post(url, data)
    assert response.status_code == 200 and "govuk-error-summary" in response.content.decode()


def test_sNaN_and_infinity_are_not_numbers_in_our_forms():
    from agreements.forms import StandardForm

    form = StandardForm(
        data={"title": "x", "kind": "measured", "amber_tolerance": "sNaN", "target_2026": "-Infinity"}, years=[2026]
    )
    assert form.has_changed() and not form.is_valid()  # has_changed raised InvalidOperation
    assert "Amber tolerance must be a number" in form.errors["amber_tolerance"]
    assert "Target for 2026/27 must be a number" in form.errors["target_2026"]


def test_an_empty_two_factor_post_shows_the_error(client_as, demo_data):
    client = client_as("coordinator")
    response = client.post(reverse("two_factor_setup"), {})
    assert response.status_code == 200 and "govuk-error-summary" in response.content.decode()
    assert TokenForm({}, device=None).errors["token"] == ["Enter security code"]
