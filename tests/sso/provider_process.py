"""Starting the test OpenID Connect provider (tests/sso/oidc_provider) in a subprocess on loopback."""

import json
import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from tests import suite_clock

PROVIDER_DIR = Path(__file__).resolve().parent / "oidc_provider"
CLIENT_ID = "almo-sla-test"
CLIENT_SECRET = "s3cret-for-tests-only"
USERS = [
    {"username": "chris", "password": "pw-chris-1", "email": "Coordinator@example.gov.uk", "amr": ["pwd"]},
    {"username": "chris.mfa", "password": "pw-chris-2", "email": "coordinator@example.gov.uk", "amr": ["pwd", "mfa"]},
    {
        "username": "newcomer",
        "password": "pw-new-1",
        "email": "new.person@example.gov.uk",
        "given_name": "Nia",
        "family_name": "Newman",
    },
    {
        "username": "boardie",
        "password": "pw-board-1",
        "email": "boardie@example.gov.uk",
        "groups": ["SLA-Board-KNH", "Everyone"],
    },
    {"username": "outsider", "password": "pw-out-1", "email": "someone@elsewhere.example.com"},
    {"username": "unverified", "password": "pw-unv-1", "email": "unverified@example.gov.uk", "email_verified": False},
]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_provider(directory: Path, redirect_uris: list[str]):
    """django-oauth-toolkit with OIDC on, PKCE required, RS256 ID tokens; yields its issuer and port."""
    port = free_port()
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    env = (
        os.environ
        | {
            "PROVIDER_PORT": str(port),
            "PROVIDER_DB": str(directory / "provider.sqlite3"),
            "PROVIDER_RSA_KEY": key.decode(),
            "PROVIDER_USERS": json.dumps(USERS),
            "PROVIDER_CLIENT_ID": CLIENT_ID,
            "PROVIDER_CLIENT_SECRET": CLIENT_SECRET,
            "PROVIDER_REDIRECT_URIS": " ".join(redirect_uris),
        }
        | suite_clock.env()
    )  # its ID tokens would be "issued in the future" on the real clock
    env.pop("DJANGO_SETTINGS_MODULE", None)
    process = subprocess.Popen(
        [sys.executable, str(PROVIDER_DIR / "run.py")],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    issuer = f"http://127.0.0.1:{port}/o"
    deadline = time.monotonic() + 60
    try:
        while True:
            try:
                if requests.get(f"{issuer}/.well-known/openid-configuration", timeout=1).ok:
                    break
            except requests.ConnectionError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"OIDC provider did not start: {process.stdout.read()}")
            time.sleep(0.2)
        yield {"issuer": issuer, "port": port}
    finally:
        process.terminate()
        process.wait(timeout=10)


def configure(settings, issuer: str) -> None:
    """Switch single sign-on on in the test settings, as the environment variables would."""
    from almo_sla import sso

    settings.OIDC_ISSUER = issuer
    settings.OIDC_DISCOVERY_URL = f"{issuer}/.well-known/openid-configuration"
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.SSO_ENABLED = True
    settings.OIDC_ALLOWED_EMAIL_DOMAINS = ["example.gov.uk"]
    settings.OIDC_ROLE_MAP = "SLA-Board-KNH=board_member:kirkby-neighbourhood-homes; SLA-Admins=administrator"
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, "almo_sla.sso.CouncilOIDCBackend"]
    sso.clear_discovery_cache()
