"""Writes for drafting, circulating, signing and varying agreements.

Every function is keyword-only, validates with ``full_clean()`` before saving and checks
the state transition it makes. Permission checks are in ``services/rules.py`` and the views.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from agreements import council_templates, notifications, tasks
from agreements.models import (
    Agreement,
    AgreementVersion,
    Approval,
    Comment,
    DraftingStep,
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
from services.periods import Quarter, financial_year_first_day
from services.signing import almo_signers, council_signers

Status = Agreement.Status

AGREEMENT_EDIT_FIELDS = [
    "title",
    "start_date",
    "end_date",
    "notice_alignment",
    "renewal_term_months",
    "max_renewals",
    "return_due_working_days",
    "council_signatory",
    "almo_signatory",
]
SCHEDULE_EDIT_FIELDS = [
    "expected_service_level",
    "reporting_what",
    "reporting_frequency",
    "reporting_to",
    "report_departures",
    "notice_period_months",
    "annual_cost",
    "cost_basis",
    "staff_time_share",
    "legal_notes",
    "commercially_confidential",
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
            field = obj._meta.get_field(name)
            key = field.attname
            if getattr(seen, key, None) != getattr(obj, key, None):
                changes.append(Change(label, _readable(seen, field), _readable(obj, field)))
    who = "Someone"
    if latest is not None and latest.history_user is not None:
        who = latest.history_user.get_full_name() or latest.history_user.username
    return ConcurrentEditError(
        who=who, when=latest.history_date if latest else None, changes=changes, current_revision=obj.revision
    )


def _readable(obj, field) -> str:
    """A field's value as people read it: a person's name (never a user id), a choice label, a date."""
    value = getattr(obj, field.attname, None)
    if value is None or value == "":
        return ""
    if field.is_relation:
        related = getattr(obj, field.name, None)
        if related is None:
            return ""
        return (related.get_full_name() or related.username) if hasattr(related, "get_full_name") else str(related)
    if field.flatchoices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, dt.date):
        return f"{value:%-d %B %Y}"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, Decimal) and field.name == "annual_cost":
        return f"£{value:,.0f}" if value == value.to_integral() else f"£{value:,.2f}"
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    return str(value)


def _require_draft(agreement: Agreement) -> None:
    if agreement.status != Status.DRAFT:
        raise ValidationError(
            f"{agreement.reference} is {agreement.get_status_display().lower()}: only drafts can be edited. "
            "Change an active agreement through a variation."
        )


# --- Drafting ----------------------------------------------------------------------------


DUPLICATE_REFERENCE = "An agreement with this reference already exists."


@transaction.atomic
def agreement_create(*, user, copy_from: Agreement | None = None, **fields) -> Agreement:
    """A new draft, blank or copied (schedules, standards, targets and yearly costs) from another agreement.

    Two people creating the same reference at once: the database's unique constraint refuses the
    second, which gets the same form error as when the reference was already taken.
    """
    agreement = Agreement(coordinator=user, status=Status.DRAFT, **fields)
    if copy_from is not None and not agreement.council_id:
        agreement.council_id = copy_from.council_id
    agreement.full_clean()
    try:
        with transaction.atomic():
            agreement.save()
    except IntegrityError:
        if Agreement.objects.filter(reference=agreement.reference).exists():
            raise ValidationError({"reference": DUPLICATE_REFERENCE}) from None
        raise
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
    successor = source.is_live and source.almo_id == target.almo_id and target.start_date > source.start_date
    for schedule in source.schedules.prefetch_related("standards__targets", "year_costs"):
        copy = Schedule(
            agreement=target,
            service_id=schedule.service_id,
            **{name: getattr(schedule, name) for name in SCHEDULE_EDIT_FIELDS},
        )
        if successor:
            copy.supersedes, copy.supersedes_from = schedule, target.start_date
        copy.full_clean()
        copy.save()
        for cost in schedule.year_costs.all():
            _shift_date(dt.date(cost.financial_year, 4, 1), shift)  # refuses a year out of range
            ScheduleYearCost.objects.create(
                schedule=copy, financial_year=cost.financial_year + shift, amount=cost.amount, note=cost.note
            )
        for standard in schedule.standards.all():
            new = Standard.objects.create(
                schedule=copy,
                kind=standard.kind,
                title=standard.title,
                unit=standard.unit,
                direction=standard.direction,
                amber_tolerance=standard.amber_tolerance,
                deliverable=standard.deliverable,
                position=standard.position,
                due_date=_shift_date(standard.due_date, shift),
            )
            for t in standard.targets.all():
                StandardTarget.objects.create(
                    standard=new, effective_from=_shift_date(t.effective_from, shift), value=t.value
                )


def _shift_date(day: dt.date | None, years: int) -> dt.date | None:
    if day is None or years == 0:
        return day
    year = day.year + years
    if not dt.MINYEAR <= year <= dt.MAXYEAR:
        raise ValidationError(
            {
                "start_date": f"The copied agreement's dates (such as {day:%-d %B %Y}) cannot move to the year {year}: "
                "choose an earlier start date or start from a blank agreement."
            }
        )
    try:
        return day.replace(year=year)
    except ValueError:  # 29 February
        return day.replace(year=year, day=28)


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


def version_create(
    *, agreement: Agreement, user, purpose: str, comment_deadline: dt.date | None = None
) -> AgreementVersion:
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
    with transaction.atomic():
        agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
        _require_draft(agreement)
        if comment_deadline <= timezone.localdate():
            raise ValidationError({"comment_deadline": "The deadline for comments must be in the future."})
        if not agreement.schedules.exists():
            raise ValidationError("Add at least one schedule before circulating the draft.")
        refuse_overlaps(agreement)
        version = version_create(
            agreement=agreement,
            user=user,
            purpose=AgreementVersion.Purpose.CIRCULATED,
            comment_deadline=comment_deadline,
        )
        agreement.status = Status.OUT_FOR_COMMENT
        agreement.save()
        notifications.circulated(version=version)
    return version


@dataclass(frozen=True)
class CommentWindow:
    """Where the last circulated version stands when the coordinator moves on from it."""

    version: AgreementVersion | None
    open: bool
    unanswered: int

    @property
    def needs_reason(self) -> bool:
        return self.open or self.unanswered > 0


def comment_window(*, agreement: Agreement, today: dt.date | None = None) -> CommentWindow:
    """The last circulated version, whether its deadline is still to come, and its unanswered comments."""
    today = today or timezone.localdate()
    version = agreement.versions.filter(purpose=AgreementVersion.Purpose.CIRCULATED).order_by("-number").first()
    if version is None:
        return CommentWindow(None, False, 0)
    unanswered = version.comments.filter(status=Comment.Status.OPEN).count()
    is_open = version.comment_deadline is not None and today <= version.comment_deadline
    return CommentWindow(version, is_open, unanswered)


def _require_reason_to_move_on(window: CommentWindow, reason: str) -> None:
    if window.needs_reason and not reason.strip():
        why = []
        if window.open:
            deadline = window.version.comment_deadline
            why.append(f"commenting on {window.version.label} is open until {deadline:%-d %B %Y}")
        if window.unanswered:
            why.append(f"{window.unanswered} comment{'s' if window.unanswered != 1 else ''} not yet answered")
        raise ValidationError({"reason": f"Give the reason for moving on: {' and '.join(why)}."})


def agreement_start_next_draft(
    *, agreement: Agreement, user, reason: str = "", today: dt.date | None = None
) -> Agreement:
    """Back to draft after circulation (or a sign-off that was not given), so the next version can be made.

    With the comment window still open or comments unanswered, only with a reason; the step is recorded.
    """
    with transaction.atomic():
        agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
        if agreement.status not in (Status.OUT_FOR_COMMENT, Status.AWAITING_SIGNATURE):
            raise ValidationError("Only an agreement out for comment or awaiting sign-off can go back to draft.")
        window = comment_window(agreement=agreement, today=today)
        if agreement.status == Status.OUT_FOR_COMMENT:
            _require_reason_to_move_on(window, reason)
        agreement.status = Status.DRAFT
        agreement.save()
        DraftingStep.objects.create(
            agreement=agreement,
            version=agreement.versions.order_by("-number").first(),
            kind=DraftingStep.Kind.NEXT_DRAFT,
            user=user,
            reason=reason.strip(),
            window_open=window.open,
            unanswered_comments=window.unanswered,
        )
    return agreement


def comment_add(*, version: AgreementVersion, author, body: str, service=None) -> Comment:
    closed = version.commenting_closed_reason(timezone.localdate())
    if closed:
        raise ValidationError(closed)
    if service is not None and service.pk not in {s["service_id"] for s in version.snapshot["schedules"]}:
        raise ValidationError({"service": "This version has no schedule for that service."})
    comment = Comment(version=version, author=author, body=body.strip(), service=service)
    comment.full_clean()
    comment.save()
    notifications.comment_received(comment=comment)
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
    notifications.comment_answered(comment=comment)
    return comment


# --- Sign-off ------------------------------------------------------------------------------


def agreement_send_for_signoff(
    *, agreement: Agreement, user, reason: str = "", today: dt.date | None = None
) -> AgreementVersion:
    """Freeze the draft as the final version for the two signatories.

    With the last circulated version's deadline still to come or its comments unanswered, only
    with a reason; the step is recorded.
    """
    with transaction.atomic():
        agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
        _require_draft(agreement)
        if not agreement.council_signatory_id or not agreement.almo_signatory_id:
            raise ValidationError("Name the council signatory and the ALMO signatory before sending for sign-off.")
        problems = agreement.signatory_errors()
        if problems:
            raise ValidationError(" ".join(problems.values()))
        if not agreement.schedules.exists():
            raise ValidationError("Add at least one schedule before sending for sign-off.")
        refuse_overlaps(agreement)
        window = comment_window(agreement=agreement, today=today)
        _require_reason_to_move_on(window, reason)
        version = version_create(agreement=agreement, user=user, purpose=AgreementVersion.Purpose.SIGN_OFF)
        agreement.status = Status.AWAITING_SIGNATURE
        agreement.save()
        DraftingStep.objects.create(
            agreement=agreement,
            version=version,
            kind=DraftingStep.Kind.SENT_FOR_SIGNOFF,
            user=user,
            reason=reason.strip(),
            window_open=window.open,
            unanswered_comments=window.unanswered,
        )
        notifications.signoff_requested(version=version)
    return version


def party_of(agreement: Agreement, user) -> str | None:
    if user.pk == agreement.council_signatory_id:
        return Approval.Party.COUNCIL
    if user.pk == agreement.almo_signatory_id:
        return Approval.Party.ALMO
    return None


def _signing_party(agreement: Agreement, user) -> str:
    """The party ``user`` signs for, if they are named and still hold the authority (else refused)."""
    party = party_of(agreement, user)
    if party is None:
        raise ValidationError("Only the named signatories can approve or decline.")
    problem = agreement.signatory_errors().get(f"{party}_signatory")
    if problem:
        raise ValidationError(problem)
    return party


def _version_awaiting_signoff(agreement: Agreement, version_number: int | None) -> AgreementVersion:
    """The final version awaiting sign-off, provided it is the one the signatory read."""
    if agreement.status != Status.AWAITING_SIGNATURE:
        raise ValidationError("This agreement is not awaiting sign-off.")
    version = agreement.versions.order_by("-number").first()
    if version is None or version.purpose != AgreementVersion.Purpose.SIGN_OFF:
        raise ValidationError("This agreement has no final version awaiting sign-off.")
    if version_number != version.number:
        seen = f"v{version_number}" if version_number else "an earlier version"
        raise ValidationError(
            f"You were looking at {seen}, but {version.label} is now the version awaiting sign-off. "
            f"Nothing was recorded: read {version.label}, then decide on it."
        )
    return version


def agreement_approve(
    *, agreement: Agreement, user, version_number: int | None, today: dt.date | None = None
) -> Approval:
    """The signatory approves the final version they read (``version_number``); when both have,
    the agreement is agreed (active from its start)."""
    today = today or timezone.localdate()
    with transaction.atomic():
        agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
        version = _version_awaiting_signoff(agreement, version_number)
        party = _signing_party(agreement, user)
        refuse_overlaps(agreement)  # another agreement may have become live since it was sent
        if version.approvals.filter(party=party).exists():
            raise ValidationError(f"The {Approval.Party(party).label.lower()} has already approved {version.label}.")
        approval = Approval(
            agreement=agreement, version=version, party=party, user=user, decision=Approval.Decision.APPROVED
        )
        approval.full_clean()
        approval.save()
        if version.approvals.filter(decision=Approval.Decision.APPROVED).count() == 2:
            agreement.status = Status.ACTIVE if agreement.start_date <= today else Status.AGREED
            agreement.save()
            enqueue_on_commit(tasks.seal_agreed_version, version.pk)
        notifications.approval_given(approval=approval)
    return approval


def agreement_decline(*, agreement: Agreement, user, version_number: int | None, reason: str) -> Approval:
    """A signatory declines the final version they read, with a reason: the agreement goes back to
    draft (recorded as a declined ``Approval``; the coordinator is to be told)."""
    if not reason.strip():
        raise ValidationError({"reason": "Give the reason for declining, so the coordinator knows what to change."})
    with transaction.atomic():
        agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
        version = _version_awaiting_signoff(agreement, version_number)
        party = _signing_party(agreement, user)
        if version.approvals.filter(party=party).exists():
            raise ValidationError(f"The {Approval.Party(party).label.lower()} has already decided on {version.label}.")
        approval = Approval(
            agreement=agreement,
            version=version,
            party=party,
            user=user,
            reason=reason.strip(),
            decision=Approval.Decision.REJECTED,
        )
        approval.full_clean()
        approval.save()
        agreement.status = Status.DRAFT
        agreement.save()
        notifications.declined(approval=approval)
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
                notifications.activated(agreement=agreement)
                count += 1
    return count


# --- Variations ----------------------------------------------------------------------------


def _check_backdating(*, effective_date: dt.date, backdating_reason: str, today: dt.date) -> None:
    quarter = Quarter.containing(today)
    if effective_date < quarter.start and not backdating_reason.strip():
        raise ValidationError(
            {
                "backdating_reason": f"The variation takes effect before the current quarter ({quarter.label} began "
                f"{quarter.start:%-d %B %Y}): give the reason for backdating it."
            }
        )


@transaction.atomic
def variation_propose(
    *,
    agreement: Agreement,
    user,
    reason: str,
    effective_date: dt.date,
    schedule: Schedule | None,
    field: str,
    new_value: str,
    backdating_reason: str = "",
    today: dt.date | None = None,
    **change,
) -> Variation:
    """Propose a variation of a live agreement with its first change.

    The effective date falls within the agreement's term (``Variation.clean``) and not before the
    current quarter unless a reason for backdating is given.
    """
    today = today or timezone.localdate()
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if not agreement.is_live:
        raise ValidationError("Only an agreed or active agreement is changed by a variation; edit the draft instead.")
    number = (agreement.variations.aggregate(n=Max("number"))["n"] or 0) + 1
    variation = Variation(
        agreement=agreement,
        number=number,
        reason=reason.strip(),
        effective_date=effective_date,
        proposed_by=user,
        backdating_reason=backdating_reason.strip(),
    )
    variation.full_clean()
    _check_backdating(effective_date=effective_date, backdating_reason=backdating_reason, today=today)
    variation.save()
    variation_add_change(variation=variation, schedule=schedule, field=field, new_value=new_value, **change)
    variation.refresh_from_db()
    notifications.variation_proposed(variation=variation)
    return variation


def _clear_approvals(variation: Variation, why: str) -> int:
    """Earlier approvals no longer stand; each deletion is kept in the history with ``why``."""
    cleared = 0
    for approval in variation.approvals.all():
        approval._change_reason = why
        approval.delete()
        cleared += 1
    return cleared


def variation_add_change(
    *,
    variation: Variation,
    schedule: Schedule | None,
    field: str,
    new_value: str,
    standard: Standard | None = None,
    service=None,
    added_notice_period_months: int | None = None,
    added_service_level: str = "",
) -> VariationChange:
    """Add a change to a proposed variation (row locked): its revision moves on and approvals already
    given lapse (recorded in the history)."""
    with transaction.atomic():
        variation = Variation.objects.select_for_update().get(pk=variation.pk)
        if variation.status != Variation.Status.PROPOSED:
            raise ValidationError("Only a proposed variation can be changed.")
        old_value = ""
        if field == VariationChange.Field.ADD_SERVICE:
            schedule = None
        elif field == VariationChange.Field.TARGET:
            old = standard.target_on(variation.effective_date) if standard is not None else None
            old_value = "" if old is None else f"{old.value.normalize():f}"
        elif field == VariationChange.Field.REMOVE_SERVICE:
            old_value = str(schedule.annual_cost) if schedule is not None else ""
            new_value = "removed"
        elif schedule is not None:
            old_value = str(getattr(schedule, field))
        change = VariationChange(
            variation=variation,
            schedule=schedule,
            field=field,
            standard=standard,
            old_value=old_value,
            new_value=str(new_value).strip(),
            service=service if field == VariationChange.Field.ADD_SERVICE else None,
            added_notice_period_months=added_notice_period_months,
            added_service_level=(added_service_level or "").strip(),
        )
        change.full_clean()
        change.save()
        cleared = _clear_approvals(
            variation, f"Cleared: a change was added to variation {variation.number} after approval."
        )
        variation.revision += 1
        if cleared:
            variation._change_reason = f"{cleared} approval{'s' if cleared != 1 else ''} cleared by a new change."
        variation.save()
    return change


def variation_decide(
    *, variation: Variation, user, approve: bool, revision: int | None, reason: str = "", today: dt.date | None = None
) -> Approval:
    """A signatory approves or rejects the revision of a variation they read; once both approve it
    applies from its effective date. The variation row is locked while the decision is recorded."""
    today = today or timezone.localdate()
    with transaction.atomic():
        variation = Variation.objects.select_for_update().select_related("agreement").get(pk=variation.pk)
        if variation.status != Variation.Status.PROPOSED:
            raise ValidationError(f"This variation is already {variation.get_status_display().lower()}.")
        if revision != variation.revision:
            raise ValidationError(
                "The variation changed after you opened it (a change was added or removed). Nothing was recorded: "
                "read the changes again, then decide."
            )
        if not variation.changes.exists():
            raise ValidationError("The variation has no changes to approve.")
        party = _signing_party(variation.agreement, user)
        if variation.approvals.filter(party=party).exists():
            raise ValidationError("You have already decided on this variation.")
        if not approve and not reason.strip():
            raise ValidationError({"reason": "Give the reason for rejecting the variation."})
        approval = Approval(
            agreement=variation.agreement,
            variation=variation,
            party=party,
            user=user,
            reason=reason.strip(),
            decision=Approval.Decision.APPROVED if approve else Approval.Decision.REJECTED,
        )
        approval.full_clean()
        approval.save()
        if not approve:
            variation.status = Variation.Status.REJECTED
            variation.save()
        elif _fully_approved(variation):
            variation.status = Variation.Status.APPROVED
            variation.save()
            if variation.effective_date <= today:
                variation_apply(variation_id=variation.pk, user=user)
                variation.refresh_from_db()
        notifications.variation_decided(variation=variation, approval=approval)
    return approval


def variation_withdraw(*, variation: Variation, user, reason: str) -> Variation:
    """The coordinator withdraws a proposal not yet in force, with a reason (kept, never deleted)."""
    if not reason.strip():
        raise ValidationError({"reason": "Give the reason for withdrawing the variation."})
    with transaction.atomic():
        variation = Variation.objects.select_for_update().get(pk=variation.pk)
        if variation.status not in (Variation.Status.PROPOSED, Variation.Status.APPROVED):
            raise ValidationError(
                f"Variation {variation.number} is {variation.get_status_display().lower()}: "
                "it can no longer be withdrawn."
            )
        variation.status = Variation.Status.WITHDRAWN
        variation.withdrawn_by = user
        variation.withdrawn_at = timezone.now()
        variation.withdrawal_reason = reason.strip()
        variation.revision += 1
        variation.save()
        notifications.variation_withdrawn(variation=variation, user=user, reason=variation.withdrawal_reason)
    return variation


def _fully_approved(variation: Variation) -> bool:
    parties = set(variation.approvals.filter(decision=Approval.Decision.APPROVED).values_list("party", flat=True))
    return parties == {Approval.Party.COUNCIL, Approval.Party.ALMO}


_CASTS = {
    VariationChange.Field.NOTICE_PERIOD: int,
    VariationChange.Field.ANNUAL_COST: lambda v: Decimal(v.replace(",", "").replace("£", "")),
}


def variation_apply(*, variation_id: int, user=None) -> bool:
    """Change the current terms (idempotent: an applied variation is left alone). Returns whether it applied.

    Never without both signatories' approval of the variation as it stands (checked under the row lock).
    """
    with transaction.atomic():
        variation = Variation.objects.select_for_update().select_related("agreement").get(pk=variation_id)
        if variation.status != Variation.Status.APPROVED:
            return False
        if not _fully_approved(variation):
            variation.status = Variation.Status.PROPOSED
            variation._change_reason = "Back to proposed: it no longer had both signatories' approval."
            variation.save()
            return False
        agreement = variation.agreement
        actor = user or variation.proposed_by
        variation.superseded_version = agreement.versions.order_by("-number").first() or version_create(
            agreement=agreement, user=actor, purpose=AgreementVersion.Purpose.SIGN_OFF
        )
        for change in variation.changes.select_related("schedule", "standard", "service"):
            if change.field == VariationChange.Field.TARGET:
                _apply_target(change, variation.effective_date)
                continue
            if change.field == VariationChange.Field.ADD_SERVICE:
                _apply_added_service(change, agreement, variation.effective_date)
                continue
            if change.field == VariationChange.Field.REMOVE_SERVICE:
                schedule = change.schedule
                schedule.ends_on = variation.effective_date - dt.timedelta(days=1)
                schedule.revision += 1
                schedule.save()
                continue
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
        notifications.variation_applied(variation=variation)
    return True


def _apply_added_service(change: VariationChange, agreement: Agreement, effective_date: dt.date) -> Schedule:
    """A new schedule in the live agreement, paid for from the variation's effective date."""
    schedule = Schedule(
        agreement=agreement,
        service=change.service,
        expected_service_level=change.added_service_level,
        notice_period_months=change.added_notice_period_months,
        annual_cost=Decimal(change.new_value),
        starts_on=effective_date,
    )
    schedule.full_clean()
    schedule.save()
    change.schedule = schedule
    change.save(update_fields=["schedule"])
    return schedule


def _apply_target(change: VariationChange, effective_date: dt.date) -> None:
    """A new target from the variation's effective date; quarters before it keep the old target."""
    target, _ = StandardTarget.objects.get_or_create(
        standard=change.standard, effective_from=effective_date, defaults={"value": Decimal(change.new_value)}
    )
    target.value = Decimal(change.new_value)
    target.full_clean()
    target.save()


def apply_due_variations(*, today: dt.date | None = None) -> int:
    """Apply every approved variation whose effective date has come (daily beat task)."""
    today = today or timezone.localdate()
    ids = Variation.objects.filter(status=Variation.Status.APPROVED, effective_date__lte=today).values_list(
        "pk", flat=True
    )
    return sum(variation_apply(variation_id=pk) for pk in list(ids))


def signatory_choices(*, council_ids, almo_ids, coordinator) -> tuple:
    """Who may be named council signatory and ALMO signatory: holders of that signing authority
    (``services.signing``), never the coordinator drafting the agreement. ``Agreement.clean``
    checks the pair against the agreement's own council and ALMO."""
    exclude = coordinator.pk if coordinator is not None else None
    order = ("first_name", "last_name", "username")
    council = council_signers(council_ids=council_ids).exclude(pk=exclude).order_by(*order)
    almo = almo_signers(almo_ids=almo_ids).exclude(pk=exclude).order_by(*order)
    return council, almo
