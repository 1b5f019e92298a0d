"""Security logging: sign-ins, failed sign-ins, lock-outs and permission denials.

The client address comes from ``client_address``: ``REMOTE_ADDR``, or behind
``TRUSTED_PROXY_COUNT`` reverse proxies the address the outermost trusted proxy saw
(django-axes keys lock-outs on it too). Values a user controls are escaped with
``log_value`` before they reach a log line, so a username or path cannot forge lines.
"""

from __future__ import annotations

import ipaddress
import logging
import re
import time

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

logger = logging.getLogger("almo_sla.security")

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
LOG_VALUE_MAX = 200


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def log_value(value) -> str:
    """A user-supplied value made safe for one log line: control characters (CR, LF, tab, ESC…)
    written as escapes, and cut to ``LOG_VALUE_MAX`` characters."""
    text = str(value)
    if len(text) > LOG_VALUE_MAX:
        text = text[:LOG_VALUE_MAX] + "…"
    return _CONTROL.sub(_escape, text)


class SafeFormatter(logging.Formatter):
    """Escapes control characters in every log message (tracebacks keep their line breaks)."""

    def formatMessage(self, record):  # noqa: N802 - logging's name
        record.message = _CONTROL.sub(_escape, record.message)
        return super().formatMessage(record)


def _valid_ip(text: str) -> str | None:
    text = text.strip().strip("[]")
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return None


def client_address(request) -> str:
    """The client's IP address.

    With ``TRUSTED_PROXY_COUNT`` = 0 (the default) it is ``REMOTE_ADDR``. Behind N trusted
    proxies that each append the address they saw to ``X-Forwarded-For`` (nginx's
    ``$proxy_add_x_forwarded_for``), it is the Nth entry from the right: entries further left
    were written by the client and are not trusted.
    """
    if request is None:
        return "-"
    remote = request.META.get("REMOTE_ADDR") or "-"
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if not forwarded:
        return remote
    return _valid_ip(forwarded[-min(count, len(forwarded))]) or remote


SESSION_STARTED_KEY = "_signed_in_at"


@receiver(user_logged_in)
def log_sign_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_STARTED_KEY] = int(time.time())  # the absolute session lifetime counts from here
    logger.info("sign-in user=%s ip=%s", log_value(user.get_username()), client_address(request))


@receiver(user_logged_out)
def log_sign_out(sender, request, user, **kwargs):
    logger.info("sign-out user=%s ip=%s", log_value(user.get_username()) if user else "-", client_address(request))


@receiver(user_login_failed)
def log_failed_sign_in(sender, credentials, request=None, **kwargs):
    logger.warning("failed sign-in user=%s ip=%s", log_value(credentials.get("username", "-")), client_address(request))


def log_permission_denied(request, reason: str = "") -> None:
    user = request.user.get_username() if request.user.is_authenticated else "anonymous"
    logger.warning(
        "permission denied user=%s method=%s path=%s ip=%s %s",
        log_value(user),
        log_value(request.method),
        log_value(request.path),
        client_address(request),
        log_value(reason),
    )


def axes_client_address(request) -> str | None:
    """``client_address`` for django-axes, which stores it in an IP address column: None (not "-")
    when there is no request or no valid address (PostgreSQL's ``inet`` refuses anything else)."""
    return _valid_ip(client_address(request))
