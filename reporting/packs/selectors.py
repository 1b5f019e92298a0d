"""Reads of board packs, narrowed to what the user may see."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from almo_sla.access import can
from reporting.models import BoardPack
from reporting.packs.content import PACK_STATUSES
from services.models import Almo
from services.roles import Role, almo_id_of, role_of


def board_pack_almos(*, user) -> QuerySet[Almo]:
    """ALMOs the user may request packs for: those with an agreement that is not a draft."""
    qs = Almo.objects.filter(agreements__status__in=PACK_STATUSES).distinct().order_by("name")
    role = role_of(user)
    if role == Role.ADMINISTRATOR:
        return qs
    if role in (Role.COORDINATOR, Role.BOARD_MEMBER):
        return qs.filter(pk=almo_id_of(user))
    return qs.none()


def board_pack_list(*, user) -> QuerySet[BoardPack]:
    """Packs the user may see, newest first."""
    if not can(user, "reporting.list_boardpack"):
        raise PermissionDenied
    qs = BoardPack.objects.select_related("almo", "agreement", "requested_by").order_by("-requested_at", "-pk")
    if role_of(user) == Role.ADMINISTRATOR:
        return qs
    return qs.filter(almo_id=almo_id_of(user))


def board_pack_get(*, user, pk: int, perm: str = "reporting.view_boardpack") -> BoardPack:
    """The pack ``pk``: 403 for users who may not use packs at all, 404 if not theirs to see."""
    pack = board_pack_list(user=user).filter(pk=pk).first()
    if pack is None:
        raise Http404("No such board pack.")
    if not can(user, perm, pack):
        raise PermissionDenied
    return pack
