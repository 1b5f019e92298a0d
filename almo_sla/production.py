"""Guards for things that must never happen on a production instance."""

from django.conf import settings
from django.core.management.base import CommandError


def refuse_in_production(what: str) -> None:
    """Stop ``what`` (e.g. loading demo users with a published password) when ``DJANGO_ENV=production``."""
    if getattr(settings, "PRODUCTION", False):
        raise CommandError(
            f"Refusing to {what}: this instance runs in production mode (DJANGO_ENV=production). "
            "Demo data has well-known passwords; never load it where real people sign in."
        )
