"""Signing authority: who may sign service level agreements for a council or for an ALMO.

The one home of the rule. An administrator grants the authority (``SigningAuthority``, in the
Django admin); it counts only while the user is active and still belongs where it was granted
(a council officer of that council's departments, or a user of that ALMO).
``agreements.models.Agreement`` adds the agreement's own rule: the coordinator who drafted it
never signs it.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import F, QuerySet


def council_signers(*, council_ids) -> QuerySet:
    """Active users who may sign for one of the councils ``council_ids`` (officers of that council)."""
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            signing_authorities__council_id__in=list(council_ids),
            profile__department__council_id=F("signing_authorities__council_id"),
        )
        .distinct()
    )


def almo_signers(*, almo_ids) -> QuerySet:
    """Active users who may sign for one of the ALMOs ``almo_ids`` (for their own ALMO)."""
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            signing_authorities__almo_id__in=list(almo_ids),
            profile__almo_id=F("signing_authorities__almo_id"),
        )
        .distinct()
    )


def may_sign_for_council(user, council_id: int | None) -> bool:
    if user is None or not user.pk or council_id is None:
        return False
    return (
        council_signers(council_ids=[council_id])
        .filter(pk=user.pk, profile__department__council_id=council_id)
        .exists()
    )


def may_sign_for_almo(user, almo_id: int | None) -> bool:
    if user is None or not user.pk or almo_id is None:
        return False
    return almo_signers(almo_ids=[almo_id]).filter(pk=user.pk, profile__almo_id=almo_id).exists()
