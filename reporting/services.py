"""Writes for quarterly returns: opening a quarter, filling, submitting, reviewing, evidence and reminders.

Every status change goes through one function here, which checks the change is allowed
and records a ``ReturnEvent``.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import unicodedata
import uuid
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from agreements.models import Agreement, Schedule, Standard
from reporting import notifications
from reporting.cases.services import cases_sync
from reporting.models import Departure, Evidence, QuarterlyReturn, ReturnEvent, ReturnReminder, StandardResult
from services.models import Profile
from services.periods import Quarter, add_working_days

logger = logging.getLogger(__name__)

Status = QuarterlyReturn.Status
ALREADY_IN = (Status.SUBMITTED, Status.ACCEPTED)


class ReturnAlreadySubmitted(ValidationError):
    """The return was already submitted (or accepted) when this submission took its lock."""

    def __init__(self, quarterly_return: QuarterlyReturn):
        super().__init__(f"This {quarterly_return.period.label} return has already been submitted.")
        self.quarterly_return = quarterly_return


# --- Opening a quarter ------------------------------------------------------------------


def reported_in(frequency: str, quarter: Quarter) -> bool:
    """Monthly and quarterly figures are reported every quarter; annual ones with the year's last quarter."""
    if frequency == Schedule.Frequency.ANNUAL:
        return quarter.number == 4
    return True


def returns_open(*, quarter: Quarter, agreement: Agreement | None = None, by=None) -> int:
    """Create the quarter's returns (and a result row per standard due) for active agreements.

    Idempotent: returns and results that already exist are left alone, missing ones are
    added. Returns how many returns were created.
    """
    agreements = Agreement.objects.filter(status=Agreement.Status.ACTIVE, start_date__lte=quarter.end)
    if agreement is not None:
        agreements = agreements.filter(pk=agreement.pk)
    created = 0
    for agr in agreements.prefetch_related("schedules__service", "schedules__standards__targets"):
        if agr.end_date and agr.end_date < quarter.start:
            continue
        by_department: dict[int, list[Standard]] = {}
        for schedule in agr.schedules.all():
            if reported_in(schedule.reporting_frequency, quarter):
                by_department.setdefault(schedule.service.department_id, []).extend(schedule.standards.all())
        for department_id, standards in by_department.items():
            with transaction.atomic():
                ret, was_created = QuarterlyReturn.objects.get_or_create(
                    agreement=agr,
                    department_id=department_id,
                    financial_year=quarter.year,
                    quarter=quarter.number,
                    defaults={"due_date": add_working_days(quarter.end, agr.return_due_working_days)},
                )
                if was_created:
                    created += 1
                    ReturnEvent.objects.create(
                        quarterly_return=ret, to_status=Status.DRAFT, by=by, comment="Quarter opened"
                    )
                    notifications.return_opened(quarterly_return=ret)
                _add_missing_results(ret, standards, quarter)
    return created


def milestones_met_before(*, standard_ids, quarter: Quarter) -> set[int]:
    """Milestones among ``standard_ids`` recorded as met in an accepted return for an earlier
    quarter: a milestone once delivered and accepted is not asked for again."""
    earlier = Q(quarterly_return__financial_year__lt=quarter.year) | Q(
        quarterly_return__financial_year=quarter.year, quarterly_return__quarter__lt=quarter.number
    )
    return set(
        StandardResult.objects.filter(
            earlier,
            standard_id__in=list(standard_ids),
            standard__kind=Standard.Kind.MILESTONE,
            milestone_outcome=StandardResult.MilestoneOutcome.MET,
            quarterly_return__status=Status.ACCEPTED,
        ).values_list("standard_id", flat=True)
    )


def _add_missing_results(ret: QuarterlyReturn, standards: list[Standard], quarter: Quarter) -> None:
    have = set(ret.results.values_list("standard_id", flat=True))
    already_met = milestones_met_before(
        standard_ids=[s.pk for s in standards if s.kind == Standard.Kind.MILESTONE], quarter=quarter
    )
    for standard in standards:
        if standard.pk in have or standard.pk in already_met:
            continue
        target = standard.target_on(quarter.end) if standard.kind == Standard.Kind.MEASURED else None
        StandardResult.objects.create(
            quarterly_return=ret, standard=standard, target_value=target.value if target else None
        )


def return_results_ensure(*, quarterly_return: QuarterlyReturn) -> None:
    """Give a return a result row for every standard due from its department (returns opened before any existed)."""
    quarter = quarterly_return.period
    schedules = Schedule.objects.filter(
        agreement_id=quarterly_return.agreement_id, service__department_id=quarterly_return.department_id
    ).prefetch_related("standards__targets")
    standards = [st for s in schedules if reported_in(s.reporting_frequency, quarter) for st in s.standards.all()]
    with transaction.atomic():
        _add_missing_results(quarterly_return, standards, quarter)


# --- Filling --------------------------------------------------------------------------------


def _check_editable(quarterly_return: QuarterlyReturn) -> None:
    if not quarterly_return.is_editable:
        raise ValidationError(
            f"This return is {quarterly_return.get_status_display().lower()}: it can no longer be changed."
        )


def return_save(*, quarterly_return: QuarterlyReturn, user, results: list[StandardResult]) -> None:
    """Save the department's figures as a draft; each result's RAG is worked out from its target."""
    with transaction.atomic():
        _check_editable(QuarterlyReturn.objects.select_for_update().get(pk=quarterly_return.pk))
        for result in results:
            if result.quarterly_return_id != quarterly_return.pk:
                raise PermissionDenied
            result.full_clean()
            result.rag = result.compute_rag()
            result.save()
        quarterly_return.save(update_fields=["updated_at"])


def departure_save(*, departure: Departure, user) -> Departure:
    """Add or change a departure from standard on a return that can still be changed."""
    _check_editable(QuarterlyReturn.objects.get(pk=departure.result.quarterly_return_id))
    departure.full_clean()
    stored = (
        Departure.objects.filter(pk=departure.pk).values_list("target_date", flat=True).first()
        if departure.pk
        else None
    )
    today = timezone.localdate()
    if departure.target_date != stored and departure.target_date < today:
        raise ValidationError(
            {"target_date": f"The remedial action target date must be today ({today:%-d %B %Y}) or later."}
        )
    departure.save()
    return departure


def departure_resolve(*, departure: Departure, user, resolved_on: dt.date) -> Departure:
    """Record that a remedial action is done: open actions stay open across quarters until this."""
    if departure.resolved:
        raise ValidationError("This departure is already resolved.")
    departure.resolved, departure.resolved_on = True, resolved_on
    departure.full_clean()
    departure.save(update_fields=["resolved", "resolved_on"])
    return departure


def submission_problems(quarterly_return: QuarterlyReturn) -> list[str]:
    """What stops the return being submitted: missing figures, and missed standards with no departure."""
    problems = []
    results = quarterly_return.results.select_related("standard").prefetch_related("departures")
    if not results:
        problems.append("Enter this quarter’s figures first.")
    for result in results:
        standard = result.standard
        if standard.kind == Standard.Kind.MEASURED and result.actual is None:
            problems.append(f"Enter the actual figure for {standard.title}.")
        elif (
            standard.kind == Standard.Kind.MILESTONE
            and not result.milestone_outcome
            and standard.due_date <= quarterly_return.period.end
        ):
            problems.append(f"Say whether the milestone “{standard.title}” was met.")
        if result.compute_rag() in ("red", "amber") and not result.departures.all():
            problems.append(f"“{standard.title}” missed its target: add a departure from standard explaining it.")
    return problems


def _transition(quarterly_return: QuarterlyReturn, *, to: str, user, comment: str = "") -> None:
    ReturnEvent.objects.create(
        quarterly_return=quarterly_return, from_status=quarterly_return.status, to_status=to, by=user, comment=comment
    )
    quarterly_return.status = to


def _lock_return(pk: int) -> QuarterlyReturn:
    """The return's row, locked until the end of the transaction (a no-op on SQLite, whose writes are serial)."""
    return QuarterlyReturn.objects.select_for_update().get(pk=pk)


def return_submit(*, quarterly_return: QuarterlyReturn, user) -> QuarterlyReturn:
    """Submit (or resubmit) a return: locks it until the coordinator sends it back.

    The status is read under the row lock, so of two submissions at once (a double click, two
    tabs) the second waits for the first and raises ``ReturnAlreadySubmitted``, whatever the
    status of the copy the caller loaded earlier.
    """
    with transaction.atomic():
        ret = _lock_return(quarterly_return.pk)
        if ret.status in ALREADY_IN:
            raise ReturnAlreadySubmitted(ret)
        _check_editable(ret)
        problems = submission_problems(ret)
        if problems:
            raise ValidationError(problems)
        for result in ret.results.select_related("standard"):
            rag = result.compute_rag()
            if rag != result.rag:
                result.rag = rag
                result.save(update_fields=["rag"])
        _transition(ret, to=Status.SUBMITTED, user=user)
        ret.submitted_at, ret.submitted_by = timezone.now(), user
        if ret.events.filter(to_status=Status.SUBMITTED).count() > 1:
            ret.revision += 1
        # a resubmitted return waits for a new review: the last one stays in its history (events)
        ret.reviewed_at, ret.reviewed_by, ret.review_comment = None, None, ""
        ret.save()
        notifications.return_submitted(quarterly_return=ret, user=user)
    quarterly_return.refresh_from_db()
    return ret


def _check_submitted(ret: QuarterlyReturn) -> None:
    if ret.status != Status.SUBMITTED:
        raise ValidationError(
            f"Only a submitted return can be reviewed; this one is {ret.get_status_display().lower()}."
        )


def return_accept(*, quarterly_return: QuarterlyReturn, user, comment: str = "") -> QuarterlyReturn:
    with transaction.atomic():
        ret = QuarterlyReturn.objects.select_for_update().get(pk=quarterly_return.pk)
        _check_submitted(ret)
        _transition(ret, to=Status.ACCEPTED, user=user, comment=comment)
        ret.reviewed_at, ret.reviewed_by, ret.review_comment = timezone.now(), user, comment
        ret.save()
        notifications.return_accepted(quarterly_return=ret, user=user)
        _drop_met_milestones_from_later_returns(ret)
        # an accepted figure can make a standard red two quarters running (or green long enough to recover)
        cases_sync(agreement=ret.agreement, quarter=ret.period)
    quarterly_return.refresh_from_db()
    return ret


def _drop_met_milestones_from_later_returns(ret: QuarterlyReturn) -> None:
    """Once a return reporting a milestone as met is accepted, later returns still being filled
    stop asking for it (rows nobody has started: no outcome, date, commentary or departure)."""
    met = ret.results.filter(
        standard__kind=Standard.Kind.MILESTONE, milestone_outcome=StandardResult.MilestoneOutcome.MET
    ).values_list("standard_id", flat=True)
    later = Q(quarterly_return__financial_year__gt=ret.financial_year) | Q(
        quarterly_return__financial_year=ret.financial_year, quarterly_return__quarter__gt=ret.quarter
    )
    StandardResult.objects.filter(
        later,
        standard_id__in=list(met),
        quarterly_return__status__in=QuarterlyReturn.EDITABLE_STATUSES,
        milestone_outcome="",
        delivered_on__isnull=True,
        commentary="",
        departures__isnull=True,
    ).delete()


def return_send_back(*, quarterly_return: QuarterlyReturn, user, comment: str) -> QuarterlyReturn:
    """Query a submitted return back to the department, saying what needs answering."""
    if not comment.strip():
        raise ValidationError({"comment": "Say what the department needs to explain or correct."})
    with transaction.atomic():
        ret = QuarterlyReturn.objects.select_for_update().get(pk=quarterly_return.pk)
        _check_submitted(ret)
        _transition(ret, to=Status.SENT_BACK, user=user, comment=comment)
        ret.reviewed_at, ret.reviewed_by, ret.review_comment = timezone.now(), user, comment
        ret.save()
        notifications.return_sent_back(quarterly_return=ret, user=user)
        # a figure no longer accepted can change what is red two quarters running
        cases_sync(agreement=ret.agreement, quarter=ret.period)
    quarterly_return.refresh_from_db()
    return ret


# --- Evidence ------------------------------------------------------------------------------

# MIME type by extension; the content must match (checked by its magic bytes with ``filetype``).
ALLOWED_EVIDENCE = {
    "pdf": "application/pdf",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xls": "application/vnd.ms-excel",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt": "application/vnd.ms-powerpoint",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "csv": "text/csv",
}
_OLE_EXTENSIONS = {"doc", "xls", "ppt"}  # old Office formats share one container signature


def evidence_max_bytes() -> int:
    return getattr(settings, "EVIDENCE_MAX_BYTES", 10 * 1024 * 1024)


def sanitise_filename(name: str) -> str:
    """A safe display name: no path, no control or odd characters, at most 150 characters."""
    name = unicodedata.normalize("NFKC", name).replace("\\", "/").rsplit("/", 1)[-1]
    name = re.sub(r"[^\w.\- ()]+", "_", name).strip(" ._") or "evidence"
    if len(name) > 150:
        stem, _, ext = name.rpartition(".")
        name = f"{stem[: 140 - len(ext)]}.{ext}" if stem else name[:150]
    return name


def evidence_content_type(*, name: str, content: bytes) -> str:
    """The MIME type of an allowed evidence file, or ValidationError saying why it is refused."""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    allowed = ", ".join(sorted({e.upper() for e in ALLOWED_EVIDENCE} - {"JPEG"}))
    if ext not in ALLOWED_EVIDENCE:
        raise ValidationError(f"The file must be a PDF, an Office document, an image or a CSV file ({allowed}).")
    if ext == "csv":
        if b"\x00" in content[:4096] or filetype.guess(content) is not None:
            raise ValidationError("The file is named .csv but is not a text CSV file.")
        try:
            content[:4096].decode("utf-8")
        except UnicodeDecodeError:
            try:
                content[:4096].decode("cp1252")
            except UnicodeDecodeError as exc:
                raise ValidationError("The file is named .csv but is not a text CSV file.") from exc
        return ALLOWED_EVIDENCE["csv"]
    kind = filetype.guess(content)
    detected = kind.mime if kind else None
    expected = ALLOWED_EVIDENCE[ext]
    if ext in _OLE_EXTENSIONS:
        ok = (
            detected in {ALLOWED_EVIDENCE[e] for e in _OLE_EXTENSIONS}
            or content[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        )
    else:
        ok = detected == expected
    if not ok:
        raise ValidationError(f"The file’s content is not a {ext.upper()} file, whatever its name says.")
    return expected


def evidence_add(*, quarterly_return: QuarterlyReturn, user, upload) -> Evidence:
    """Check and store an evidence file under a server-generated name."""
    _check_editable(QuarterlyReturn.objects.get(pk=quarterly_return.pk))
    if upload.size > evidence_max_bytes():
        raise ValidationError(f"The file must be smaller than {evidence_max_bytes() // (1024 * 1024)} MB.")
    if upload.size == 0:
        raise ValidationError("The file is empty.")
    content = upload.read()
    original = sanitise_filename(upload.name)
    content_type = evidence_content_type(name=original, content=content)
    ext = original.rsplit(".", 1)[-1].lower()
    evidence = Evidence(
        quarterly_return=quarterly_return,
        stored_name=f"{uuid.uuid4().hex}.{ext}",
        original_name=original,
        content_type=content_type,
        size=len(content),
        uploaded_by=user,
    )
    evidence.file.save(evidence.stored_name, ContentFile(content), save=False)
    evidence.save()
    return evidence


def evidence_delete(*, evidence: Evidence, user) -> None:
    _check_editable(evidence.quarterly_return)
    evidence.file.delete(save=False)
    evidence.delete()


# --- Reminders ---------------------------------------------------------------------------------

REMIND_WORKING_DAYS_BEFORE = 5


@dataclass
class ReminderRun:
    before_due: int = 0
    overdue: int = 0


def reminder_recipients(ret: QuarterlyReturn) -> list[str]:
    officers = (
        Profile.objects.filter(role=Profile.Role.DEPARTMENT_OFFICER, department_id=ret.department_id)
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )
    return sorted(set(officers))


def reminders_due(*, today: dt.date):
    """Unsubmitted returns of active agreements, with the kind of reminder each is due (if any)."""
    returns = QuarterlyReturn.objects.filter(
        status__in=QuarterlyReturn.EDITABLE_STATUSES, agreement__status=Agreement.Status.ACTIVE
    ).select_related("agreement", "agreement__coordinator", "department")
    for ret in returns:
        if today > ret.due_date:
            yield ret, ReturnReminder.Kind.OVERDUE
        elif today >= add_working_days(ret.due_date, -REMIND_WORKING_DAYS_BEFORE):
            yield ret, ReturnReminder.Kind.BEFORE_DUE


def reminders_already_sent() -> set[tuple[int, str]]:
    return set(ReturnReminder.objects.values_list("quarterly_return_id", "kind"))


def reminder_send(*, return_id: int, kind: str) -> bool:
    """Send one reminder, once: the ReturnReminder row is claimed before the e-mails are recorded
    (``reporting.notifications.return_due_reminder``; sent after commit).

    Returns False when it was already sent (or claimed by another worker).
    """
    try:
        with transaction.atomic():
            reminder = ReturnReminder.objects.create(quarterly_return_id=return_id, kind=kind)
    except IntegrityError:
        return False
    ret = QuarterlyReturn.objects.select_related("agreement", "agreement__coordinator", "department").get(pk=return_id)
    with transaction.atomic():
        # sent by the notification framework after commit, each person once (their choice: now or in the digest)
        told = notifications.return_due_reminder(quarterly_return=ret, overdue=kind == ReturnReminder.Kind.OVERDUE)
        reminder.sent_at = timezone.now()
        reminder.recipients = "\n".join(sorted(u.email for u in told if u.email))
        reminder.save(update_fields=["sent_at", "recipients"])
    return True


def return_remind(*, quarterly_return: QuarterlyReturn, user, today: dt.date | None = None) -> ReturnReminder:
    """A coordinator's "send a reminder now" about an overdue return: recorded, at most once a day.

    The department's officers are told through the notification framework (sent after commit).
    """
    today = today or timezone.localdate()
    ret = QuarterlyReturn.objects.select_related("agreement", "department").get(pk=quarterly_return.pk)
    if ret.progress(today) != QuarterlyReturn.Progress.OVERDUE:
        raise ValidationError("Only an overdue return that has not been submitted can be chased.")
    recipients = reminder_recipients(ret)
    if not recipients:
        raise ValidationError(f"{ret.department} has no officer with an e-mail address to remind.")
    try:
        with transaction.atomic():
            reminder = ReturnReminder.objects.create(
                quarterly_return=ret,
                kind=ReturnReminder.Kind.MANUAL,
                sent_on=today,
                requested_by=user,
                sent_at=timezone.now(),
                recipients="\n".join(recipients),
            )
            notifications.return_reminder(quarterly_return=ret, user=user, day=today)
    except IntegrityError:
        raise ValidationError("A reminder about this return has already been sent today.") from None
    return reminder


def remedial_actions_overdue_notify(*, today: dt.date | None = None) -> int:
    """Daily: tell the department and the coordinator of each open remedial action past its target
    date, once per target date. Returns how many e-mails were recorded."""
    today = today or timezone.localdate()
    departures = (
        Departure.objects.filter(
            resolved=False,
            target_date__lt=today,
            result__quarterly_return__agreement__status__in=Agreement.REPORTABLE_STATUSES,
        )
        .select_related(
            "result__standard", "result__quarterly_return__agreement", "result__quarterly_return__department"
        )
        .order_by("pk")
    )
    return sum(notifications.remedial_action_overdue(departure=d, today=today) for d in departures)
