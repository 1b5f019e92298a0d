import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from reporting import services
from reporting.models import Evidence

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def xlsx_bytes():
    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "name, content, mime",
    [
        ("report.pdf", PDF, "application/pdf"),
        ("photo.png", PNG, "image/png"),
        ("figures.xlsx", None, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("cases.csv", b"case,days\n1,3\n", "text/csv"),
    ],
)
def test_allowed_files_are_stored_under_a_server_generated_name(env_return, demo_user, name, content, mime):
    content = content or xlsx_bytes()
    evidence = services.evidence_add(
        quarterly_return=env_return, user=demo_user("environment.officer"), upload=SimpleUploadedFile(name, content)
    )
    assert evidence.content_type == mime and evidence.original_name == name
    assert evidence.stored_name != name and evidence.file.name.startswith(f"evidence/{env_return.pk}/")
    assert evidence.file.read() == content


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("report.pdf", PNG, "not a PDF"),  # a PNG renamed .pdf
        ("report.pdf", b"<html><script>alert(1)</script></html>", "not a PDF"),
        ("setup.exe", b"MZ\x90\x00" + b"\x00" * 60, "must be a PDF"),
        ("cases.csv", PNG, "not a text CSV"),
        ("notes.txt", b"hello", "must be a PDF"),
    ],
)
def test_a_file_whose_type_is_wrong_is_refused(env_return, demo_user, name, content, message):
    with pytest.raises(ValidationError) as exc:
        services.evidence_add(
            quarterly_return=env_return, user=demo_user("environment.officer"), upload=SimpleUploadedFile(name, content)
        )
    assert message in exc.value.messages[0]
    assert not Evidence.objects.filter(quarterly_return=env_return).exists()


def test_files_over_the_size_limit_are_refused(env_return, demo_user, settings):
    settings.EVIDENCE_MAX_BYTES = 1024
    with pytest.raises(ValidationError, match="smaller than"):
        services.evidence_add(
            quarterly_return=env_return,
            user=demo_user("environment.officer"),
            upload=SimpleUploadedFile("big.pdf", PDF + b"0" * 2048),
        )


@pytest.mark.parametrize(
    "name, safe",
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\eve\\Q3 report.pdf", "Q3 report.pdf"),
        ("<script>x.pdf", "script_x.pdf"),
        ("rapport ‘été’.pdf", "rapport _été_.pdf"),
    ],
)
def test_names_are_sanitised(name, safe):
    assert services.sanitise_filename(name) == safe


def test_upload_page_refuses_a_wrong_type_and_says_why(client_as, env_return):
    client = client_as("environment.officer")
    url = reverse("reporting:evidence_add", args=[env_return.pk])
    response = client.post(url, {"file": SimpleUploadedFile("report.pdf", PNG)})
    html = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in html and "not a PDF file" in html
    assert not env_return.evidence.exists()


def test_evidence_downloads_as_an_attachment_only_for_those_who_see_the_return(client_as, env_return, demo_user):
    evidence = services.evidence_add(
        quarterly_return=env_return, user=demo_user("environment.officer"), upload=SimpleUploadedFile("report.pdf", PDF)
    )
    url = reverse("reporting:evidence_download", args=[env_return.pk, evidence.pk])
    for username in ("environment.officer", "coordinator", "board.member"):
        response = client_as(username).get(url)
        assert response.status_code == 200
        assert response["Content-Disposition"] == 'attachment; filename="report.pdf"'
        assert response["Content-Type"] == "application/pdf" and b"".join(response.streaming_content) == PDF
    assert client_as("repairs.officer").get(url).status_code == 404
    assert client_as("east.coordinator").get(url).status_code == 404
    # the evidence id under another return's URL finds nothing
    other = env_return.agreement.returns.exclude(pk=env_return.pk).filter(department=env_return.department).first()
    assert (
        client_as("environment.officer")
        .get(reverse("reporting:evidence_download", args=[other.pk, evidence.pk]))
        .status_code
        == 404
    )
