"""Reads of agreements and schedules, narrowed to what a user may see."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, QuerySet, Sum
from django.http import Http404

from agreements.models import Agreement, Schedule, Standard, StandardTarget
from services.roles import Role, almo_id_of, department_id_of, role_of


def agreement_list(*, user) -> QuerySet[Agreement]:
    """Agreements the user may see, with their totals, in one query."""
    qs = Agreement.objects.select_related("almo", "council", "coordinator").annotate(
        schedule_count=Count("schedules", distinct=True),
        total_annual_cost=Sum("schedules__annual_cost"),
    ).order_by("-start_date", "reference")
    role = role_of(user)
    if role == Role.ADMINISTRATOR:
        return qs
    if role in (Role.COORDINATOR, Role.BOARD_MEMBER):
        return qs.filter(almo_id=almo_id_of(user))
    if role == Role.DEPARTMENT_OFFICER:
        return qs.filter(schedules__service__department_id=department_id_of(user)).distinct()
    return qs.none()


def agreement_get(*, user, pk: int, perm: str = "agreements.view_agreement") -> Agreement:
    """The agreement ``pk`` if the user may see it (404 otherwise) and holds ``perm`` (403)."""
    agreement = agreement_list(user=user).filter(pk=pk).first()
    if agreement is None:
        raise Http404("No such agreement.")
    if not user.has_perm(perm, agreement):
        raise PermissionDenied
    return agreement


def schedule_list(*, user, agreement: Agreement) -> QuerySet[Schedule]:
    """The agreement's schedules the user may see, with standards and targets prefetched."""
    qs = (
        agreement.schedules.select_related("service", "service__department")
        .prefetch_related(
            Prefetch(
                "standards",
                queryset=Standard.objects.prefetch_related(
                    Prefetch("targets", queryset=StandardTarget.objects.order_by("effective_from"))
                ),
            )
        )
        .order_by("service__department__name", "service__name")
    )
    if role_of(user) == Role.DEPARTMENT_OFFICER:
        qs = qs.filter(service__department_id=department_id_of(user))
    return qs


def schedule_get(*, user, agreement: Agreement, pk: int) -> Schedule:
    schedule = schedule_list(user=user, agreement=agreement).filter(pk=pk).first()
    if schedule is None:
        raise Http404("No such schedule.")
    return schedule
