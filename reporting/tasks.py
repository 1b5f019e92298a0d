"""Scheduled jobs for quarterly returns: open a quarter's returns, send reminders (each once)."""

from __future__ import annotations

import logging

from celery import shared_task
from django.utils import timezone

from reporting import services
from services.periods import Quarter

logger = logging.getLogger(__name__)


@shared_task(name="reporting.open_quarter_returns", autoretry_for=(Exception,), max_retries=3, retry_backoff=True)
def open_quarter_returns(quarter_slug: str | None = None) -> int:
    """Open the returns of the quarter (default: the one containing today). Safe to run daily."""
    quarter = Quarter.parse(quarter_slug) if quarter_slug else Quarter.containing(timezone.localdate())
    created = services.returns_open(quarter=quarter)
    logger.info("Opened %s returns for %s", created, quarter.label)
    return created


@shared_task(name="reporting.send_return_reminder", autoretry_for=(Exception,), max_retries=3, retry_backoff=True)
def send_return_reminder(return_id: int, kind: str) -> bool:
    return services.reminder_send(return_id=return_id, kind=kind)


@shared_task(name="reporting.send_return_reminders")
def send_return_reminders(today_iso: str | None = None) -> int:
    """Queue a reminder for each unsubmitted return due soon or overdue; each kind is sent once per return."""
    import datetime as dt

    today = dt.date.fromisoformat(today_iso) if today_iso else timezone.localdate()
    queued = 0
    already = services.reminders_already_sent()
    for ret, kind in services.reminders_due(today=today):
        if (ret.pk, kind) in already:
            continue
        send_return_reminder.delay(ret.pk, kind)
        queued += 1
    return queued
