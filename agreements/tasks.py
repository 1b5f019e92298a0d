"""Celery tasks for agreements: they take ids, call a service, and are safe to run twice."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.utils import timezone

from agreements import notifications, sealing, services
from agreements.models import AgreementVersion


@shared_task(name="agreements.send_comment_deadline_emails")
def send_comment_deadline_emails() -> dict:
    """Daily: reminders two working days before a deadline, and notices once it has passed.

    Each person is told once per version (``services.notifications`` records every e-mail).
    """
    today = timezone.localdate()
    counts = {"reminder": 0, "deadline_passed": 0}
    versions = (
        AgreementVersion.objects.filter(purpose=AgreementVersion.Purpose.CIRCULATED, comment_deadline__isnull=False)
        .exclude(comment_deadline__lt=today - dt.timedelta(days=30))
        .select_related("agreement")
    )
    for version in versions:
        if version.comment_deadline < today:
            counts["deadline_passed"] += notifications.comment_deadline_passed(version=version)
        elif notifications.reminder_date(version) <= today:
            counts["reminder"] += notifications.comment_deadline_reminder(version=version)
    return counts


@shared_task(name="agreements.apply_due_variations")
def apply_due_variations() -> int:
    """Daily: approved variations whose effective date has come change the current terms."""
    return services.apply_due_variations()


@shared_task(name="agreements.activate_due_agreements")
def activate_due_agreements() -> int:
    """Daily: agreed agreements whose start date has come become active."""
    return services.activate_due_agreements()


@shared_task(name="agreements.seal_agreed_version", bind=True, max_retries=5, default_retry_delay=300)
def seal_agreed_version(self, version_id: int) -> str:
    """Seal a version both signatories approved (once: an existing seal is kept)."""
    try:
        return str(sealing.seal_version(version_id))
    except sealing.SealUnavailable as exc:
        return f"not sealed: {exc}"
    except OSError as exc:  # storage briefly unavailable
        raise self.retry(exc=exc) from exc
