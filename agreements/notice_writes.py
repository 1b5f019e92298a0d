"""Writes for notices: serving notice on a service and withdrawing it.

State rules are checked here; who may act is asked of ``agreements.rules`` by the views.
The date arithmetic is in ``agreements.notices``.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from agreements import notifications
from agreements.models import Agreement, Schedule, ServiceNotice
from agreements.notices import earliest_effective_date


def notice_serve(*, schedule: Schedule, user, served_on: dt.date, reason: str) -> ServiceNotice:
    """Serve notice on the schedule's service; it takes effect on the earliest date the
    agreement allows (notice period, then its alignment rule)."""
    agreement = schedule.agreement
    if agreement.status not in Agreement.LIVE_STATUSES:
        raise ValidationError("Notice can only be served on a service in an agreed or active agreement.")
    today = timezone.localdate()
    if served_on > today:
        raise ValidationError({"served_on": "Notice cannot be recorded as served on a future date."})
    if served_on < agreement.start_date:
        raise ValidationError(
            {"served_on": f"Notice cannot be served before the agreement starts on {agreement.start_date:%-d %B %Y}."}
        )
    if agreement.term_in_force(served_on) is None:
        raise ValidationError({"served_on": "The agreement was not in force on that date."})
    with transaction.atomic():
        Schedule.objects.select_for_update().filter(pk=schedule.pk).first()
        if ServiceNotice.objects.filter(schedule=schedule, withdrawn_on__isnull=True).exists():
            raise ValidationError(
                "Notice has already been served on this service. Withdraw it first to serve it again."
            )
        notice = ServiceNotice(
            schedule=schedule,
            served_on=served_on,
            effective_date=earliest_effective_date(
                served_on, schedule.notice_period_months, agreement.notice_alignment
            ),
            served_by=user,
            reason=reason,
        )
        notice.full_clean()
        notice.save()
        notifications.notice_served(notice=notice)
    return notice


def notice_withdraw(*, notice: ServiceNotice, user, withdrawn_on: dt.date | None = None) -> ServiceNotice:
    """Withdraw notice that has not yet taken effect (by agreement with the council)."""
    withdrawn_on = withdrawn_on or timezone.localdate()
    if notice.withdrawn_on:
        raise ValidationError("This notice has already been withdrawn.")
    if withdrawn_on >= notice.effective_date:
        raise ValidationError("This notice has already taken effect, so it cannot be withdrawn.")
    if withdrawn_on < notice.served_on:
        raise ValidationError("Notice cannot be withdrawn before it was served.")
    notice.withdrawn_on = withdrawn_on
    notice.full_clean()
    notice.save(update_fields=["withdrawn_on"])
    notifications.notice_withdrawn(notice=notice, user=user)
    return notice
