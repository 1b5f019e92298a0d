"""State changes of a board pack: requested (queued) → rendering → ready, or failed and
retried. Each is a small function checked here; the Celery tasks and the views call them.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from reporting.models import BoardPack
from reporting.packs.content import PackContent, PackError, pack_agreement, pack_content
from reporting.packs.merge import PackPdf, assemble
from reporting.packs.render import RenderedPart
from reporting.packs.storage import save_atomically, sha256
from services.models import Almo
from services.periods import Quarter

logger = logging.getLogger(__name__)


def board_pack_request(*, user, almo: Almo, quarter: Quarter, parallel: bool | None = None) -> BoardPack:
    """Record the request and queue the render once the transaction commits."""
    if not user.has_perm("reporting.add_boardpack", almo):
        raise PermissionDenied
    try:
        agreement = pack_agreement(almo=almo, quarter=quarter)
    except PackError as exc:
        raise ValidationError(str(exc)) from exc
    pack = BoardPack(
        almo=almo,
        agreement=agreement,
        financial_year=quarter.year,
        quarter=quarter.number,
        requested_by=user,
        parallel=settings.BOARD_PACK_PARALLEL if parallel is None else parallel,
    )
    pack.full_clean()
    pack.save()
    _enqueue_on_commit(pack.pk)
    return pack


def board_pack_retry(*, user, pack: BoardPack) -> BoardPack:
    """Queue a failed pack again."""
    if not user.has_perm("reporting.view_boardpack", pack):
        raise PermissionDenied
    with transaction.atomic():
        pack = BoardPack.objects.select_for_update().get(pk=pack.pk)
        if pack.status != BoardPack.Status.FAILED:
            raise ValidationError("Only a pack that failed can be tried again.")
        pack.status = BoardPack.Status.QUEUED
        pack.failure_reason = ""
        pack.started_at = pack.finished_at = None
        pack.save(update_fields=["status", "failure_reason", "started_at", "finished_at"])
        _enqueue_on_commit(pack.pk)
    return pack


def _enqueue_on_commit(pack_id: int) -> None:
    from reporting.tasks import render_board_pack

    transaction.on_commit(lambda: render_board_pack.delay(pack_id))


def board_pack_claim(*, pack_id: int) -> BoardPack | None:
    """Mark the pack as rendering and count the attempt; None if there is nothing to do.

    A pack already rendering is claimed again: the task was redelivered after its worker
    was lost, and rendering twice is harmless (the file is written atomically and only
    the first to finish completes the pack).
    """
    with transaction.atomic():
        pack = BoardPack.objects.select_for_update().filter(pk=pack_id).first()
        if pack is None or pack.status not in (BoardPack.Status.QUEUED, BoardPack.Status.RENDERING):
            return None
        pack.status = BoardPack.Status.RENDERING
        pack.attempts += 1
        pack.started_at = timezone.now()
        pack.save(update_fields=["status", "attempts", "started_at"])
    return pack


def board_pack_content(*, pack: BoardPack) -> PackContent:
    today = timezone.localdate(pack.started_at) if pack.started_at else timezone.localdate()
    return pack_content(almo=pack.almo, quarter=pack.period, today=today)


def board_pack_assemble(*, pack_id: int, content: PackContent, parts: list[RenderedPart]) -> BoardPack | None:
    """Merge the rendered sections into the pack's PDF and complete it."""
    return board_pack_complete(pack_id=pack_id, result=assemble(content, parts), is_final=content.is_final)


def board_pack_render(*, pack_id: int) -> BoardPack | None:
    """Render the whole pack in this process (one worker, the command line)."""
    from reporting.packs.render import part_keys, render_section

    pack = BoardPack.objects.select_related("almo").get(pk=pack_id)
    content = board_pack_content(pack=pack)
    parts = [render_section(content, key) for key in part_keys(content)]
    return board_pack_assemble(pack_id=pack_id, content=content, parts=parts)


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
        pack.render_seconds = Decimal(str(round((now - pack.started_at).total_seconds(), 2))) if pack.started_at else None
        pack.failure_reason = ""
        pack.save()
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
    logger.warning("Board pack %s failed: %s", pack_id, reason)


def plain_reason(exc: BaseException) -> str:
    """What went wrong, in words a board member can pass on."""
    if isinstance(exc, PackError):
        return str(exc)
    detail = str(exc) or exc.__class__.__name__
    return f"The pack could not be produced ({detail}). Try again; if it fails again, tell the service desk."


def build_to_file(*, almo: Almo, quarter: Quarter, today: dt.date | None = None) -> tuple[PackPdf, PackContent, float]:
    """The command-line and benchmark path: the same content, sections and merge, no database record."""
    from reporting.packs.render import part_keys, render_section

    started = time.perf_counter()
    content = pack_content(almo=almo, quarter=quarter, today=today)
    parts = [render_section(content, key) for key in part_keys(content)]
    result = assemble(content, parts)
    return result, content, time.perf_counter() - started
