"""Overlapping agreements: a service bought twice from the council at the same time.

An agreement would overlap when one of its schedules covers, for any day, a service that a live
(agreed or active) agreement of the same ALMO also covers that day. It is refused at circulation,
when sent for sign-off and at each approval, with a message naming the overlap — unless the
schedule says it replaces (``Schedule.supersedes``) the other from a date: the earlier schedule
then ends the day before (``Schedule.in_force``) and costs switch there.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from agreements.models import Agreement, Schedule


@dataclass(frozen=True)
class Overlap:
    schedule: Schedule  # in the agreement being checked
    other: Schedule  # in a live agreement of the same ALMO
    first_day: dt.date
    other_last_day: dt.date | None

    @property
    def message(self) -> str:
        other = self.other.agreement
        until = f"until {self.other_last_day:%-d %B %Y}" if self.other_last_day else "with no end date"
        return (
            f"{self.schedule.service.name} is already bought under {other.reference} {until}, and this agreement "
            f"would also cover it from {self.first_day:%-d %B %Y}. On the schedule, say that it replaces "
            f"{other.reference}'s from a date, or change the dates."
        )


def _intersect(a: tuple[dt.date, dt.date | None], b: tuple[dt.date, dt.date | None]) -> dt.date | None:
    """The first day the two windows share, or None."""
    start = max(a[0], b[0])
    ends = [end for end in (a[1], b[1]) if end is not None]
    if ends and start > min(ends):
        return None
    return start


def overlaps(agreement: Agreement) -> list[Overlap]:
    """The schedules of ``agreement`` that would be bought twice. Two queries."""
    schedules = list(
        agreement.schedules.select_related("service", "supersedes", "agreement").prefetch_related("notices")
    )
    if not schedules:
        return []
    others = (
        Schedule.objects.filter(
            agreement__almo_id=agreement.almo_id,
            agreement__status__in=Agreement.LIVE_STATUSES,
            service_id__in=[s.service_id for s in schedules],
        )
        .exclude(agreement_id=agreement.pk)
        .select_related("agreement", "service")
        .prefetch_related("notices", "successors__agreement")
    )
    by_service: dict[int, list[Schedule]] = {}
    for other in others:
        by_service.setdefault(other.service_id, []).append(other)
    found = []
    for schedule in schedules:
        mine = schedule.in_force(with_notice=False)
        for other in by_service.get(schedule.service_id, []):
            start, end = other.in_force()
            if schedule.supersedes_id == other.pk and schedule.supersedes_from:
                day_before = schedule.supersedes_from - dt.timedelta(days=1)
                end = day_before if end is None else min(end, day_before)
            if end is not None and end < start:
                continue
            first_day = _intersect(mine, (start, end))
            if first_day is not None:
                found.append(Overlap(schedule, other, first_day, end))
    return found


def refuse_overlaps(agreement: Agreement) -> None:
    """Raise a ``ValidationError`` naming each overlap, if there is any."""
    found = overlaps(agreement)
    if found:
        raise ValidationError([overlap.message for overlap in found])
