"""Writes for complaints: record, acknowledge, extend, respond, and take to stage 2."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from almo_sla.access import can
from reporting.complaints.models import Complaint, ComplaintStage


def _today(today):
    return today or timezone.localdate()


def _not_future(day: dt.date | None, field: str, today: dt.date, errors: dict, what: str):
    if day is None:
        errors[field] = f"Enter the date {what}."
    elif day > today:
        errors[field] = f"The date {what} cannot be in the future."


@transaction.atomic
def complaint_record(
    *,
    by,
    schedule,
    standard,
    source: str,
    complainant: str,
    summary: str,
    received_on: dt.date,
    today: dt.date | None = None,
) -> Complaint:
    almo = schedule.agreement.almo
    if not can(by, "reporting.add_complaint_for_almo", almo):
        raise PermissionDenied
    today, errors = _today(today), {}
    if standard is not None and standard.schedule_id != schedule.pk:
        errors["standard"] = f"Choose a standard of {schedule.service.name}, or leave it blank."
    if not summary.strip():
        errors["summary"] = "Say what the complaint is about."
    _not_future(received_on, "received_on", today, errors, "the complaint was received")
    if errors:
        raise ValidationError(errors)
    complaint = Complaint.objects.create(
        almo=almo,
        schedule=schedule,
        standard=standard,
        source=source,
        complainant=complainant.strip(),
        summary=summary.strip(),
        received_on=received_on,
        recorded_by=by,
    )
    ComplaintStage.objects.create(complaint=complaint, number=1, opened_on=received_on)
    return complaint


def _stage_for_update(complaint: Complaint, by, perm: str) -> ComplaintStage:
    stage = ComplaintStage.objects.select_for_update().filter(complaint=complaint).order_by("-number").first()
    if stage is None or not can(by, perm, complaint):
        raise PermissionDenied
    if perm == "reporting.handle_complaint" and stage.responded_on is not None:
        raise PermissionDenied  # the stage is answered: only stage 2 can follow
    return stage


@transaction.atomic
def complaint_acknowledge(*, complaint: Complaint, by, acknowledged_on: dt.date, today: dt.date | None = None):
    stage = _stage_for_update(complaint, by, "reporting.handle_complaint")
    today, errors = _today(today), {}
    if stage.acknowledged_on is not None:
        raise ValidationError({"acknowledged_on": f"Stage {stage.number} was already acknowledged."})
    _not_future(acknowledged_on, "acknowledged_on", today, errors, "it was acknowledged")
    if acknowledged_on and acknowledged_on < stage.opened_on:
        errors["acknowledged_on"] = (
            f"It cannot be acknowledged before {stage.opened_on:%-d %B %Y}, when it was received."
        )
    if errors:
        raise ValidationError(errors)
    stage.acknowledged_on = acknowledged_on
    stage.save()
    return stage


@transaction.atomic
def complaint_extend(*, complaint: Complaint, by, extended_to: dt.date, reason: str):
    stage = _stage_for_update(complaint, by, "reporting.handle_complaint")
    errors = {}
    if stage.acknowledged_on is None:
        errors["extended_to"] = "Acknowledge the complaint before extending the time to respond."
    elif extended_to is None or extended_to <= stage.response_due:
        errors["extended_to"] = f"The new date must be after {stage.response_due:%-d %B %Y}, the date now due."
    if not reason.strip():
        errors["reason"] = "Explain why more time is needed: the complainant is told."
    if errors:
        raise ValidationError(errors)
    stage.extended_to, stage.extension_reason = extended_to, reason.strip()
    stage.save()
    return stage


@transaction.atomic
def complaint_respond(
    *,
    complaint: Complaint,
    by,
    responded_on: dt.date,
    outcome: str,
    response: str,
    remedy: str = "",
    learning: str = "",
    today: dt.date | None = None,
):
    stage = _stage_for_update(complaint, by, "reporting.handle_complaint")
    today, errors = _today(today), {}
    if stage.acknowledged_on is None:
        errors["responded_on"] = "Record the acknowledgement first."
    else:
        _not_future(responded_on, "responded_on", today, errors, "of the response")
        if responded_on and responded_on < stage.acknowledged_on:
            errors["responded_on"] = "The response cannot come before the acknowledgement."
    if outcome not in Complaint.Outcome.values:
        errors["outcome"] = "Choose whether the complaint was upheld, partly upheld or not upheld."
    if not response.strip():
        errors["response"] = "Enter the response sent to the complainant."
    if outcome in (Complaint.Outcome.UPHELD, Complaint.Outcome.PARTLY) and not remedy.strip():
        errors["remedy"] = "Say what remedy was offered for an upheld complaint."
    if errors:
        raise ValidationError(errors)
    stage.responded_on, stage.outcome, stage.response = responded_on, outcome, response.strip()
    stage.remedy, stage.learning, stage.responded_by = remedy.strip(), learning.strip(), by
    stage.save()
    return stage


@transaction.atomic
def complaint_escalate(*, complaint: Complaint, by, requested_on: dt.date, reason: str, today: dt.date | None = None):
    """The complainant is not satisfied with the stage 1 response: open stage 2."""
    stage = _stage_for_update(complaint, by, "reporting.escalate_complaint")
    today, errors = _today(today), {}
    if stage.number != 1 or stage.responded_on is None:
        raise PermissionDenied
    _not_future(requested_on, "requested_on", today, errors, "the complainant asked for stage 2")
    if requested_on and requested_on < stage.responded_on:
        errors["requested_on"] = "Stage 2 can only be asked for after the stage 1 response."
    if not reason.strip():
        errors["reason"] = "Say why the complainant is not satisfied."
    if errors:
        raise ValidationError(errors)
    return ComplaintStage.objects.create(
        complaint=complaint, number=2, opened_on=requested_on, escalation_reason=reason.strip()
    )
