"""Celery tasks of the reporting app: quarterly returns (opening a quarter, reminders) and board packs."""

from __future__ import annotations

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import DatabaseError
from django.utils import timezone

from almo_sla.queue import enqueue
from reporting import services
from reporting.improvement.tasks import (  # noqa: F401 - registers them
    render_plan_report,
    send_meeting_action_reminders,
    sync_escalation_cases,
)
from reporting.packs import services as packs
from services.periods import Quarter

logger = logging.getLogger(__name__)

# ---------------------------------------------------------------------------------------
# Quarterly returns (issue 4)
# ---------------------------------------------------------------------------------------


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
        if not enqueue(send_return_reminder, ret.pk, kind):
            break  # the broker is down: tomorrow's run sends what is still due
        queued += 1
    return queued


@shared_task(name="reporting.notify_overdue_remedial_actions")
def notify_overdue_remedial_actions() -> int:
    """Daily: remedial actions past their target date are told to the department and the coordinator, once."""
    return services.remedial_actions_overdue_notify()


# ---------------------------------------------------------------------------------------
# Board packs (issue 5). A task takes a pack id, claims the pack (select_for_update), and
# renders it here: in tagged parts, each cached by a hash of its HTML and merged with its
# structure tree by pikepdf, so a pack rendered again re-renders only what changed (issue 15;
# see reporting.packs.render and reporting.packs.parts). Safe under redelivery:
# late acks, rejected on worker loss, bounded retries with exponential backoff for transient errors, a soft time limit; any other  # noqa: E501
# error marks the pack failed with a plain reason the user sees next to a retry button.
# ---------------------------------------------------------------------------------------
PACK_TASK_OPTIONS = {
    "bind": True,
    "acks_late": True,
    "reject_on_worker_lost": True,
    "max_retries": 3,
    "soft_time_limit": settings.BOARD_PACK_SOFT_TIME_LIMIT,
    "time_limit": settings.BOARD_PACK_SOFT_TIME_LIMIT + 60,
}
# Errors worth another try: the database or the file system briefly unavailable.
TRANSIENT = (DatabaseError, OSError)


def _backoff(retries: int) -> int:
    return min(5 * 2**retries, 120)


def _handle(task, pack_id: int, exc: BaseException) -> None:
    """Retry a transient error (bounded, with backoff); record anything else as the pack's failure."""
    if isinstance(exc, SoftTimeLimitExceeded):
        packs.board_pack_fail(
            pack_id=pack_id,
            reason=f"The pack took longer than {settings.BOARD_PACK_SOFT_TIME_LIMIT} seconds to produce and was "
            "stopped. Try again; if it fails again, tell the service desk.",
        )
        return
    if isinstance(exc, TRANSIENT) and task.request.retries < task.max_retries:
        logger.warning("Board pack %s: transient error, retrying: %s", pack_id, exc)
        raise task.retry(exc=exc, countdown=_backoff(task.request.retries))
    logger.exception("Board pack %s failed", pack_id, exc_info=exc)
    packs.board_pack_fail(pack_id=pack_id, reason=packs.plain_reason(exc))


@shared_task(name="reporting.render_board_pack", **PACK_TASK_OPTIONS)
def render_board_pack(self, pack_id: int) -> str:
    pack = packs.board_pack_claim(pack_id=pack_id, task_id=self.request.id)
    if pack is None:
        return "nothing to do"
    try:
        packs.board_pack_render(pack_id=pack_id)
    except Exception as exc:  # noqa: BLE001 - every failure is recorded on the pack
        _handle(self, pack_id, exc)
        return "failed"
    return "ready"


@shared_task(name="reporting.requeue_board_packs")
def requeue_board_packs() -> int:
    """Beat, every minute: queue again the packs left queued (broker down when requested)."""
    return len(packs.board_packs_requeue())
