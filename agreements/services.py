"""Writes for drafting, circulating, signing and varying agreements.

Every function is keyword-only, validates with ``full_clean()`` before saving and checks
the state transition it makes. Permission checks are in ``services/rules.py`` and the views.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from agreements import council_templates
from agreements.models import (
    Agreement,
    AgreementVersion,
    Approval,
    Comment,
    Schedule,
    ScheduleYearCost,
    Standard,
    StandardTarget,
    Variation,
    VariationChange,
)
from agreements.overlaps import refuse_overlaps
from agreements.snapshots import AGREEMENT_FIELDS, SCHEDULE_FIELDS, agreement_snapshot
from almo_sla.queue import enqueue_on_commit
from services.periods import financial_year_first_day

Status = Agreement.Status

AGREEMENT_EDIT_FIELDS = [
    "title", "start_date", "end_date", "notice_alignment", "renewal_term_months", "max_renewals",
    "return_due_working_days", "council_signatory", "almo_signatory",
]
SCHEDULE_EDIT_FIELDS = [
    "expected_service_level", "reporting_what", "reporting_frequency", "reporting_to", "report_departures",
    "notice_period_months", "annual_cost", "cost_basis", "staff_time_share", "legal_notes", "commercially_confidential",
]


# --- Optimistic concurrency ------------------------------------------------------------


@dataclass
class Change:
    label: str
    old: str
    new: str


class ConcurrentEditError(Exception):
    """Someone else saved the same draft since this form was opened."""

    def __init__(self, *, who: str, when: dt.datetime | None, changes: list[Change], current_revision: int):
        self.who, self.when, self.changes, self.current_revision = who, when, changes, current_revision
        super().__init__(f"{who} saved this draft while you were editing it.")


def _conflict(obj, expected_revision: int, labels: dict) -> ConcurrentEditError:
    """Describe what changed between the revision the user saw and the current one."""
    seen = obj.history.filter(revision=expected_revision).order_by("-history_date").first()
    latest = obj.history.select_related("history_user").order_by("-history_date").first()
    changes = []
    if seen is not None:
        for name, label in labels.items():
            old, new = getattr(seen, f"{name}_id", getattr(seen, name, None)), getattr(obj, f"{name}_id", getattr(obj, name, None))
            if old != new:
                changes.append(Change(label, "" if old is None else str(old), "" if new is None else str(new)))
    who = "Someone"
    if latest is not None and latest.history_user is not None:
        who = latest.history_user.get_full_name() or latest.history_user.username
    return ConcurrentEditError(
        who=who, when=latest.history_date if latest else None, changes=changes, current_revision=obj.revision
    )


def _require_draft(agreement: Agreement) -> None:
    if agreement.status != Status.DRAFT:
        raise ValidationError(
            f"{agreement.reference} is {agreement.get_status_display().lower()}: only drafts can be edited. "
            "Change an active agreement through a variation."
        )


# --- Drafting ----------------------------------------------------------------------------


@transaction.atomic
def agreement_create(*, user, copy_from: Agreement | None = None, **fields) -> Agreement:
    """A new draft, blank or copied (schedules, standards, targets and yearly costs) from another agreement."""
    agreement = Agreement(coordinator=user, status=Status.DRAFT, **fields)
    if copy_from is not None and not agreement.council_id:
        agreement.council_id = copy_from.council_id
    agreement.full_clean()
    agreement.save()
    if copy_from is not None:
        _copy_schedules(source=copy_from, target=agreement)
    return agreement


def _copy_schedules(*, source: Agreement, target: Agreement) -> None:
    """Copy the source's schedules, standards, targets and yearly costs into the new draft.

    A copy of a live agreement of the same ALMO is its successor: each schedule replaces the
    source's from the new agreement's start, so the service is never bought twice (the
    coordinator can change or clear that on each schedule).
    """
    shift = target.start_date.year - source.start_date.year
    successor = (
        source.is_live and source.almo_id == target.almo_id and target.start_date > source.start_date
    )
    for schedule in source.schedules.prefetch_related("standards__targets", "year_costs"):
        copy = Schedule(agreement=target, service_id=schedule.service_id,
                        **{name: getattr(schedule, name) for name in SCHEDULE_EDIT_FIELDS})
        if successor:
            copy.supersedes, copy.supersedes_from = schedule, target.start_date
        copy.full_clean()
        copy.save()
        for cost in schedule.year_costs.all():
            ScheduleYearCost.objects.create(
                schedule=copy, financial_year=cost.financial_year + shift, amount=cost.amount, note=cost.note
            )
        for standard in schedule.standards.all():
            new = Standard.objects.create(
                schedule=copy, kind=standard.kind, title=standard.title, unit=standard.unit,
                direction=standard.direction, amber_tolerance=standard.amber_tolerance,
                deliverable=standard.deliverable, position=standard.position,
                due_date=_shift_date(standard.due_date, shift),
            )
            for t in standard.targets.all():
                StandardTarget.objects.create(standard=new, effective_from=_shift_date(t.effective_from, shift), value=t.value)


def _shift_date(day: dt.date | None, years: int) -> dt.date | None:
    if day is None or years == 0:
        return day
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@transaction.atomic
def agreement_update(*, agreement: Agreement, expected_revision: int, **fields) -> Agreement:
    """Save the draft's terms unless someone else saved them since ``expected_revision``."""
    current = Agreement.objects.select_for_update().get(pk=agreement.pk)
    _require_draft(current)
    if current.revision != expected_revision:
        labels = {**AGREEMENT_FIELDS, "council_signatory": "Council signatory", "almo_signatory": "ALMO signatory"}
        raise _conflict(current, expected_revision, labels)
    for name, value in fields.items():
        setattr(current, name, value)
    current.revision += 1
    current.full_clean()
    current.save()
    return current


@transaction.atomic
def schedule_create(*, agreement: Agreement, service, from_template: bool = False, **fields) -> Schedule:
    """A new schedule of a draft; ``from_template``: with the council's template standards for the service."""
    _require_draft(agreement)
    schedule = Schedule(agreement=agreement, service=service, **fields)
    schedule.full_clean()
    schedule.save()
    template = council_templates.template_for(service) if from_template else None
    if template is not None:  # the council's standard standards, to edit from
        council_templates.add_template_standards(schedule=schedule, template=template)
    return schedule


@transaction.atomic
def schedule_update(*, schedule: Schedule, expected_revision: int, fields: dict, standards: list[dict]) -> Schedule:
    """Save a schedule and its standards (with yearly targets) as one edit.

    ``standards``: dicts with ``instance`` (or None for a new one), ``delete``, ``fields`` and
    ``targets`` (financial year -> value or None).
    """
    current = Schedule.objects.select_for_update().select_related("agreement").get(pk=schedule.pk)
    _require_draft(current.agreement)
    if current.revision != expected_revision:
        raise _conflict(current, expected_revision, SCHEDULE_FIELDS)
    for name, value in fields.items():
        setattr(current, name, value)
    current.revision += 1
    current.full_clean()
    current.save()
    errors = []
    for position, item in enumerate(standards):
        standard = item.get("instance")
        if item.get("delete"):
            if standard is not None and standard.pk:
                standard.delete()
            continue
        standard = standard or Standard(schedule=current)
        for name, value in item["fields"].items():
            setattr(standard, name, value)
        standard.schedule = current
        standard.position = position
        standard.full_clean()
        standard.save()
        existing = {t.effective_from.year: t for t in standard.targets.all()}
        for year, value in item.get("targets", {}).items():
            target = existing.get(year)
            if value is None or standard.kind != Standard.Kind.MEASURED:
                if target is not None:
                    target.delete()
                continue
            target = target or StandardTarget(standard=standard, effective_from=financial_year_first_day(year))
            if target.value != value:
                target.value = value
                target.full_clean()
                target.save()
    if errors:
        raise ValidationError(errors)
    return current


@transaction.atomic
def schedule_delete(*, schedule: Schedule) -> None:
    _require_draft(schedule.agreement)
    schedule.delete()


# --- Versions and circulation ---------------------------------------------------------------


def _next_version_number(agreement: Agreement) -> int:
    return (agreement.versions.aggregate(n=Max("number"))["n"] or 0) + 1


def version_create(*, agreement: Agreement, user, purpose: str, comment_deadline: dt.date | None = None) -> AgreementVersion:
    version = AgreementVersion(
        agreement=agreement,
        number=_next_version_number(agreement),
        purpose=purpose,
        snapshot=agreement_snapshot(agreement),
        comment_deadline=comment_deadline,
        created_by=user,
    )
    version.full_clean()
    version.save()
    return version


def agreement_circulate(*, agreement: Agreement, user, comment_deadline: dt.date) -> AgreementVersion:
    """Freeze the draft as the next version and send it out for comment until ``comment_deadline``."""
    from agreements.tasks import send_version_notification

    with transaction.atomic():
        agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
        _require_draft(agreement)
        if comment_deadline <= timezone.localdate():
            raise ValidationError({"comment_deadline": "The deadline for comments must be in the future."})
        if not agreement.schedules.exists():
            raise ValidationError("Add at least one schedule before circulating the draft.")
        refuse_overlaps(agreement)
        version = version_create(
            agreement=agreement, user=user, purpose=AgreementVersion.Purpose.CIRCULATED, comment_deadline=comment_deadline
        )
        agreement.status = Status.OUT_FOR_COMMENT
        agreement.save()
        # A broker outage is logged and does not undo the circulation; the deadline e-mails still follow.
        enqueue_on_commit(send_version_notification, version.pk, "circulated")
    return version


def agreement_start_next_draft(*, agreement: Agreement) -> Agreement:
    """Back to draft after circulation (or a sign-off that was not given), so the next version can be made."""
    with transaction.atomic():
        agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
        if agreement.status not in (Status.OUT_FOR_COMMENT, Status.AWAITING_SIGNATURE):
            raise ValidationError("Only an agreement out for comment or awaiting sign-off can go back to draft.")
        agreement.status = Status.DRAFT
        agreement.save()
    return agreement


def comment_add(*, version: AgreementVersion, author, body: str, service=None) -> Comment:
    if not version.commenting_open(timezone.localdate()):
        raise ValidationError("Commenting on this version has closed.")
    if service is not None and service.pk not in {s["service_id"] for s in version.snapshot["schedules"]}:
        raise ValidationError({"service": "This version has no schedule for that service."})
    comment = Comment(version=version, author=author, body=body.strip(), service=service)
    comment.full_clean()
    comment.save()
    return comment


def comment_respond(*, comment: Comment, user, status: str, response: str) -> Comment:
    if status not in (Comment.Status.ACCEPTED, Comment.Status.REJECTED, Comment.Status.ANSWERED):
        raise ValidationError({"status": "Choose accepted, rejected or answered."})
    comment.status = status
    comment.response = response.strip()
    comment.responded_by = user
    comment.responded_at = timezone.now()
    comment.full_clean()
    comment.save()
    return comment


# --- Sign-off ------------------------------------------------------------------------------


def agreement_send_for_signoff(*, agreement: Agreement, user) -> AgreementVersion:
    with transaction.atomic():
        agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
        _require_draft(agreement)
        if not agreement.council_signatory_id or not agreement.almo_signatory_id:
            raise ValidationError("Name the council signatory and the ALMO signatory before sending for sign-off.")
        if not agreement.schedules.exists():
            raise ValidationError("Add at least one schedule before sending for sign-off.")
        refuse_overlaps(agreement)
        version = version_create(agreement=agreement, user=user, purpose=AgreementVersion.Purpose.SIGN_OFF)
        agreement.status = Status.AWAITING_SIGNATURE
        agreement.save()
    return version


def party_of(agreement: Agreement, user) -> str | None:
    if user.pk == agreement.council_signatory_id:
        return Approval.Party.COUNCIL
    if user.pk == agreement.almo_signatory_id:
        return Approval.Party.ALMO
    return None


def agreement_approve(*, agreement: Agreement, user, today: dt.date | None = None) -> Approval:
    """The signatory approves the final version; when both have, the agreement is agreed (active from its start)."""
    today = today or timezone.localdate()
    with transaction.atomic():
        agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
        if agreement.status != Status.AWAITING_SIGNATURE:
            raise ValidationError("This agreement is not awaiting sign-off.")
        party = party_of(agreement, user)
        if party is None:
            raise ValidationError("Only the named signatories can approve the agreement.")
        refuse_overlaps(agreement)  # another agreement may have become live since it was sent
        version = agreement.versions.order_by("-number").first()
        if version.approvals.filter(party=party).exists():
            raise ValidationError(f"The {Approval.Party(party).label.lower()} has already approved {version.label}.")
        approval = Approval(agreement=agreement, version=version, party=party, user=user,
                            decision=Approval.Decision.APPROVED)
        approval.full_clean()
        approval.save()
        if version.approvals.filter(decision=Approval.Decision.APPROVED).count() == 2:
            agreement.status = Status.ACTIVE if agreement.start_date <= today else Status.AGREED
            agreement.save()
    return approval


def activate_due_agreements(*, today: dt.date | None = None) -> int:
    """Agreed agreements whose start date has come become active (idempotent; daily beat task)."""
    today = today or timezone.localdate()
    count = 0
    for pk in Agreement.objects.filter(status=Status.AGREED, start_date__lte=today).values_list("pk", flat=True):
        with transaction.atomic():
            agreement = Agreement.objects.select_for_update().get(pk=pk)
            if agreement.status == Status.AGREED and agreement.start_date <= today:
                agreement.status = Status.ACTIVE
                agreement.save()
                count += 1
    return count


# --- Variations ----------------------------------------------------------------------------


@transaction.atomic
def variation_propose(*, agreement: Agreement, user, reason: str, effective_date: dt.date,
                      schedule: Schedule, field: str, new_value: str) -> Variation:
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if not agreement.is_live:
        raise ValidationError("Only an agreed or active agreement is changed by a variation; edit the draft instead.")
    number = (agreement.variations.aggregate(n=Max("number"))["n"] or 0) + 1
    variation = Variation(agreement=agreement, number=number, reason=reason.strip(),
                          effective_date=effective_date, proposed_by=user)
    variation.full_clean()
    variation.save()
    variation_add_change(variation=variation, schedule=schedule, field=field, new_value=new_value)
    return variation


def variation_add_change(*, variation: Variation, schedule: Schedule, field: str, new_value: str) -> VariationChange:
    if variation.status != Variation.Status.PROPOSED:
        raise ValidationError("Only a proposed variation can be changed.")
    change = VariationChange(variation=variation, schedule=schedule, field=field,
                             old_value=str(getattr(schedule, field)), new_value=str(new_value).strip())
    change.full_clean()
    change.save()
    if variation.approvals.exists():  # the terms changed: earlier approvals no longer stand
        variation.approvals.all().delete()
    return change


def variation_decide(*, variation: Variation, user, approve: bool, reason: str = "",
                     today: dt.date | None = None) -> Approval:
    """A signatory approves or rejects a variation; once both approve it applies from its effective date."""
    today = today or timezone.localdate()
    with transaction.atomic():
        variation = Variation.objects.select_for_update().select_related("agreement").get(pk=variation.pk)
        if variation.status != Variation.Status.PROPOSED:
            raise ValidationError(f"This variation is already {variation.get_status_display().lower()}.")
        if not variation.changes.exists():
            raise ValidationError("The variation has no changes to approve.")
        party = party_of(variation.agreement, user)
        if party is None:
            raise ValidationError("Only the agreement's named signatories can decide on a variation.")
        if variation.approvals.filter(party=party).exists():
            raise ValidationError("You have already decided on this variation.")
        if not approve and not reason.strip():
            raise ValidationError({"reason": "Give the reason for rejecting the variation."})
        approval = Approval(
            agreement=variation.agreement, variation=variation, party=party, user=user, reason=reason.strip(),
            decision=Approval.Decision.APPROVED if approve else Approval.Decision.REJECTED,
        )
        approval.full_clean()
        approval.save()
        if not approve:
            variation.status = Variation.Status.REJECTED
            variation.save()
        elif variation.approvals.filter(decision=Approval.Decision.APPROVED).count() == 2:
            variation.status = Variation.Status.APPROVED
            variation.save()
            if variation.effective_date <= today:
                variation_apply(variation_id=variation.pk, user=user)
    return approval


_CASTS = {
    VariationChange.Field.NOTICE_PERIOD: int,
    VariationChange.Field.ANNUAL_COST: lambda v: Decimal(v.replace(",", "").replace("£", "")),
}


def variation_apply(*, variation_id: int, user=None) -> bool:
    """Change the current terms (idempotent: an applied variation is left alone). Returns whether it applied."""
    with transaction.atomic():
        variation = Variation.objects.select_for_update().select_related("agreement").get(pk=variation_id)
        if variation.status != Variation.Status.APPROVED:
            return False
        agreement = variation.agreement
        actor = user or variation.proposed_by
        variation.superseded_version = (
            agreement.versions.order_by("-number").first()
            or version_create(agreement=agreement, user=actor, purpose=AgreementVersion.Purpose.SIGN_OFF)
        )
        for change in variation.changes.select_related("schedule"):
            schedule = change.schedule
            cast = _CASTS.get(change.field, str)
            setattr(schedule, change.field, cast(change.new_value))
            schedule.revision += 1
            schedule.full_clean()
            schedule.save()
        variation.resulting_version = version_create(
            agreement=agreement, user=actor, purpose=AgreementVersion.Purpose.VARIATION
        )
        variation.status = Variation.Status.APPLIED
        variation.applied_at = timezone.now()
        variation.save()
    return True


def apply_due_variations(*, today: dt.date | None = None) -> int:
    """Apply every approved variation whose effective date has come (daily beat task)."""
    today = today or timezone.localdate()
    ids = Variation.objects.filter(status=Variation.Status.APPROVED, effective_date__lte=today).values_list("pk", flat=True)
    return sum(variation_apply(variation_id=pk) for pk in list(ids))


def signatory_candidates():
    """Users who may be named as signatories (everyone with a role)."""
    return get_user_model().objects.filter(profile__isnull=False, is_active=True).order_by("first_name", "last_name")
