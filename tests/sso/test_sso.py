"""Single sign-on end to end against a real OpenID Connect provider on loopback.

The provider is django-oauth-toolkit with OIDC on (tests/sso/oidc_provider), started in a
subprocess on a free port. The browser's part is played by ``requests`` at the provider and
Django's test client at our application; every call between the two is real HTTP.
"""

import base64
import json
from urllib.parse import parse_qs, urlencode, urlparse

import pytest
import requests
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from almo_sla import sso
from services.models import Profile
from tests.sso.provider_process import CLIENT_ID, USERS, configure, free_port, running_provider

CALLBACK = "http://testserver/accounts/sso/callback/"


@pytest.fixture(scope="module")
def provider(tmp_path_factory):
    with running_provider(tmp_path_factory.mktemp("provider"), [CALLBACK]) as running:
        yield running


@pytest.fixture
def sso_settings(settings, provider):
    configure(settings, provider["issuer"])
    yield settings
    sso.clear_discovery_cache()


def _sign_in_at_provider(client, provider_user, next_url=""):
    """Start at our sign-in button, sign in at the provider, return the callback URL it sends back."""
    start = reverse("sso_start") + (f"?{urlencode({'next': next_url})}" if next_url else "")
    response = client.get(start)
    assert response.status_code == 302
    authorize = response.url
    browser = requests.Session()
    page = browser.get(authorize, timeout=10)  # the provider's login page
    assert "csrfmiddlewaretoken" in page.text
    login = browser.post(
        page.url,
        data={
            "csrfmiddlewaretoken": browser.cookies["csrftoken"],
            "username": provider_user["username"],
            "password": provider_user["password"],
            "next": parse_qs(urlparse(page.url).query)["next"][0],
        },
        allow_redirects=False,
        timeout=10,
    )
    assert login.status_code == 302, login.text
    back = browser.get(
        f"http://127.0.0.1:{urlparse(authorize).port}{login.headers['Location']}", allow_redirects=False, timeout=10
    )
    assert back.status_code == 302 and back.headers["Location"].startswith(CALLBACK), back.text[:500]
    return authorize, back.headers["Location"]


def _user(username):
    return next(u for u in USERS if u["username"] == username)


def test_sign_in_page_offers_council_account_only_when_configured(client, demo_data, settings, sso_settings):
    assert "Sign in with your council account" in client.get(reverse("login")).content.decode()
    settings.SSO_ENABLED = False
    assert "Sign in with your council account" not in client.get(reverse("login")).content.decode()
    assert client.get(reverse("sso_start")).status_code == 404


def test_authorization_request_uses_discovery_pkce_and_nonce(client, demo_data, sso_settings, provider):
    response = client.get(reverse("sso_start"))
    url = urlparse(response.url)
    params = parse_qs(url.query)
    assert f"{url.scheme}://{url.netloc}{url.path}" == f"{provider['issuer']}/authorize/"
    assert params["code_challenge_method"] == ["S256"] and len(params["code_challenge"][0]) >= 43
    assert params["nonce"][0] and params["state"][0] and params["client_id"] == [CLIENT_ID]
    assert params["redirect_uri"] == [CALLBACK]


def test_existing_user_linked_by_email_and_asked_for_own_second_factor(client, demo_data, demo_user, sso_settings):
    coordinator = demo_user("coordinator")
    TOTPDevice.objects.create(user=coordinator, name="app", confirmed=True)
    _, callback = _sign_in_at_provider(client, _user("chris"), next_url="/agreements/")
    response = client.get(callback)
    assert response.status_code == 302 and response.url == "/agreements/"
    assert int(client.session["_auth_user_id"]) == coordinator.pk
    assert client.session["sso_mfa"] is False
    # No MFA at the provider: our own two-factor step is asked.
    response = client.get("/agreements/")
    assert response.status_code == 302 and response.url.startswith(reverse("two_factor_verify"))


def test_provider_mfa_skips_our_second_factor(client, demo_data, demo_user, sso_settings):
    coordinator = demo_user("coordinator")
    TOTPDevice.objects.create(user=coordinator, name="app", confirmed=True)
    _, callback = _sign_in_at_provider(client, _user("chris.mfa"))
    assert client.get(callback).status_code == 302
    assert int(client.session["_auth_user_id"]) == coordinator.pk
    assert client.get(reverse("agreements:agreement_list")).status_code == 200


def test_new_user_is_created_without_a_role_and_asked_to_request_access(client, demo_data, sso_settings):
    _, callback = _sign_in_at_provider(client, _user("newcomer"))
    client.get(callback)
    user = get_user_model().objects.get(email="new.person@example.gov.uk")
    assert user.first_name == "Nia" and not user.has_usable_password()
    assert not Profile.objects.filter(user=user).exists()
    response = client.get(reverse("agreements:agreement_list"))
    assert response.status_code == 302 and response.url == reverse("no_access")
    page = client.get(reverse("no_access")).content.decode()
    assert "Ask an administrator for access" in page and "new.person@example.gov.uk" in page
    # Signing in again does not create a second user.
    client.logout()
    _, callback = _sign_in_at_provider(client, _user("newcomer"))
    client.get(callback)
    assert get_user_model().objects.filter(email__iexact="new.person@example.gov.uk").count() == 1


def test_directory_group_gives_a_first_role_but_never_changes_ours(client, demo_data, sso_settings):
    _, callback = _sign_in_at_provider(client, _user("boardie"))
    client.get(callback)
    profile = Profile.objects.get(user__email="boardie@example.gov.uk")
    assert profile.role == "board_member" and profile.almo.slug == "kirkby-neighbourhood-homes"
    assert client.get(reverse("agreements:agreement_list")).status_code == 200
    profile.role, profile.almo, profile.department = (
        "department_officer",
        None,
        demo_data["main"].schedules.first().service.department,
    )
    profile.save()
    client.logout()
    _, callback = _sign_in_at_provider(client, _user("boardie"))
    client.get(callback)
    profile.refresh_from_db()
    assert profile.role == "department_officer"


@pytest.mark.parametrize("username", ["outsider", "unverified"])
def test_disallowed_domain_or_unverified_email_is_refused(client, demo_data, sso_settings, username):
    _, callback = _sign_in_at_provider(client, _user(username))
    response = client.get(callback, follow=True)
    assert "_auth_user_id" not in client.session
    assert "could not be verified" in response.content.decode()
    assert not get_user_model().objects.filter(email=_user(username)["email"]).exists()


def _tamper(token: str) -> str:
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["email"] = "admin@example.gov.uk"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return f"{header}.{forged}.{signature}"


def test_tampered_id_token_is_refused(client, demo_data, sso_settings, monkeypatch):
    real_get_token = sso.CouncilOIDCBackend.get_token

    def tampering_get_token(self, payload):  # a man in the middle alters the provider's real answer
        answer = real_get_token(self, payload)
        return answer | {"id_token": _tamper(answer["id_token"])}

    monkeypatch.setattr(sso.CouncilOIDCBackend, "get_token", tampering_get_token)
    _, callback = _sign_in_at_provider(client, _user("chris"))
    response = client.get(callback, follow=True)
    assert "_auth_user_id" not in client.session
    assert "could not be verified" in response.content.decode()


def test_code_from_another_sign_in_is_refused(client, demo_data, sso_settings):
    """A code from one browser's sign-in replayed into another's session: PKCE verifier and nonce differ."""
    other = Client()
    _, stolen_callback = _sign_in_at_provider(other, _user("chris"))
    stolen = parse_qs(urlparse(stolen_callback).query)
    start = client.get(reverse("sso_start"))
    state = parse_qs(urlparse(start.url).query)["state"][0]
    # our session's state with the other sign-in's code (and so its nonce and PKCE verifier)
    response = client.get(f"{CALLBACK}?{urlencode({'code': stolen['code'][0], 'state': state})}", follow=True)
    assert "_auth_user_id" not in client.session
    assert "Sign in" in response.content.decode()


def test_verify_token_checks_signature_nonce_and_audience(demo_data, sso_settings):
    """The backend's checks on a real ID token from the provider."""
    browser_client = Client()
    captured = {}
    real_get_token = sso.CouncilOIDCBackend.get_token

    def capture(self, payload):
        captured.update(real_get_token(self, payload))
        return captured

    backend = sso.CouncilOIDCBackend()
    sso.CouncilOIDCBackend.get_token = capture
    try:
        _, callback = _sign_in_at_provider(browser_client, _user("chris"))
        nonce_state = parse_qs(urlparse(callback).query)["state"][0]
        nonce = browser_client.session["oidc_states"][nonce_state]["nonce"]
        browser_client.get(callback)
    finally:
        sso.CouncilOIDCBackend.get_token = real_get_token
    token = captured["id_token"]
    assert backend.verify_token(token, nonce=nonce)["email"].lower() == "coordinator@example.gov.uk"
    with pytest.raises(sso.SuspiciousOperation):
        backend.verify_token(token, nonce="not-the-nonce")
    with pytest.raises(sso.SuspiciousOperation):
        backend.verify_token(_tamper(token), nonce=nonce)
    backend.OIDC_RP_CLIENT_ID = "someone-else"
    with pytest.raises(sso.SuspiciousOperation):
        backend.verify_token(token, nonce=nonce)


def test_provider_down_falls_back_to_local_sign_in(client, demo_data, sso_settings):
    sso_settings.OIDC_DISCOVERY_URL = f"http://127.0.0.1:{free_port()}/.well-known/openid-configuration"
    sso.clear_discovery_cache()
    response = client.get(reverse("sso_start"), follow=True)
    assert "not responding" in response.content.decode()


def test_a_deactivated_user_is_refused_not_replaced(client, demo_data, demo_user, sso_settings):
    coordinator = demo_user("coordinator")
    coordinator.is_active = False
    coordinator.save()
    _, callback = _sign_in_at_provider(client, _user("chris"))
    response = client.get(callback, follow=True)
    assert "_auth_user_id" not in client.session
    assert "failed" in response.content.decode()
    assert get_user_model().objects.filter(email__iexact="coordinator@example.gov.uk").count() == 1
