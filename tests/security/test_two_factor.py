"""Two-factor enrolment, recovery and administration (ASVS 5.0 V6.4, V6.5, V6.6)."""

import logging

import pytest
from django.core import mail
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

PASSWORD = "almo-demo-2025"


def code(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def fresh(device):
    """A code is accepted once per time step: let a test use the current one again."""
    device.refresh_from_db()
    device.last_t = -1
    device.throttle_reset()
    return device


@pytest.fixture
def admin_with_app(demo_user):
    user = demo_user("admin")
    user.email = "admin@example.gov.uk"
    user.save()
    device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    return user, device


def sign_in_with_password(client, username):
    response = client.post(reverse("login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def verify(client, device):
    fresh(device)
    before = client.session.session_key
    response = client.post(reverse("two_factor_verify"), {"token": code(device), "next": "/"})
    assert response.status_code == 302 and response.url == "/", response
    assert client.session.session_key != before  # ASVS V7.2.4: a new session id after the second factor
    return client


def test_asvs_v6_4_password_only_session_cannot_enrol_a_new_device_when_one_exists(client, admin_with_app):
    """ASVS V6.4.3 / V6.6.x: with only the password, the setup page adds no device, the session
    never becomes verified and the Django admin stays out of reach."""
    user, _device = admin_with_app
    sign_in_with_password(client, "admin")
    page = client.get(reverse("two_factor_setup"))
    assert page.status_code == 302 and page.url.startswith(reverse("two_factor_verify"))
    assert not TOTPDevice.objects.filter(user=user, confirmed=False).exists()  # no fresh key was shown

    # an attacker who knows a pending device's key still gets nowhere
    attacker_device = TOTPDevice.objects.create(user=user, name="attacker", confirmed=False)
    posted = client.post(reverse("two_factor_setup"), {"token": code(attacker_device)})
    assert posted.status_code == 302 and posted.url.startswith(reverse("two_factor_verify"))
    attacker_device.refresh_from_db()
    assert not attacker_device.confirmed
    assert TOTPDevice.objects.filter(user=user, confirmed=True).count() == 1

    admin_page = client.get("/admin/")
    assert admin_page.status_code == 302 and admin_page.url.startswith(reverse("two_factor_verify"))
    assert client.get(reverse("dashboard")).status_code == 302
    for name in ["two_factor_manage", "two_factor_backup_codes", "password_change"]:
        response = client.get(reverse(name))
        assert response.status_code == 302 and reverse("two_factor_verify") in response.url, name


def test_asvs_v6_4_a_verified_session_adds_an_app_only_with_the_password_and_the_user_is_told(
    client, admin_with_app, caplog
):
    """ASVS V6.4.3 (re-authentication before changing a factor) and V6.3.7 (the user is notified)."""
    caplog.set_level(logging.INFO, logger="almo_sla.security")
    user, device = admin_with_app
    verify(sign_in_with_password(client, "admin"), device)
    page = client.get(reverse("two_factor_setup"))
    assert page.status_code == 200 and 'name="password"' in page.content.decode()
    new = TOTPDevice.objects.get(user=user, confirmed=False)
    wrong = client.post(reverse("two_factor_setup"), {"password": "not-the-password", "token": code(new)})
    assert wrong.status_code == 200 and "The password is wrong" in wrong.content.decode()
    new.refresh_from_db()
    assert not new.confirmed
    mail.outbox.clear()
    right = client.post(reverse("two_factor_setup"), {"password": PASSWORD, "token": code(fresh(new))})
    assert right.status_code == 302
    new.refresh_from_db()
    assert new.confirmed
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["admin@example.gov.uk"]
    assert "authenticator app was added" in mail.outbox[0].subject
    assert "two-factor device added user=admin" in caplog.text


def test_asvs_v6_5_first_enrolment_shows_backup_codes_once_and_a_code_signs_in_once(client, demo_user):
    """ASVS V6.5.x / V6.4.4: recovery codes at enrolment, shown once, single use, so a lost
    phone is not a lock-out."""
    coordinator = demo_user("coordinator")
    coordinator.email = "coordinator@example.gov.uk"
    coordinator.save()
    sign_in_with_password(client, "coordinator")
    client.get(reverse("two_factor_setup"))
    device = TOTPDevice.objects.get(user=coordinator, confirmed=False)
    done = client.post(reverse("two_factor_setup"), {"token": code(device)})
    assert done.status_code == 302 and done.url == reverse("two_factor_backup_codes")
    shown = client.get(reverse("two_factor_backup_codes")).content.decode()
    codes = list(StaticToken.objects.filter(device__user=coordinator).values_list("token", flat=True))
    assert len(codes) == 10 and all(c in shown for c in codes)
    again = client.get(reverse("two_factor_backup_codes")).content.decode()
    assert not any(c in again for c in codes)  # shown once only

    client.logout()
    sign_in_with_password(client, "coordinator")
    used = client.post(reverse("two_factor_verify"), {"token": codes[0].upper(), "next": "/agreements/"})
    assert used.status_code == 302 and used.url == "/agreements/"
    assert client.get("/agreements/").status_code == 200
    assert StaticToken.objects.filter(device__user=coordinator).count() == 9

    client.logout()
    sign_in_with_password(client, "coordinator")
    StaticDevice.objects.get(user=coordinator).throttle_reset()
    reused = client.post(reverse("two_factor_verify"), {"token": codes[0], "next": "/agreements/"})
    assert reused.status_code == 200 and "wrong" in reused.content.decode()


def test_asvs_v6_5_backup_codes_are_regenerated_from_a_verified_session_with_the_password(client, admin_with_app):
    """ASVS V6.5.x: new recovery codes replace the old ones; only after the password."""
    user, device = admin_with_app
    verify(sign_in_with_password(client, "admin"), device)
    refused = client.post(reverse("two_factor_backup_codes"), {"password": "wrong-password"})
    assert refused.status_code == 200 and "The password is wrong" in refused.content.decode()
    assert not StaticToken.objects.filter(device__user=user).exists()
    made = client.post(reverse("two_factor_backup_codes"), {"password": PASSWORD})
    codes = list(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    assert len(codes) == 10 and all(c in made.content.decode() for c in codes)
    client.post(reverse("two_factor_backup_codes"), {"password": PASSWORD})
    assert not StaticToken.objects.filter(device__user=user, token__in=codes).exists()


def test_asvs_v6_4_removing_an_app_needs_the_password_and_is_logged_and_e_mailed(client, admin_with_app, caplog):
    """ASVS V6.4.3 / V6.3.7: removing an authenticator app needs re-authentication; the user is told."""
    caplog.set_level(logging.INFO, logger="almo_sla.security")
    user, device = admin_with_app
    verify(sign_in_with_password(client, "admin"), device)
    url = reverse("two_factor_remove", args=[device.pk])
    assert client.post(url, {"password": "wrong-password"}).status_code == 200
    assert TOTPDevice.objects.filter(pk=device.pk).exists()
    mail.outbox.clear()
    assert client.post(url, {"password": PASSWORD}).status_code == 302
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()
    assert "removed" in mail.outbox[0].subject and mail.outbox[0].to == ["admin@example.gov.uk"]
    assert "two-factor device removed user=admin" in caplog.text


def test_asvs_v6_4_another_users_device_cannot_be_removed(client, admin_with_app, demo_user):
    _user, device = admin_with_app
    other = TOTPDevice.objects.create(user=demo_user("coordinator"), name="Authenticator app", confirmed=True)
    verify(sign_in_with_password(client, "admin"), device)
    assert client.post(reverse("two_factor_remove", args=[other.pk]), {"password": PASSWORD}).status_code == 404
    assert TOTPDevice.objects.filter(pk=other.pk).exists()


def test_asvs_v6_4_an_administrator_resets_a_users_devices_logged_and_e_mailed(
    client, admin_with_app, demo_user, caplog
):
    """ASVS V6.4.x: an administrator resets a user's second factor (lost phone and codes); logged."""
    caplog.set_level(logging.INFO, logger="almo_sla.security")
    admin, device = admin_with_app
    coordinator = demo_user("coordinator")
    coordinator.email = "coordinator@example.gov.uk"
    coordinator.save()
    TOTPDevice.objects.create(user=coordinator, name="Authenticator app", confirmed=True)
    backup = StaticDevice.objects.create(user=coordinator, name="Backup codes", confirmed=True)
    backup.token_set.create(token="abcd2345")
    verify(sign_in_with_password(client, "admin"), device)
    mail.outbox.clear()
    response = client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "reset_two_factor", "_selected_action": [coordinator.pk]},
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=coordinator).exists()
    assert not StaticDevice.objects.filter(user=coordinator).exists()
    assert "two-factor devices reset user=coordinator device=all by=admin" in caplog.text
    assert mail.outbox[0].to == ["coordinator@example.gov.uk"] and "reset" in mail.outbox[0].subject
