"""Security logging: sign-ins, failed sign-ins, lock-outs and permission denials."""

import logging

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

logger = logging.getLogger("almo_sla.security")


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "-") if request is not None else "-"


@receiver(user_logged_in)
def log_sign_in(sender, request, user, **kwargs):
    logger.info("sign-in user=%s ip=%s", user.get_username(), client_address(request))


@receiver(user_logged_out)
def log_sign_out(sender, request, user, **kwargs):
    logger.info("sign-out user=%s ip=%s", user.get_username() if user else "-", client_address(request))


@receiver(user_login_failed)
def log_failed_sign_in(sender, credentials, request=None, **kwargs):
    logger.warning("failed sign-in user=%s ip=%s", credentials.get("username", "-"), client_address(request))


def log_permission_denied(request, reason: str = "") -> None:
    user = request.user.get_username() if request.user.is_authenticated else "anonymous"
    logger.warning(
        "permission denied user=%s method=%s path=%s ip=%s %s",
        user, request.method, request.path, client_address(request), reason,
    )
