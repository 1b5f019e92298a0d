"""Board packs in a given state, for the role matrix and the pack tests."""

from django.contrib.auth import get_user_model
from django.utils import timezone

from reporting.models import BoardPack
from reporting.packs.storage import save_atomically, sha256

PDF = b"%PDF-1.7\n% a stand-in for a rendered pack\n%%EOF\n"


def _pack(agreement, status, **fields):
    return BoardPack.objects.create(
        almo=agreement.almo,
        agreement=agreement,
        financial_year=agreement.start_date.year,
        quarter=2,
        status=status,
        requested_by=get_user_model().objects.get(username="board.member"),
        started_at=timezone.now(),
        attempts=1,
        **fields,
    )


def ready_pack(agreement):
    pack = _pack(
        agreement, BoardPack.Status.READY, pages=1, size=len(PDF), sha256=sha256(PDF), finished_at=timezone.now()
    )
    pack.file.name = save_atomically(f"board_packs/test/pack-{pack.pk}.pdf", PDF)
    pack.save(update_fields=["file"])
    return pack


def failed_pack(agreement):
    return _pack(
        agreement, BoardPack.Status.FAILED, failure_reason="The renderer ran out of memory.", finished_at=timezone.now()
    )
