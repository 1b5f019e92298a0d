import logging
import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.http import urlencode

from almo_sla.otp_devices import has_second_factor
from almo_sla.security import SESSION_STARTED_KEY, client_address, log_value
from services.roles import role_of

_security_logger = logging.getLogger("almo_sla.security")
SSO_MFA_SESSION_KEY = "sso_mfa"  # set by almo_sla.sso for a sign-in whose ID token reports MFA

DATABASE_DOWN = (OperationalError, InterfaceError)
# Pages a signed-in user reaches before the second factor. The setup view checks for itself
# that a user who already has a device has passed it (almo_sla.two_factor.setup).
_EXEMPT_NAMES = {"two_factor_setup", "two_factor_verify", "logout", "login", "health"}


class TwoFactorMiddleware:
    """Sends signed-in users through the second factor before anything else.

    A user with a confirmed authenticator app must enter a code (or a backup code) after
    signing in. When
    ``TWO_FACTOR_REQUIRED`` is on, users in ``TWO_FACTOR_REQUIRED_ROLES`` without a device
    are sent to set one up.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        if request.session.get(SSO_MFA_SESSION_KEY):
            return None  # the council's identity provider did multi-factor authentication
        match = request.resolver_match
        if match and match.url_name in _EXEMPT_NAMES:
            return None
        if request.path.startswith(
            settings.STATIC_URL if settings.STATIC_URL.startswith("/") else f"/{settings.STATIC_URL}"
        ):
            return None
        if has_second_factor(user):
            return redirect(f"{reverse('two_factor_verify')}?{urlencode({'next': request.get_full_path()})}")
        if settings.TWO_FACTOR_REQUIRED and role_of(user) in settings.TWO_FACTOR_REQUIRED_ROLES:
            return redirect(reverse("two_factor_setup"))
        return None


class SessionLifetimeMiddleware:
    """Signs a user out ``SESSION_ABSOLUTE_SECONDS`` after they signed in, however active they
    have been (the idle timeout is ``SESSION_COOKIE_AGE``). ASVS V7.3.2."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            started = request.session.get(SESSION_STARTED_KEY)
            now = int(time.time())
            if started is None:
                request.session[SESSION_STARTED_KEY] = now
            elif now - started > settings.SESSION_ABSOLUTE_SECONDS:
                _security_logger.info(
                    "session expired (absolute lifetime) user=%s ip=%s",
                    log_value(request.user.get_username()),
                    client_address(request),
                )
                logout(request)
                return redirect_to_login(request.get_full_path())
        return self.get_response(request)


class NoStoreForSignedInMiddleware:
    """``Cache-Control: no-store`` on every response to a signed-in user: pages, exports,
    evidence downloads and board packs stay out of browser and proxy caches. ASVS V14.3.2."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
            response["Cache-Control"] = "no-store, no-cache, must-revalidate, private, max-age=0"
        return response


# ---------------------------------------------------------------------------------------
# Database outages (issue 7): a clean 503 instead of a traceback or a 500.
# ---------------------------------------------------------------------------------------
DATABASE_RETRY_AFTER = 30
_db_logger = logging.getLogger("almo_sla.database")


def caused_by_database_outage(exc: BaseException | None) -> bool:
    """True for a database error, or an error raised while handling one (e.g. the session
    middleware's SessionInterrupted, a 400, when the session could not be saved)."""
    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, DATABASE_DOWN):
            return True
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return False


def database_unavailable(request, exc: BaseException) -> HttpResponse:
    """The GOV.UK 'service unavailable' page, rendered without touching the database."""
    _db_logger.error("Database unavailable for %s %s: %s", request.method, request.path, exc)
    # No request in the context: the context processors would query the database again.
    response = HttpResponse(render_to_string("503.html", {}), status=503)
    response["Retry-After"] = str(DATABASE_RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """Answers 503 with Retry-After when the database cannot be reached (PostgreSQL restarting).

    Nothing is lost: a request either committed before the error or rolled back entirely,
    and the page asks the user to try again. The next request gets a fresh connection
    (``CONN_HEALTH_CHECKS`` throws away the broken persistent one). Errors raised by inner
    middleware (sessions, authentication) are turned into responses before they reach
    here, so ``almo_sla.views.server_error`` does the same for them.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            return self.get_response(request)
        except DATABASE_DOWN as exc:
            return database_unavailable(request, exc)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_DOWN):
            return database_unavailable(request, exception)
        return None
