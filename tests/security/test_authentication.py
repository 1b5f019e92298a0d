"""Sign-in throttling behind a proxy, the lock-out page and changing passwords (ASVS 5.0 V6)."""

import logging

from django.contrib.auth import get_user_model
from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from almo_sla.security import client_address

PASSWORD = "almo-demo-2025"
PROXY = "10.0.0.5"
NEW = "Brand-new-passphrase-7"


def post_login(client, username, password, client_ip, spoofed=None):
    forwarded = f"{spoofed}, {client_ip}" if spoofed else client_ip
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded,
    )


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_asvs_v6_3_1_lock_out_behind_the_proxy_is_keyed_on_the_client_not_the_proxy(client, demo_data, caplog):
    """ASVS V6.3.1: brute-force protection that an attacker cannot turn on every user of the proxy;
    ASVS V16.2.1: the logged address is the client's."""
    caplog.set_level(logging.WARNING, logger="almo_sla.security")
    attacker = "203.0.113.9"
    for _ in range(5):
        post_login(client, "admin", "wrong-password", attacker, spoofed="198.51.100.1")
    assert post_login(client, "admin", PASSWORD, attacker).status_code == 429
    assert f"failed sign-in user=admin ip={attacker}" in caplog.text
    assert f"ip={PROXY}" not in caplog.text
    # the real administrator, behind the same proxy, still signs in
    assert post_login(client, "admin", PASSWORD, "192.0.2.44").status_code == 302


def test_asvs_v6_3_1_client_address_trusts_only_the_configured_proxies(rf, settings):
    cases = [
        (1, "6.6.6.6, 203.0.113.9", "203.0.113.9"),  # the client cannot choose its address
        (2, "6.6.6.6, 203.0.113.9, 10.0.0.9", "203.0.113.9"),
        (1, "203.0.113.9", "203.0.113.9"),
        (0, "203.0.113.9", PROXY),  # no trusted proxy: the header is ignored
        (1, "not-an-address", PROXY),
        (1, "", PROXY),
    ]
    for count, forwarded, expected in cases:
        settings.TRUSTED_PROXY_COUNT = count
        request = rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)
        assert client_address(request) == expected, (count, forwarded)


def test_asvs_v6_3_1_the_lock_out_page_says_15_minutes_and_sends_retry_after(client, demo_data):
    """ASVS V6.3.1: the lock-out says how long in words (not PT15M) and sends Retry-After."""
    for _ in range(5):
        client.post(reverse("login"), {"username": "coordinator", "password": "wrong-password"})
    locked = client.post(reverse("login"), {"username": "coordinator", "password": PASSWORD})
    assert locked.status_code == 429
    html = locked.content.decode()
    assert "locked for 15 minutes" in html and "PT15M" not in html
    assert locked["Retry-After"] == "900"


def test_asvs_v6_2_2_a_user_changes_their_own_password_with_the_current_one(client_as, demo_user):
    """ASVS V6.2.2 / V6.2.3: users can change their password; the current one is required; they are told."""
    user = demo_user("board.member")
    user.email = "board@example.gov.uk"
    user.save()
    client = client_as("board.member")
    page = client.get(reverse("password_change"))
    assert page.status_code == 200 and 'name="old_password"' in page.content.decode()
    assert reverse("password_change").encode() in client.get(reverse("dashboard")).content  # linked from the header
    wrong = client.post(
        reverse("password_change"),
        {"old_password": "nope", "new_password1": NEW, "new_password2": NEW},
    )
    assert wrong.status_code == 200 and "govuk-error-summary" in wrong.content.decode()
    mail.outbox.clear()
    done = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW},
    )
    assert done.status_code == 302 and done.url == reverse("password_change_done")
    user.refresh_from_db()
    assert user.check_password("Brand-new-passphrase-7")
    assert mail.outbox[0].to == ["board@example.gov.uk"]


def test_asvs_v6_4_password_reset_by_e_mail_does_not_bypass_two_factor(client, demo_user, settings):
    """ASVS V6.4.3: a forgotten password is reset by an e-mailed link; the second factor still applies."""
    settings.SITE_URL = "https://sla.example.gov.uk"
    user = demo_user("coordinator")
    user.email = "coordinator@example.gov.uk"
    user.save()
    device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    assert reverse("password_reset").encode() in client.get(reverse("login")).content
    mail.outbox.clear()
    assert client.post(reverse("password_reset"), {"email": "coordinator@example.gov.uk"}).status_code == 302
    body = mail.outbox[0].body
    link = next(line for line in body.splitlines() if line.startswith("https://sla.example.gov.uk/"))
    path = link.removeprefix("https://sla.example.gov.uk")
    form = client.get(path, follow=True)
    assert form.status_code == 200 and 'name="new_password1"' in form.content.decode()
    chosen = "Reset-passphrase-42"
    done = client.post(form.redirect_chain[-1][0], {"new_password1": chosen, "new_password2": chosen})
    assert done.status_code == 302
    assert get_user_model().objects.get(pk=user.pk).check_password("Reset-passphrase-42")
    signed_in = client.post(reverse("login"), {"username": "coordinator", "password": "Reset-passphrase-42"})
    assert signed_in.status_code == 302
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302 and response.url.startswith(reverse("two_factor_verify"))
    assert TOTPDevice.objects.filter(pk=device.pk, confirmed=True).exists()


def test_password_reset_is_off_when_e_mail_is_not_configured(client, db, settings):
    settings.PASSWORD_RESET_ENABLED = False
    assert client.get(reverse("password_reset")).status_code == 404
    assert reverse("password_reset").encode() not in client.get(reverse("login")).content
