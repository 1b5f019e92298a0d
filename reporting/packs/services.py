"""State changes of a board pack: requested (queued) → rendering → ready, or failed and
retried. Each is a small function checked here; the Celery tasks and the views call them.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone

from almo_sla.access import can
from reporting import notifications
from reporting.models import BoardPack
from reporting.packs.content import PackContent, PackError, pack_agreement, pack_content
from reporting.packs.storage import save_atomically, sha256

if TYPE_CHECKING:
    from reporting.packs.render import PackPdf
from services.models import Almo
from services.periods import Quarter

logger = logging.getLogger(__name__)


def board_pack_request(*, user, almo: Almo, quarter: Quarter, parallel: bool | None = None) -> BoardPack:
    """Record the request and queue the render once the transaction commits."""
    if not can(user, "reporting.add_boardpack", almo):
        raise PermissionDenied
    try:
        agreement = pack_agreement(almo=almo, quarter=quarter)
    except PackError as exc:
        raise ValidationError(str(exc)) from exc
    with transaction.atomic():
        _check_request_rate(user)
        pack = _new_pack(user=user, almo=almo, agreement=agreement, quarter=quarter, parallel=parallel)
    return pack


def _check_request_rate(user) -> None:
    """At most ``BOARD_PACK_REQUESTS_PER_HOUR`` pack requests per user in any hour (a pack costs
    a worker minutes of rendering). The user's row is locked so parallel requests count too."""
    limit = settings.BOARD_PACK_REQUESTS_PER_HOUR
    get_user_model().objects.select_for_update().filter(pk=user.pk).exists()
    since = timezone.now() - dt.timedelta(hours=1)
    recent = list(
        BoardPack.objects.filter(requested_by=user, requested_at__gte=since)
        .order_by("requested_at")
        .values_list("requested_at", flat=True)[:limit]
    )
    if len(recent) >= limit:
        wait = max(1, int((recent[0] + dt.timedelta(hours=1) - timezone.now()).total_seconds() // 60) + 1)
        logger.warning("Board pack request refused: user %s reached %s requests in an hour", user.pk, limit)
        raise ValidationError(
            f"You have asked for {limit} board packs in the last hour, the most allowed. "
            f"Try again in {wait} minute{'s' if wait != 1 else ''}, or download a pack already made below."
        )


def _new_pack(*, user, almo: Almo, agreement, quarter: Quarter, parallel: bool | None) -> BoardPack:
    pack = BoardPack(
        almo=almo,
        agreement=agreement,
        financial_year=quarter.year,
        quarter=quarter.number,
        requested_by=user,
        parallel=settings.BOARD_PACK_PARALLEL if parallel is None else parallel,
    )
    pack.queued_at = timezone.now()
    pack.full_clean()
    pack.save()
    _enqueue_on_commit(pack)
    return pack


def board_pack_retry(*, user, pack: BoardPack) -> BoardPack:
    """Queue a failed pack again."""
    if not can(user, "reporting.view_boardpack", pack):
        raise PermissionDenied
    with transaction.atomic():
        pack = BoardPack.objects.select_for_update().get(pk=pack.pk)
        if pack.status != BoardPack.Status.FAILED:
            raise ValidationError("Only a pack that failed can be tried again.")
        pack.status = BoardPack.Status.QUEUED
        pack.failure_reason = ""
        pack.started_at = pack.finished_at = None
        pack.queued_at = timezone.now()
        pack.claimed_by = ""
        pack.save(update_fields=["status", "failure_reason", "started_at", "finished_at", "queued_at", "claimed_by"])
        _enqueue_on_commit(pack)
    return pack


QUEUE_DOWN_MESSAGE = "The pack is saved; it will be rendered when the task queue is back."


def _enqueue_on_commit(pack: BoardPack) -> None:
    """Queue the render after commit. If the broker is down the pack stays queued (the beat
    job ``reporting.requeue_board_packs`` queues it again) and ``pack.queue_unavailable``
    tells the view to say so."""
    from almo_sla.queue import enqueue_on_commit
    from reporting.tasks import render_board_pack

    pack.queue_unavailable = False

    def failed():
        pack.queue_unavailable = True
        logger.error("Board pack %s saved as queued; the task queue is unavailable", pack.pk)

    enqueue_on_commit(render_board_pack, pack.pk, on_failure=failed)


def board_packs_requeue(*, now: dt.datetime | None = None) -> list[int]:
    """Queue again the packs still queued ``BOARD_PACK_REQUEUE_AFTER`` seconds after their task
    was queued (the broker was down, or the message was lost). Each pack is taken with
    ``SKIP LOCKED`` and its ``queued_at`` moved on, so two sweepers never queue it twice; a
    duplicate message is harmless anyway: the render claim lets only one task render a pack."""
    from almo_sla.queue import enqueue
    from reporting.tasks import render_board_pack

    now = now or timezone.now()
    cutoff = now - dt.timedelta(seconds=settings.BOARD_PACK_REQUEUE_AFTER)
    with transaction.atomic():
        due = list(
            BoardPack.objects.select_for_update(skip_locked=True)
            .filter(status=BoardPack.Status.QUEUED)
            .filter(models.Q(queued_at__lt=cutoff) | models.Q(queued_at__isnull=True, requested_at__lt=cutoff))
            .order_by("pk")
            .values_list("pk", flat=True)[:500]
        )
        BoardPack.objects.filter(pk__in=due).update(queued_at=now)  # bookkeeping only: no history wanted
    queued = [pk for pk in due if enqueue(render_board_pack, pk)]
    if due:
        logger.info("Board packs queued again: %s of %s", len(queued), len(due))
    return queued


def _claim_is_stale(pack: BoardPack, now: dt.datetime) -> bool:
    """A rendering pack whose render cannot still be running: older than the hard time limit."""
    limit = dt.timedelta(seconds=settings.BOARD_PACK_SOFT_TIME_LIMIT + 60)
    return pack.started_at is None or now - pack.started_at > limit


def board_pack_claim(*, pack_id: int, task_id: str | None = None) -> BoardPack | None:
    """Mark the pack as rendering by this task and count the attempt; None if there is nothing to do.

    A pack already rendering is taken over only when its claim is dead: the same task
    (``task_id``) delivered again after its worker was lost (late acks: a message is only
    redelivered once the worker holding it died), or a claim older than the hard time limit.
    A second, different message for a pack being rendered (e.g. queued again by the
    sweeper) does nothing, so a pack is not rendered twice at once.
    """
    now = timezone.now()
    with transaction.atomic():
        pack = BoardPack.objects.select_for_update().filter(pk=pack_id).first()
        if pack is None or pack.status not in (BoardPack.Status.QUEUED, BoardPack.Status.RENDERING):
            return None
        if pack.status == BoardPack.Status.RENDERING:
            same_task = bool(task_id) and pack.claimed_by == task_id
            if not (same_task or not pack.claimed_by or _claim_is_stale(pack, now)):
                logger.info("Board pack %s is being rendered by task %s; %s skipped", pack_id, pack.claimed_by, task_id)
                return None
            logger.warning("Board pack %s: taking over the claim of task %s", pack_id, pack.claimed_by or "?")
        pack.status = BoardPack.Status.RENDERING
        pack.attempts += 1
        pack.started_at = now
        pack.claimed_by = task_id or ""
        pack.save(update_fields=["status", "attempts", "started_at", "claimed_by"])
    return pack


def board_pack_content(*, pack: BoardPack) -> PackContent:
    today = timezone.localdate(pack.started_at) if pack.started_at else timezone.localdate()
    return pack_content(almo=pack.almo, quarter=pack.period, today=today)


def board_pack_render(*, pack_id: int) -> BoardPack | None:
    """Render the pack (in parts, reusing the cached parts whose HTML did not change:
    ``reporting.packs.render``) and complete it."""
    from reporting.packs.render import render_pack  # WeasyPrint loads in the worker only (0.4 s, 42 MB)

    pack = BoardPack.objects.select_related("almo").get(pk=pack_id)
    content = board_pack_content(pack=pack)
    return board_pack_complete(pack_id=pack_id, result=render_pack(content), is_final=content.is_final)


def board_pack_complete(*, pack_id: int, result: PackPdf, is_final: bool) -> BoardPack | None:
    """Store the PDF (atomically) and mark the pack ready; a pack not rendering any more is left alone."""
    pack = BoardPack.objects.select_related("almo").get(pk=pack_id)
    if pack.status != BoardPack.Status.RENDERING:
        return None
    name = pack.file.field.generate_filename(pack, f"board-pack-{pack.almo.slug}-{pack.period.slug}-{pack.pk}.pdf")
    stored = save_atomically(name, result.pdf)
    with transaction.atomic():
        pack = BoardPack.objects.select_for_update().get(pk=pack_id)
        if pack.status != BoardPack.Status.RENDERING:
            pack.file.storage.delete(stored)
            return None
        now = timezone.now()
        pack.file.name = stored
        pack.sha256 = sha256(result.pdf)
        pack.size = len(result.pdf)
        pack.pages = result.pages
        pack.is_final = is_final
        pack.status = BoardPack.Status.READY
        pack.finished_at = now
        pack.render_seconds = (
            Decimal(str(round((now - pack.started_at).total_seconds(), 2))) if pack.started_at else None
        )
        pack.failure_reason = ""
        pack.save()
        notifications.board_pack_finished(pack=pack)
    return pack


def board_pack_fail(*, pack_id: int, reason: str) -> None:
    with transaction.atomic():
        pack = BoardPack.objects.select_for_update().filter(pk=pack_id).first()
        if pack is None or pack.status == BoardPack.Status.READY:
            return
        pack.status = BoardPack.Status.FAILED
        pack.failure_reason = reason[:2000]
        pack.finished_at = timezone.now()
        pack.save(update_fields=["status", "failure_reason", "finished_at"])
        notifications.board_pack_finished(pack=pack)
    logger.warning("Board pack %s failed: %s", pack_id, reason)


def plain_reason(exc: BaseException) -> str:
    """What went wrong, in words a board member can pass on."""
    if isinstance(exc, PackError):
        return str(exc)
    detail = str(exc) or exc.__class__.__name__
    return f"The pack could not be produced ({detail}). Try again; if it fails again, tell the service desk."


def build_to_file(*, almo: Almo, quarter: Quarter, today: dt.date | None = None) -> tuple[PackPdf, PackContent, float]:
    """The command-line and benchmark path: the same content and render, no database record."""
    from reporting.packs.render import render_pack  # WeasyPrint loads only where packs are rendered

    started = time.perf_counter()
    content = pack_content(almo=almo, quarter=quarter, today=today)
    result = render_pack(content)
    return result, content, time.perf_counter() - started
