"""Writes for the tenant scrutiny panel's challenges: raise, respond, escalate."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from agreements.models import Schedule, Standard
from almo_sla.access import can
from reporting.scrutiny.models import Challenge
from services.periods import add_working_days


def response_due_for(raised_on: dt.date) -> dt.date:
    return add_working_days(raised_on, settings.SCRUTINY_RESPONSE_WORKING_DAYS)


@transaction.atomic
def challenge_raise(
    *,
    by,
    almo,
    schedule: Schedule,
    standard: Standard | None,
    kind: str,
    title: str,
    body: str,
    today: dt.date | None = None,
) -> Challenge:
    if not can(by, "reporting.add_challenge", almo):
        raise PermissionDenied
    errors = {}
    if schedule.agreement.almo_id != almo.pk:
        errors["schedule"] = "Choose a service in your ALMO's agreement."
    if standard is not None and standard.schedule_id != schedule.pk:
        errors["standard"] = f"Choose a standard of {schedule.service.name}, or leave it blank."
    if not title.strip():
        errors["title"] = "Enter a summary of the challenge or recommendation."
    if not body.strip():
        errors["body"] = "Say what the panel found and what it asks for."
    if errors:
        raise ValidationError(errors)
    today = today or timezone.localdate()
    return Challenge.objects.create(
        almo=almo,
        schedule=schedule,
        standard=standard,
        kind=kind,
        title=title.strip(),
        body=body.strip(),
        raised_by=by,
        raised_on=today,
        response_due=response_due_for(today),
    )


@transaction.atomic
def challenge_respond(
    *,
    challenge: Challenge,
    by,
    accept: bool,
    response: str,
    action: str = "",
    action_owner: str = "",
    action_due: dt.date | None = None,
    today: dt.date | None = None,
) -> Challenge:
    challenge = Challenge.objects.select_for_update().get(pk=challenge.pk)
    if not can(by, "reporting.respond_challenge", challenge) or not challenge.awaits_response:
        raise PermissionDenied
    today = today or timezone.localdate()
    errors = {}
    if accept:
        if not action.strip():
            errors["action"] = "Say what action will be taken."
        if not action_owner.strip():
            errors["action_owner"] = "Enter who will take the action."
        if action_due is None:
            errors["action_due"] = "Enter the date the action will be done by."
        elif action_due < today:
            errors["action_due"] = "The action's target date must be today or later."
    elif not response.strip():
        errors["response"] = "Give the reasons for declining."
    if errors:
        raise ValidationError(errors)
    challenge.status = Challenge.Status.ACCEPTED if accept else Challenge.Status.DECLINED
    challenge.response = response.strip()
    challenge.action, challenge.action_owner = (action.strip(), action_owner.strip()) if accept else ("", "")
    challenge.action_due = action_due if accept else None
    challenge.responded_by, challenge.responded_on = by, today
    challenge.save()
    return challenge


@transaction.atomic
def challenge_escalate(*, challenge: Challenge, by, reason: str, today: dt.date | None = None) -> Challenge:
    challenge = Challenge.objects.select_for_update().select_related("almo").get(pk=challenge.pk)
    today = today or timezone.localdate()
    if not can(by, "reporting.escalate_challenge", challenge) or not challenge.may_be_escalated(today):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError({"reason": "Say why the panel is taking this to the board."})
    challenge.escalated_on, challenge.escalated_by, challenge.escalation_reason = today, by, reason.strip()
    challenge.save()
    return challenge
