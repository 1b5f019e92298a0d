"""The idle session and its timeout warning (WCAG 2.2.1, GOV.UK timeout warning pattern).

A signed-in session ends ``SESSION_COOKIE_AGE`` seconds after the last request
(``SESSION_SAVE_EVERY_REQUEST``). Every page tells ``static/js/timeout-warning.mjs`` how long
that is; the script warns ``SESSION_TIMEOUT_WARNING`` seconds before, and "Stay signed in"
posts to ``extend_session``, which, being a request, starts the idle time again. Without
JavaScript the same button is a form that posts back and returns to the page.
"""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST


def session_timeout(request) -> dict:
    """Template context: the idle timeout and when to warn, in seconds."""
    age = settings.SESSION_COOKIE_AGE
    return {
        "session_timeout": age,
        "session_timeout_minutes": round(age / 60),
        "session_warning": min(settings.SESSION_TIMEOUT_WARNING, age // 2),
    }


@require_POST
@never_cache
def extend_session(request):
    """Start the idle time again; answer JSON to the script, or go back to the page."""
    request.session.modified = True
    if request.headers.get("Accept", "").startswith("application/json"):
        return JsonResponse({"expires_in": settings.SESSION_COOKIE_AGE})
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "dashboard"
    return redirect(target)
