"""Two-factor devices: enrol an authenticator app, remove one, reset them all, backup codes.

Every change to a user's second factor is logged (``almo_sla.security``) and e-mailed to the
user, so an enrolment they did not make does not go unnoticed (ASVS V6.4.x / V6.6.x).
Backup codes are django-otp static tokens: single use, shown once, regenerable.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from almo_sla.security import client_address, log_value

logger = logging.getLogger("almo_sla.security")
BACKUP_CODE_COUNT = 10
BACKUP_DEVICE_NAME = "Backup codes"


def has_second_factor(user) -> bool:
    """True once the user has a confirmed authenticator app. Backup codes are its recovery:
    they are made with the first app and go with the last one. One query."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def authenticator_apps(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk")


def pending_app(user) -> TOTPDevice:
    """The authenticator app being set up (unconfirmed), created on first use."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return device


def backup_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def _notify(user, *, subject: str, body: str) -> None:
    if not user.email:
        return
    text = (
        f"{body}\n\nIf this was not you, tell an administrator straight away: they can reset your "
        f"two-factor authentication, and you should change your password.\n\n{settings.SITE_URL}\n"
    )
    try:
        send_mail(subject, text, None, [user.email])
    except Exception:  # noqa: BLE001 - the change stands; the failure to tell is logged
        logger.exception("could not e-mail user=%s about a two-factor change", log_value(user.get_username()))


def _log(event: str, *, user, request=None, by=None, device: str = "") -> None:
    logger.info(
        "%s user=%s device=%s by=%s ip=%s",
        event,
        log_value(user.get_username()),
        log_value(device or "-"),
        log_value(by.get_username() if by is not None else user.get_username()),
        client_address(request),
    )


def new_backup_codes(*, user, request=None, notify: bool = True) -> list[str]:
    """Replace the user's backup codes with a fresh set; returns them (shown to the user once)."""
    with transaction.atomic():
        device, _ = StaticDevice.objects.get_or_create(user=user, name=BACKUP_DEVICE_NAME, defaults={"confirmed": True})
        if not device.confirmed:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
        device.token_set.all().delete()
        codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
        StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    _log("two-factor backup codes regenerated", user=user, request=request, device=BACKUP_DEVICE_NAME)
    if notify:
        _notify(
            user,
            subject="New backup codes for your account",
            body="New two-factor backup codes were made for your account. The old codes no longer work.",
        )
    return codes


def confirm_app(*, device: TOTPDevice, request=None) -> list[str] | None:
    """Confirm a pending authenticator app. Returns new backup codes when the user had none."""
    user = device.user
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        count = authenticator_apps(user).count()
        if count > 1:
            device.name = f"Authenticator app {count}"
            device.save(update_fields=["name"])
    _log("two-factor device added", user=user, request=request, device=device.name)
    _notify(
        user,
        subject="An authenticator app was added to your account",
        body=f"An authenticator app (“{device.name}”) was set up for two-factor authentication on your account.",
    )
    if backup_codes_left(user) == 0:
        return new_backup_codes(user=user, request=request, notify=False)
    return None


def remove_app(*, device: TOTPDevice, request=None) -> None:
    """Remove one authenticator app; with the last one go the backup codes too."""
    user = device.user
    name = device.name
    with transaction.atomic():
        device.delete()
        if not authenticator_apps(user).exists():
            StaticDevice.objects.filter(user=user).delete()
    _log("two-factor device removed", user=user, request=request, device=name)
    _notify(
        user,
        subject="An authenticator app was removed from your account",
        body=f"The authenticator app “{name}” was removed from two-factor authentication on your account.",
    )


def reset_devices(*, user, by, request=None) -> int:
    """An administrator removes every device of a user (lost phone and codes). Returns how many."""
    with transaction.atomic():
        removed = TOTPDevice.objects.filter(user=user).delete()[1].get("otp_totp.TOTPDevice", 0)
        removed += StaticDevice.objects.filter(user=user).delete()[1].get("otp_static.StaticDevice", 0)
    _log("two-factor devices reset", user=user, request=request, by=by, device="all")
    _notify(
        user,
        subject="Your two-factor authentication was reset",
        body=(
            f"An administrator ({by.get_username()}) removed the authenticator apps and backup codes "
            "from your account. Set up an authenticator app again when you next sign in."
        ),
    )
    return removed
