"""Reads of the panel's challenges, narrowed to what the user may see, and counts for the board pack."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Q, QuerySet
from django.http import Http404

from agreements.selectors import agreement_list, schedule_list
from almo_sla.access import can
from reporting.scrutiny.models import Challenge
from services.periods import Quarter
from services.roles import Role, almo_id_of, council_id_of, role_of


def challenge_list(*, user) -> QuerySet[Challenge]:
    role = role_of(user)
    qs = Challenge.objects.select_related("almo", "schedule__service", "standard", "raised_by")
    if role == Role.ADMINISTRATOR:
        return qs
    if role in (Role.PANEL_MEMBER, Role.COORDINATOR, Role.BOARD_MEMBER):
        return qs.filter(almo_id=almo_id_of(user))
    if role == Role.COUNCIL_OFFICER:
        return qs.filter(almo__council_id=council_id_of(user))
    return qs.none()


def challenge_get(*, user, pk: int, perm: str = "reporting.view_challenge") -> Challenge:
    challenge = challenge_list(user=user).select_related("responded_by", "escalated_by").filter(pk=pk).first()
    if challenge is None:
        raise Http404("No such challenge.")
    if not can(user, perm, challenge):
        raise PermissionDenied
    return challenge


def challengeable_schedules(*, user, almo) -> list:
    """The services (schedules with their standards) of the ALMO's settled agreements the panel may challenge."""
    schedules = []
    for agreement in agreement_list(user=user).filter(almo=almo, status__in=("agreed", "active")):
        schedules.extend(schedule_list(user=user, agreement=agreement))
    return schedules


@dataclass
class ChallengeCounts:
    raised: int
    accepted: int
    declined: int
    awaiting: int
    overdue: int
    escalated: int
    answered_in_time: int
    answered: int

    @property
    def share_in_time(self) -> int | None:
        return round(100 * self.answered_in_time / self.answered) if self.answered else None


def challenge_counts(
    *, almo, start: dt.date | None = None, end: dt.date | None = None, today: dt.date
) -> ChallengeCounts:
    """The panel's challenges raised between ``start`` and ``end`` (inclusive), in one query: for the board
    pack (a quarter) and the panel's dashboard (all time)."""
    qs = Challenge.objects.filter(almo=almo)
    if start:
        qs = qs.filter(raised_on__gte=start)
    if end:
        qs = qs.filter(raised_on__lte=end)
    awaiting = Q(status=Challenge.Status.AWAITING)
    row = qs.aggregate(
        raised=Count("pk"),
        accepted=Count("pk", filter=Q(status=Challenge.Status.ACCEPTED)),
        declined=Count("pk", filter=Q(status=Challenge.Status.DECLINED)),
        awaiting=Count("pk", filter=awaiting),
        overdue=Count("pk", filter=awaiting & Q(response_due__lt=today)),
        escalated=Count("pk", filter=Q(escalated_on__isnull=False)),
        answered_in_time=Count("pk", filter=Q(responded_on__isnull=False, responded_on__lte=F("response_due"))),
        answered=Count("pk", filter=Q(responded_on__isnull=False)),
    )
    return ChallengeCounts(**row)


def challenge_counts_for_quarter(*, almo, quarter: Quarter, today: dt.date) -> ChallengeCounts:
    """For the board pack: challenges raised in the quarter."""
    return challenge_counts(almo=almo, start=quarter.start, end=quarter.end, today=today)


def escalated_to_board(*, almo, quarter: Quarter):
    """Challenges the panel escalated to the board up to the end of the quarter that the board has before it."""
    return (
        Challenge.objects.filter(almo=almo, escalated_on__isnull=False, escalated_on__lte=quarter.end)
        .select_related("schedule__service")
        .order_by("-escalated_on", "pk")[:20]
    )
