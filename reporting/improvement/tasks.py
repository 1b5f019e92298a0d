"""Celery tasks for improvement plans and escalation cases (ids only; safe to run twice)."""

from __future__ import annotations

import logging

from celery import shared_task
from django.utils import timezone

from reporting.cases.services import action_reminder_send, action_reminders_due, cases_sync_all
from reporting.improvement.services import plan_report_render

logger = logging.getLogger(__name__)


@shared_task(
    name="reporting.render_plan_report", acks_late=True, reject_on_worker_lost=True, soft_time_limit=300, time_limit=360
)
def render_plan_report(report_id: int) -> int | None:
    report = plan_report_render(report_id=report_id)
    return report.pages if report else None


@shared_task(name="reporting.sync_escalation_cases")
def sync_escalation_cases() -> int:
    """Open cases for standards red two quarters running; close those that recovered."""
    changed = cases_sync_all()
    logger.info("Escalation cases opened or closed: %s", changed)
    return changed


@shared_task(name="reporting.send_meeting_action_reminders")
def send_meeting_action_reminders() -> int:
    """E-mail the owners of meeting actions due within a few days (or overdue), once each."""
    today = timezone.localdate()
    return sum(
        action_reminder_send(action_id=pk, today=today)
        for pk in action_reminders_due(today=today).values_list("pk", flat=True)
    )
