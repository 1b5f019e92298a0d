"""Sessions, caching, cookies, static-file headers and log lines (ASVS 5.0 V3, V7, V14, V16)."""

import io
import logging
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse

from almo_sla.security import SESSION_STARTED_KEY, SafeFormatter, log_value
from reporting import services as reporting_services
from tests.reporting.pack_factories import ready_pack
from tests.security.helpers import env_draft_return
from tests.test_security import PRODUCTION_ENV, manage


@pytest.mark.parametrize("url_name", ["dashboard", "agreements:agreement_list"])
def test_asvs_v14_3_2_signed_in_pages_are_not_stored_by_caches(client_as, url_name):
    """ASVS V14.3.2: Cache-Control: no-store on pages with personal or sensitive data."""
    response = client_as("coordinator").get(reverse(url_name))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_asvs_v14_3_2_exports_are_not_stored_by_caches(client_as):
    response = client_as("coordinator").get(reverse("agreements:agreement_list") + "?_export=csv")
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]


def test_asvs_v14_3_2_evidence_and_board_pack_downloads_are_not_stored_by_caches(client_as, demo_data, demo_user):
    ret = env_draft_return(demo_data)
    evidence = reporting_services.evidence_add(
        quarterly_return=ret,
        user=demo_user("environment.officer"),
        upload=SimpleUploadedFile("figures.csv", b"a,b\n1,2\n"),
    )
    response = client_as("environment.officer").get(reverse("reporting:evidence_download", args=[ret.pk, evidence.pk]))
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    pack = ready_pack(demo_data["main"])
    response = client_as("admin").get(reverse("reporting:pack_download", args=[pack.pk]))
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]


def test_asvs_v7_3_2_a_session_ends_after_its_absolute_lifetime_however_active(client_as, settings):
    """ASVS V7.3.2: an absolute maximum session lifetime as well as the idle timeout."""
    settings.SESSION_ABSOLUTE_SECONDS = 3600
    client = client_as("coordinator")
    session = client.session
    session[SESSION_STARTED_KEY] = int(time.time()) - 3500
    session.save()
    assert client.get(reverse("dashboard")).status_code == 200  # within the lifetime: carries on
    session = client.session
    session[SESSION_STARTED_KEY] = int(time.time()) - 3601
    session.save()
    response = client.get(reverse("agreements:agreement_list"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert client.get(reverse("dashboard")).status_code == 302  # signed out for good


def test_asvs_v3_3_1_production_cookies_use_the_host_prefix_and_a_deploy_check_stays_clean():
    """ASVS V3.3.1: __Host- session and CSRF cookies in production; check --deploy clean."""
    code = (
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SESSION_ABSOLUTE_SECONDS)"
    )
    result = manage("shell", "-c", code, env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    printed = result.stdout.strip().splitlines()[-1].split()
    assert printed == ["__Host-sessionid", "__Host-csrftoken", "True", "True", "43200"]
    check = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert check.returncode == 0, check.stdout + check.stderr


@override_settings(WHITENOISE_USE_FINDERS=True, WHITENOISE_AUTOREFRESH=True)
def test_asvs_v3_4_static_files_carry_the_security_headers(db):
    """ASVS V3.4.3 / V3.4.4 / V3.4.6: CSP, nosniff and frame-ancestors on static files too."""
    response = Client().get("/static/js/app.mjs")
    assert response.status_code == 200
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_asvs_v16_4_1_user_supplied_values_cannot_forge_log_lines(client, db, caplog):
    """ASVS V16.4.1: a username or path with CR/LF cannot start a new log line."""
    caplog.set_level(logging.INFO, logger="almo_sla.security")
    forged = "nobody\r\n2026-01-01 00:00:00 INFO almo_sla.security sign-in user=admin ip=127.0.0.1"
    client.post(reverse("login"), {"username": forged, "password": "x"})
    lines = [r.getMessage() for r in caplog.records if r.name == "almo_sla.security"]
    assert any(line.startswith("failed sign-in user=nobody\\x0d\\x0a2026") for line in lines)
    assert not any("\n" in line or "\r" in line for line in lines)


def test_asvs_v16_4_1_the_log_formatter_escapes_control_characters_from_any_logger():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(SafeFormatter("%(name)s %(message)s"))
    log = logging.getLogger("tests.security.formatter")
    log.addHandler(handler)
    try:
        log.warning("AXES: locked out %s", "eve\nINFO fake line\x1b[31m")
    finally:
        log.removeHandler(handler)
    assert stream.getvalue() == "tests.security.formatter AXES: locked out eve\\x0aINFO fake line\\x1b[31m\n"


def test_log_value_escapes_and_shortens():
    assert log_value("a\tb\u2028c") == "a\\x09b\\u2028c"
    assert len(log_value("x" * 1000)) == 201
