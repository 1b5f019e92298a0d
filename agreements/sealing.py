"""Sealed agreed versions: the final version's PDF with a PAdES seal by the service's certificate.

When both signatories have approved, the final version is rendered (the whole agreement, with
the approvals: who, when, for which party) and sealed with pyHanko using the PKCS#12 file in
``SEAL_PKCS12_PATH`` (password ``SEAL_PKCS12_PASSWORD``). Without one, outside production, a
self-signed development certificate is made on first use. The sealed file is written once
(an exclusive create), so the seal never changes after it is made; anyone can check it in a
PDF reader's signature panel against the certificate fingerprint shown on the agreement page.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import io
import logging
import os
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from agreements.models import Agreement, AgreementVersion, Approval
from agreements.pdf import version_pdf

logger = logging.getLogger(__name__)

SEAL_FIELD = "AgreementSeal"


class SealUnavailable(Exception):
    """The service has no signing certificate, or the version is not agreed."""


def _development_pkcs12(path: Path, password: bytes) -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "GB"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "ALMO service level agreements (development)"),
            x509.NameAttribute(NameOID.COMMON_NAME, "Development document seal - not for real agreements"),
        ]
    )
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    data = pkcs12.serialize_key_and_certificates(
        b"seal", key, cert, None, serialization.BestAvailableEncryption(password)
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return  # made by another process meanwhile
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    logger.warning("Made a self-signed development seal certificate at %s", path)


def _pkcs12_location() -> tuple[Path, bytes]:
    password = (settings.SEAL_PKCS12_PASSWORD or "").encode()
    if settings.SEAL_PKCS12_PATH:
        return Path(settings.SEAL_PKCS12_PATH), password
    if settings.PRODUCTION:
        raise SealUnavailable("SEAL_PKCS12_PATH is not set: agreed versions cannot be sealed.")
    path = Path(settings.MEDIA_ROOT) / ".seal" / "development-seal.p12"
    password = password or b"development-only"
    if not path.exists():
        _development_pkcs12(path, password)
    return path, password


@lru_cache(maxsize=4)
def _load_signer(path: str, mtime: float, password: bytes) -> signers.SimpleSigner:
    signer = signers.SimpleSigner.load_pkcs12(path, passphrase=password or None)
    if signer is None:
        raise ImproperlyConfigured(f"SEAL_PKCS12_PATH {path}: cannot read the key and certificate (wrong password?).")
    return signer


def seal_signer() -> signers.SimpleSigner:
    path, password = _pkcs12_location()
    if not path.exists():
        raise SealUnavailable(f"No seal certificate at {path}.")
    return _load_signer(str(path), path.stat().st_mtime, password)


def seal_certificate() -> asn1_x509.Certificate:
    return seal_signer().signing_cert


def certificate_fingerprint(cert: asn1_x509.Certificate | None = None) -> str:
    """SHA-256 of the certificate, as readers show it (AB:CD:…)."""
    digest = hashlib.sha256((cert or seal_certificate()).dump()).hexdigest().upper()
    return ":".join(digest[i : i + 2] for i in range(0, len(digest), 2))


def agreed_version(agreement: Agreement) -> AgreementVersion | None:
    """The final version both signatories approved, if there is one."""
    for version in agreement.versions.filter(purpose=AgreementVersion.Purpose.SIGN_OFF).order_by("-number"):
        parties = set(version.approvals.filter(decision=Approval.Decision.APPROVED).values_list("party", flat=True))
        if parties == {Approval.Party.COUNCIL, Approval.Party.ALMO}:
            return version
    return None


def sealed_path(version: AgreementVersion) -> Path:
    return Path(settings.MEDIA_ROOT) / "sealed" / f"{version.agreement.reference}-{version.label}-{version.pk}.pdf"


def _outside_event_loop(function, *args, **kwargs):
    """pyHanko's synchronous API calls asyncio.run(): in a thread with a running loop, use another thread."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function(*args, **kwargs)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args, **kwargs).result()


def seal_pdf(pdf: bytes, *, reason: str, location: str) -> bytes:
    return _outside_event_loop(_seal_pdf, pdf, reason=reason, location=location)


def _seal_pdf(pdf: bytes, *, reason: str, location: str) -> bytes:
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    meta = signers.PdfSignatureMetadata(
        field_name=SEAL_FIELD,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=reason,
        location=location,
    )
    out = signers.sign_pdf(writer, meta, signer=seal_signer())
    return out.getvalue()


def seal_version(version_id: int) -> Path:
    """Seal the agreed version once; returns the sealed file (made now or before)."""
    version = AgreementVersion.objects.select_related("agreement__council", "agreement__almo").get(pk=version_id)
    agreement = version.agreement
    if agreed_version(agreement) != version:
        raise SealUnavailable(f"{version} has not been approved by both signatories.")
    path = sealed_path(version)
    if path.exists():
        return path
    approvals = list(version.approvals.filter(decision=Approval.Decision.APPROVED).select_related("user"))
    pdf = version_pdf(agreement=agreement, version=version, snapshot=version.snapshot, approvals=approvals)
    sealed = seal_pdf(
        pdf,
        reason=f"{agreement.reference} {version.label} agreed: "
        + "; ".join(
            f"{a.get_party_display()} approved by {a.user.get_full_name() or a.user.username} "
            f"on {a.decided_at:%Y-%m-%d %H:%M %Z}"
            for a in approvals
        ),
        location=str(agreement.council),
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o640)
    except FileExistsError:
        return path  # another worker sealed it first; keep theirs
    with os.fdopen(fd, "wb") as f:
        f.write(sealed)
    logger.info("Sealed %s (%s bytes)", version, len(sealed))
    return path


def verify_sealed_pdf(data: bytes, *, trust=None) -> dict:
    """Validate the seal: intact (no byte changed), valid signature, trusted certificate, whole file covered."""
    return _outside_event_loop(_verify_sealed_pdf, data, trust=trust)


def _verify_sealed_pdf(data: bytes, *, trust=None) -> dict:
    reader = PdfFileReader(io.BytesIO(data), strict=False)
    signatures = reader.embedded_signatures
    if not signatures:
        return {"intact": False, "valid": False, "trusted": False, "covers_whole_file": False, "verified": False}
    trust = trust or seal_certificate()
    status = validate_pdf_signature(signatures[-1], ValidationContext(trust_roots=[trust], allow_fetching=False))
    return {
        "intact": status.intact,
        "valid": status.valid,
        "trusted": status.trusted,
        "covers_whole_file": status.coverage.name == "ENTIRE_FILE",
        # everything at once: intact, cryptographically valid, trusted, and nothing added after sealing
        "verified": bool(status.bottom_line and status.coverage.name == "ENTIRE_FILE"),
        "signer": status.signing_cert.subject.human_friendly,
    }
