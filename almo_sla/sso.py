"""Single sign-on with the council's directory (OpenID Connect, mozilla-django-oidc).

Switched on when ``OIDC_ISSUER`` and ``OIDC_CLIENT_ID`` are set (see settings and README).
The provider's endpoints come from its discovery document
(``<issuer>/.well-known/openid-configuration``), fetched once and cached. The code flow
uses PKCE and a nonce; the ID token's signature (JWKS), issuer, audience, expiry and nonce
are all checked before anyone is signed in.

First sign-in links to the existing user with the same (verified) e-mail address, or
creates a user with no role, who is asked to contact an administrator; a directory group
listed in ``OIDC_ROLE_MAP`` may give a first role, but once a user has a role it is ours to
change, never the directory's. When the ID token's ``amr`` claim says the provider used
multi-factor authentication, our own two-factor step is not asked again in that session.
"""

from __future__ import annotations

import logging
import threading
import time

import jwt
import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from almo_sla.middleware import SSO_MFA_SESSION_KEY
from services.models import Almo, Department, Profile

logger = logging.getLogger("almo_sla.security")

SSO_SESSION_KEY = "sso_signed_in"

_discovery_lock = threading.Lock()
_discovery_cache: dict[str, tuple[float, dict]] = {}


class ProviderUnavailable(Exception):
    """The identity provider could not be reached or answered nonsense."""


def sso_enabled() -> bool:
    return bool(getattr(settings, "SSO_ENABLED", False))


def provider_metadata() -> dict:
    """The provider's discovery document, cached for ``OIDC_DISCOVERY_CACHE_SECONDS``.

    Its ``issuer`` must be the configured issuer exactly (OpenID Connect Discovery 1.0, 4.3).
    """
    url = settings.OIDC_DISCOVERY_URL
    now = time.monotonic()
    with _discovery_lock:
        cached = _discovery_cache.get(url)
        if cached and now - cached[0] < settings.OIDC_DISCOVERY_CACHE_SECONDS:
            return cached[1]
    try:
        response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        metadata = response.json()
    except (requests.RequestException, ValueError) as exc:
        raise ProviderUnavailable(f"Discovery document {url} could not be read: {exc}") from exc
    if metadata.get("issuer") != settings.OIDC_ISSUER:
        raise ProviderUnavailable(f"Discovery issuer {metadata.get('issuer')!r} is not {settings.OIDC_ISSUER!r}")
    for key in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
        if not metadata.get(key):
            raise ProviderUnavailable(f"Discovery document has no {key}")
    with _discovery_lock:
        _discovery_cache[url] = (now, metadata)
    return metadata


def clear_discovery_cache() -> None:
    with _discovery_lock:
        _discovery_cache.clear()


def reported_mfa(claims: dict) -> bool:
    """True when the ID token's ``amr`` (RFC 8176) names a multi-factor method."""
    amr = claims.get("amr") or []
    if isinstance(amr, str):
        amr = [amr]
    return bool({str(value).lower() for value in amr} & set(settings.OIDC_MFA_AMR_VALUES))


def parse_role_map(text: str) -> dict[str, tuple[str, str]]:
    """``"group=role[:organisation slug]; …"`` → {group: (role, slug)}; bad entries refused at start."""
    mapping = {}
    for entry in filter(None, (part.strip() for part in text.replace("\n", ";").split(";"))):
        group, sep, target = entry.partition("=")
        role, _, slug = target.strip().partition(":")
        if not sep or not group.strip() or role not in Profile.Role.values:
            raise ImproperlyConfigured(f"OIDC_ROLE_MAP entry {entry!r}: use group=role[:almo-or-department-slug]")
        mapping[group.strip()] = (role, slug.strip())
    return mapping


def _first_profile(user, claims: dict) -> Profile | None:
    """A first role from the directory groups in ``OIDC_ROLE_CLAIM``, if the map names one."""
    values = claims.get(settings.OIDC_ROLE_CLAIM) or []
    if isinstance(values, str):
        values = [values]
    mapping = parse_role_map(settings.OIDC_ROLE_MAP)
    for value in values:
        if value not in mapping:
            continue
        role, slug = mapping[value]
        profile = Profile(user=user, role=role)
        if role in (Profile.Role.COORDINATOR, Profile.Role.BOARD_MEMBER):
            profile.almo = Almo.objects.filter(slug=slug).first()
        elif role == Profile.Role.DEPARTMENT_OFFICER:
            profile.department = Department.objects.filter(slug=slug).first()
        try:
            profile.full_clean(exclude=["user"])
        except Exception:  # noqa: BLE001 - a map naming an unknown organisation gives no role
            logger.warning("OIDC_ROLE_MAP entry for %r names no known organisation %r", value, slug)
            continue
        return profile
    return None


class CouncilOIDCBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's backend with discovery, strict ID token checks and our user rules."""

    def __init__(self, *args, **kwargs):
        # Endpoints are read lazily from discovery: Django builds a backend for every request
        # of a signed-in user (get_user), which must not fetch anything.
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        self.OIDC_RP_CLIENT_SECRET = settings.OIDC_RP_CLIENT_SECRET
        self.OIDC_RP_SIGN_ALGO = settings.OIDC_RP_SIGN_ALGO
        self.OIDC_RP_IDP_SIGN_KEY = None
        self.UserModel = get_user_model()

    @property
    def OIDC_OP_TOKEN_ENDPOINT(self):  # noqa: N802 - the library's attribute names
        return provider_metadata()["token_endpoint"]

    @property
    def OIDC_OP_JWKS_ENDPOINT(self):  # noqa: N802
        return provider_metadata()["jwks_uri"]

    @property
    def OIDC_OP_USER_ENDPOINT(self):  # noqa: N802
        return provider_metadata().get("userinfo_endpoint")

    def authenticate(self, request, **kwargs):
        if not sso_enabled() or request is None or "code" not in request.GET:
            return None
        try:
            return super().authenticate(request, **kwargs)
        except SuspiciousOperation as exc:
            logger.warning("Single sign-on refused: %s", exc)
            request.sso_error = "Your council account's sign-in could not be verified. Try again."
        except (ProviderUnavailable, requests.RequestException) as exc:
            logger.warning("Single sign-on failed, provider unavailable: %s", exc)
            request.sso_error = "The council's sign-in service is not responding. Try again later."
        return None

    def verify_token(self, token, **kwargs):
        """The library checks the signature, expiry and nonce; we add issuer and audience."""
        payload = super().verify_token(token, **kwargs)
        if kwargs.get("nonce") is None:
            return payload  # a userinfo JWT, not the ID token
        if payload.get("iss") != settings.OIDC_ISSUER:
            raise SuspiciousOperation("ID token issuer is not the configured issuer.")
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if self.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("ID token audience is not this client.")
        if len(audiences) > 1 and payload.get("azp") != self.OIDC_RP_CLIENT_ID:
            raise SuspiciousOperation("ID token authorised party is not this client.")
        if "exp" not in payload:
            raise SuspiciousOperation("ID token has no expiry.")
        self.id_claims = payload
        return payload

    def _verify_jws(self, payload, key):
        try:
            return super()._verify_jws(payload, key)
        except jwt.InvalidTokenError as exc:  # expired, bad signature, malformed
            raise SuspiciousOperation(f"ID token refused: {exc}") from exc

    def get_userinfo(self, access_token, id_token, payload):
        """Claims from the ID token, topped up from the userinfo endpoint when there is one.

        ``amr`` is only ever taken from the signed ID token.
        """
        claims = dict(payload)
        if self.OIDC_OP_USER_ENDPOINT:
            extra = super().get_userinfo(access_token, id_token, payload)
            if extra.get("sub") != payload.get("sub"):
                raise SuspiciousOperation("userinfo subject differs from the ID token's.")
            claims.update({key: value for key, value in extra.items() if key not in ("amr", "iss", "aud", "nonce")})
        return claims

    def verify_claims(self, claims):
        email = (claims.get("email") or "").strip()
        if "@" not in email:
            raise SuspiciousOperation("The provider sent no e-mail address.")
        if settings.OIDC_REQUIRE_VERIFIED_EMAIL and claims.get("email_verified") not in (True, "true"):
            raise SuspiciousOperation(f"E-mail address {email} is not verified by the provider.")
        domains = settings.OIDC_ALLOWED_EMAIL_DOMAINS
        if domains and email.rsplit("@", 1)[1].lower() not in domains:
            raise SuspiciousOperation(f"E-mail domain of {email} is not allowed.")
        return True

    def filter_users_by_claims(self, claims):
        # Inactive users too: a deactivated account is refused at the callback, never replaced by a new one.
        return self.UserModel.objects.filter(email__iexact=claims["email"].strip())

    def get_or_create_user(self, access_token, id_token, payload):
        try:
            user = super().get_or_create_user(access_token, id_token, payload)
        except SuspiciousOperation:
            self.request.sso_error = (
                "Your council account could not be verified for this service. Ask an administrator for access."
            )
            raise  # the library logs it and refuses the sign-in
        if user is not None:
            self.request.session[SSO_SESSION_KEY] = True
            self.request.session[SSO_MFA_SESSION_KEY] = reported_mfa(payload)
        return user

    @transaction.atomic
    def create_user(self, claims):
        user = self.UserModel.objects.create_user(
            self.get_username(claims),
            email=claims["email"].strip(),
            first_name=(claims.get("given_name") or "")[:150],
            last_name=(claims.get("family_name") or "")[:150],
        )
        user.set_unusable_password()
        user.save(update_fields=["password"])
        profile = _first_profile(user, claims)
        if profile is not None:
            profile.save()
        logger.info("Single sign-on created user %s (%s)", user.username, profile.role if profile else "no role")
        return user

    def update_user(self, user, claims):
        """Roles stay ours: an existing role is never changed; a user still waiting may get the mapped one."""
        if not Profile.objects.filter(user=user).exists() and not user.is_superuser:
            profile = _first_profile(user, claims)
            if profile is not None:
                profile.save()
        return user


class SsoStartView(OIDCAuthenticationRequestView):
    """Sends the browser to the provider's sign-in page (code flow, PKCE, nonce)."""

    def __init__(self, *args, **kwargs):
        super(OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID

    def get(self, request):
        if not sso_enabled():
            raise Http404("Single sign-on is not configured.")
        try:
            self.OIDC_OP_AUTH_ENDPOINT = provider_metadata()["authorization_endpoint"]
        except ProviderUnavailable as exc:
            logger.warning("Single sign-on unavailable: %s", exc)
            messages.error(
                request, "The council's sign-in service is not responding. Sign in with a local account, or try later."
            )
            return redirect("login")
        return super().get(request)


class SsoCallbackView(OIDCAuthenticationCallbackView):
    """The provider sends the browser back here with a code; a failure returns to sign-in with a message."""

    def get(self, request):
        if not sso_enabled():
            raise Http404("Single sign-on is not configured.")
        if request.GET.get("state") and request.GET["state"] not in request.session.get("oidc_states", {}):
            # An old or replayed link: start again rather than a 400.
            messages.error(request, "That sign-in link has expired. Sign in again.")
            return redirect("login")
        return super().get(request)

    def login_failure(self):
        message = getattr(self.request, "sso_error", None)
        if self.request.GET.get("error"):
            message = "Sign-in with your council account was cancelled or refused."
        messages.error(self.request, message or "Sign-in with your council account failed. Try again.")
        return redirect("login")
