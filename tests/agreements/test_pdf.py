"""A version downloads as a PDF for the solicitors (WeasyPrint; text checked with pypdf)."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from agreements import services
from agreements.models import AgreementVersion
from almo_sla.pdf import StaticFilesURLFetcher as LocalStaticFetcher
from tests.agreements.factories import draft_copy_of_main, user

pytestmark = pytest.mark.django_db


def test_version_pdf_holds_the_frozen_terms(client_as, demo_data):
    draft = draft_copy_of_main(demo_data)
    version = services.version_create(
        agreement=draft, user=user("coordinator"), purpose=AgreementVersion.Purpose.SIGN_OFF
    )
    response = client_as("coordinator").get(reverse("agreements:version_pdf", args=[draft.pk, version.number]))
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="SLA-KNH-NEXT-v1.pdf"' in response["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.content))
    assert reader.metadata.title == "SLA-KNH-NEXT v1: Next agreement"
    text = " ".join(page.extract_text() for page in reader.pages)
    for expected in [
        "Next agreement",
        "Removal of abandoned vehicles",
        "3 months",
        "£38,000.00",
        "Responsive repairs",
        "Page 1 of",
    ]:
        assert expected in text, expected


def test_a_department_officers_pdf_holds_only_their_services(client_as, demo_data):
    draft = draft_copy_of_main(demo_data)
    version = services.version_create(
        agreement=draft, user=user("coordinator"), purpose=AgreementVersion.Purpose.SIGN_OFF
    )
    response = client_as("environment.officer").get(reverse("agreements:version_pdf", args=[draft.pk, version.number]))
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Removal of abandoned vehicles" in text and "Responsive repairs" not in text


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data",
        "file:///etc/passwd",
        "https://example.com/x.css",
        "file:///static/../../etc/passwd",
    ],
)
def test_the_pdf_fetcher_refuses_anything_but_local_static_files(url):
    with pytest.raises(ValueError):
        LocalStaticFetcher(allowed_protocols=["file"]).fetch(url)


def test_the_pdf_fetcher_serves_local_static_files():
    from django.contrib.staticfiles import finders

    response = LocalStaticFetcher(allowed_protocols=["file"]).fetch("file:///static/govuk/assets/images/favicon.ico")
    with open(finders.find("govuk/assets/images/favicon.ico"), "rb") as icon:
        assert response.read() == icon.read()  # the very file, read from the static directories
