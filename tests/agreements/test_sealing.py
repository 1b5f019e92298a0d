"""Sealed agreed versions: a PAdES seal (pyHanko) that validates, and fails when a byte changes."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from agreements import sealing, services
from tests.agreements.factories import draft_copy_of_main, user


@pytest.fixture(autouse=False)
def agreed(demo_data, django_capture_on_commit_callbacks, eager_tasks):  # sealed in-process on both CI runs
    agreement = draft_copy_of_main(demo_data)
    services.agreement_send_for_signoff(agreement=agreement, user=user("coordinator"))
    services.agreement_approve(
        agreement=agreement,
        user=user("council.signatory"),
        version_number=agreement.versions.order_by("number").last().number,
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.agreement_approve(
            agreement=agreement,
            user=user("almo.signatory"),
            version_number=agreement.versions.order_by("number").last().number,
        )
    agreement.refresh_from_db()
    return agreement


def _download(client, agreement):
    response = client.get(reverse("agreements:agreement_sealed_pdf", args=[agreement.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    return b"".join(response.streaming_content)


def test_both_approvals_seal_the_final_version(agreed):
    version = sealing.agreed_version(agreed)
    path = sealing.sealed_path(version)
    assert path.exists()  # sealed by the task queued when the second signatory approved
    data = path.read_bytes()
    result = sealing.verify_sealed_pdf(data)
    expected = {"intact": True, "valid": True, "trusted": True, "covers_whole_file": True, "verified": True}
    assert result == result | expected
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert "Approved by Carol Signer" in text and "Council" in text and "ALMO" in text
    assert agreed.reference in text


def test_a_changed_byte_fails_verification(agreed):
    data = bytearray(sealing.sealed_path(sealing.agreed_version(agreed)).read_bytes())
    # change one byte of the signed document (in its first, signed revision)
    position = data.index(b"stream", 2000) + 20
    data[position] ^= 0x01
    result = sealing.verify_sealed_pdf(bytes(data))
    assert result["intact"] is False and result["verified"] is False


def test_a_seal_by_another_certificate_is_not_trusted(agreed, tmp_path):
    data = sealing.sealed_path(sealing.agreed_version(agreed)).read_bytes()
    other = tmp_path / "other.p12"
    sealing._development_pkcs12(other, b"pw")
    from pyhanko.sign import signers

    stranger = signers.SimpleSigner.load_pkcs12(str(other), passphrase=b"pw").signing_cert
    result = sealing.verify_sealed_pdf(data, trust=stranger)
    assert result["trusted"] is False and result["verified"] is False


def test_the_seal_is_made_once(agreed):
    version = sealing.agreed_version(agreed)
    first = sealing.sealed_path(version).read_bytes()
    sealing.seal_version(version.pk)
    assert sealing.sealed_path(version).read_bytes() == first


def test_agreement_page_offers_the_sealed_pdf_and_how_to_verify(client_as, agreed):
    client = client_as("coordinator")
    page = client.get(reverse("agreements:agreement_detail", args=[agreed.pk])).content.decode()
    assert "Download the sealed agreement" in page and "How to check the seal" in page
    assert sealing.certificate_fingerprint() in page
    data = _download(client, agreed)
    assert sealing.verify_sealed_pdf(data)["verified"] is True


def test_department_officer_may_not_have_the_whole_sealed_agreement(client_as, agreed):
    client = client_as("environment.officer")
    page = client.get(reverse("agreements:agreement_detail", args=[agreed.pk])).content.decode()
    assert "Download the sealed agreement" not in page and "ask the ALMO coordinator" in page
    assert client.get(reverse("agreements:agreement_sealed_pdf", args=[agreed.pk])).status_code == 403


def test_no_sealed_pdf_before_both_have_approved(client_as, demo_data):
    agreement = draft_copy_of_main(demo_data)
    services.agreement_send_for_signoff(agreement=agreement, user=user("coordinator"))
    services.agreement_approve(
        agreement=agreement,
        user=user("council.signatory"),
        version_number=agreement.versions.order_by("number").last().number,
    )
    client = client_as("coordinator")
    assert client.get(reverse("agreements:agreement_sealed_pdf", args=[agreement.pk])).status_code == 404
    page = client.get(reverse("agreements:agreement_detail", args=[agreement.pk])).content.decode()
    assert "Sealed agreement" not in page


def test_production_without_a_certificate_says_so_and_does_not_seal(
    client_as, demo_data, settings, django_capture_on_commit_callbacks
):
    settings.PRODUCTION, settings.SEAL_PKCS12_PATH = True, ""
    agreement = draft_copy_of_main(demo_data, reference="SLA-KNH-PROD")
    services.agreement_send_for_signoff(agreement=agreement, user=user("coordinator"))
    services.agreement_approve(
        agreement=agreement,
        user=user("council.signatory"),
        version_number=agreement.versions.order_by("number").last().number,
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.agreement_approve(
            agreement=agreement,
            user=user("almo.signatory"),
            version_number=agreement.versions.order_by("number").last().number,
        )
    assert not sealing.sealed_path(sealing.agreed_version(agreement)).exists()
    client = client_as("coordinator")
    page = client.get(reverse("agreements:agreement_detail", args=[agreement.pk])).content.decode()
    assert "seal certificate is not available" in page
    assert client.get(reverse("agreements:agreement_sealed_pdf", args=[agreement.pk])).status_code == 404


def test_configured_pkcs12_is_used(agreed, settings, tmp_path):
    path = tmp_path / "council-seal.p12"
    sealing._development_pkcs12(path, b"council-pw")
    settings.SEAL_PKCS12_PATH, settings.SEAL_PKCS12_PASSWORD = str(path), "council-pw"
    from pyhanko.sign import signers

    expected = signers.SimpleSigner.load_pkcs12(str(path), passphrase=b"council-pw").signing_cert
    assert sealing.seal_certificate().dump() == expected.dump()
