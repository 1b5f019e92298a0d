"""Security headers, production settings, log-in throttling, two-factor authentication, logging."""

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "DJANGO_ENV": "production",
    "DJANGO_SECRET_KEY": "a-long-random-production-secret-key-for-the-deploy-check-0123456789abcdef",
    "DJANGO_ALLOWED_HOSTS": "sla.example.gov.uk",
    "SITE_URL": "https://sla.example.gov.uk",  # links in e-mails (services.W001 otherwise)
}


def manage(*args, env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=clean | env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_is_clean_in_production_mode():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize("missing", ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS"])
def test_production_mode_refuses_to_start_without_secret_or_hosts(missing):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert f"{missing} must be set when DJANGO_ENV=production." in result.stderr


def test_security_headers_on_every_page(client_as):
    response = client_as("coordinator").get(reverse("dashboard"))
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_pages_need_no_inline_script_or_style(client_as, demo_data):
    client = client_as("admin")
    for url in [reverse("dashboard"), reverse("agreements:agreement_list"), demo_data["main"].get_absolute_url()]:
        html = client.get(url).content.decode()
        assert " style=" not in html, url
        assert "<style" not in html, url
        for chunk in html.split("<script")[1:]:
            assert chunk.lstrip().startswith(('type="module" src=', "src=")), f"inline script on {url}"


def test_sessions_expire_after_inactivity(settings):
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert settings.SESSION_COOKIE_AGE <= 60 * 60


def test_repeated_failed_sign_ins_lock_the_account_with_a_clear_message(client, demo_data, caplog):
    caplog.set_level(logging.WARNING, logger="almo_sla.security")
    statuses = [
        client.post(reverse("login"), {"username": "coordinator", "password": "wrong-password"}).status_code
        for _ in range(5)
    ]
    assert statuses[:4] == [200] * 4  # the form re-shows with its error
    locked = client.post(reverse("login"), {"username": "coordinator", "password": "almo-demo-2025"})
    assert locked.status_code == 429
    assert "You cannot sign in for now" in locked.content.decode()
    assert "failed sign-in user=coordinator" in caplog.text


def test_permission_denials_are_logged(demo_user, caplog, rf):
    from django.core.exceptions import PermissionDenied

    from almo_sla.views import permission_denied

    caplog.set_level(logging.WARNING, logger="almo_sla.security")
    request = rf.get("/agreements/1/edit/")
    request.user = demo_user("board.member")
    response = permission_denied(request, PermissionDenied("read-only role"))
    assert response.status_code == 403
    assert "permission denied user=board.member method=GET path=/agreements/1/edit/" in caplog.text


def _current_code(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_a_user_sets_up_two_factor_and_is_asked_for_a_code_next_time(client, demo_user):
    coordinator = demo_user("coordinator")
    client.force_login(coordinator)
    page = client.get(reverse("two_factor_setup"))
    assert page.status_code == 200 and "data:image/svg+xml" in page.content.decode()
    device = TOTPDevice.objects.get(user=coordinator, confirmed=False)
    wrong = client.post(
        reverse("two_factor_setup"), {"token": "000000" if _current_code(device) != "000000" else "111111"}
    )
    assert "That code is wrong or has expired" in wrong.content.decode()
    too_soon = client.post(reverse("two_factor_setup"), {"token": _current_code(device)})
    assert "Too many wrong codes" in too_soon.content.decode()  # throttled after a failure
    device.refresh_from_db()
    device.throttle_reset()
    right = client.post(reverse("two_factor_setup"), {"token": _current_code(device)})
    assert right.status_code == 302
    device.refresh_from_db()
    assert device.confirmed

    client.logout()
    client.force_login(coordinator)
    response = client.get(reverse("agreements:agreement_list"))
    assert response.status_code == 302 and response.url.startswith(reverse("two_factor_verify"))
    device.refresh_from_db()
    device.last_t = -1  # a code is accepted once; let the test reuse the current one
    device.save()
    verified = client.post(reverse("two_factor_verify"), {"token": _current_code(device), "next": "/agreements/"})
    assert verified.status_code == 302 and verified.url == "/agreements/"
    assert client.get("/agreements/").status_code == 200


@override_settings(TWO_FACTOR_REQUIRED=True)
@pytest.mark.parametrize("username, must_set_up", [("coordinator", True), ("admin", True), ("board.member", False)])
def test_two_factor_is_required_for_administrators_and_coordinators_when_switched_on(client_as, username, must_set_up):
    response = client_as(username).get(reverse("dashboard"))
    if must_set_up:
        assert response.status_code == 302 and response.url == reverse("two_factor_setup")
    else:
        assert response.status_code == 200


@override_settings(CELERY_BROKER_URL="redis://127.0.0.1:1/0")
def test_health_reports_an_unreachable_broker(client, db):
    response = client.get(reverse("health"))
    assert response.status_code == 503
    assert response.json() == {"database": "ok", "broker": "unavailable"}
    assert response["Retry-After"] == "30"  # every 503 says when to try again (issue 17)
