"""Project-level views: health check and error pages."""

import sys

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views import defaults
from django.views.decorators.cache import never_cache

from almo_sla.middleware import DATABASE_RETRY_AFTER, caused_by_database_outage, database_unavailable
from almo_sla.security import log_permission_denied


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any database failure means unhealthy
        return False
    return True


def _broker_ok() -> bool:
    from almo_sla.celery import app

    try:
        with app.connection_for_write(url=settings.CELERY_BROKER_URL) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception:  # noqa: BLE001 - any broker failure means unhealthy
        return False
    return True


@login_not_required
@never_cache
def health(request):
    """200 when the database (and the broker, when one is configured) answers; 503 otherwise."""
    checks = {"database": "ok" if _database_ok() else "unavailable"}
    if settings.CELERY_BROKER_URL:
        checks["broker"] = "ok" if _broker_ok() else "unavailable"
    healthy = all(value == "ok" for value in checks.values())
    response = JsonResponse(checks, status=200 if healthy else 503)
    if not healthy:
        response["Retry-After"] = str(DATABASE_RETRY_AFTER)
    return response


def permission_denied(request, exception=None):
    log_permission_denied(request, str(exception or ""))
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def bad_request(request, exception=None):
    if caused_by_database_outage(exception):  # e.g. the session could not be saved
        return database_unavailable(request, exception)
    return defaults.bad_request(request, exception)


def server_error(request):
    exc = sys.exc_info()[1]  # set: Django calls this while handling the exception
    if caused_by_database_outage(exc):
        return database_unavailable(request, exc)
    return render(request, "500.html", status=500)
