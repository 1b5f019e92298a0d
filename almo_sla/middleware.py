import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse

from services.roles import role_of

SSO_MFA_SESSION_KEY = "sso_mfa"  # set by almo_sla.sso for a sign-in whose ID token reports MFA

DATABASE_DOWN = (OperationalError, InterfaceError)
_EXEMPT_NAMES = {"two_factor_setup", "two_factor_verify", "logout", "login", "health"}


class TwoFactorMiddleware:
    """Sends signed-in users through the second factor before anything else.

    A user with a confirmed TOTP device must enter a code after signing in. When
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
        if request.path.startswith(settings.STATIC_URL if settings.STATIC_URL.startswith("/") else f"/{settings.STATIC_URL}"):
            return None
        from django_otp import user_has_device

        if user_has_device(user, confirmed=True):
            return redirect(f"{reverse('two_factor_verify')}?next={request.get_full_path()}")
        if settings.TWO_FACTOR_REQUIRED and role_of(user) in settings.TWO_FACTOR_REQUIRED_ROLES:
            return redirect(reverse("two_factor_setup"))
        return None


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
