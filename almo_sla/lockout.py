"""The page shown when django-axes locks a sign-in out: a plain-English wait and ``Retry-After``."""

from __future__ import annotations

import logging
import math

from axes.helpers import get_client_username, get_cool_off
from django.conf import settings
from django.shortcuts import render

from almo_sla.security import client_address, log_value

logger = logging.getLogger("almo_sla.security")


def describe_duration(seconds: int) -> str:
    """``900`` -> "15 minutes", ``5400`` -> "1 hour 30 minutes", ``45`` -> "45 seconds"."""
    if seconds < 60:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = math.ceil(seconds / 60)
    hours, minutes = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    if minutes:
        parts.append(f"{minutes} minute{'s' if minutes != 1 else ''}")
    return " ".join(parts)


def lockout_response(request, original_response=None, credentials=None):
    cool_off = get_cool_off(request)
    seconds = int(cool_off.total_seconds()) if cool_off else 0
    logger.warning(
        "sign-in locked out user=%s ip=%s",
        log_value(get_client_username(request, credentials) or "-"),
        client_address(request),
    )
    response = render(
        request,
        settings.AXES_LOCKOUT_TEMPLATE,
        {"cooloff_text": describe_duration(seconds) if seconds else ""},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
    if seconds:
        response["Retry-After"] = str(seconds)
    response["Cache-Control"] = "no-store"
    return response
