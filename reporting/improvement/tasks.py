"""Celery tasks for improvement plans and escalation cases (ids only; safe to run twice)."""

from __future__ import annotations

import logging

from celery import shared_task

from reporting.cases.services import cases_sync_all
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
