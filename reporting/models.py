"""Quarterly returns: each council department's report, per agreement and quarter, of its
performance against every standard, and every departure from standard.

Statuses users see ("not yet due", "due", "overdue") are derived from the due date while a
return is a draft; the stored status moves draft → submitted → accepted, or back to
sent back (queried) and resubmitted. Every change is a ``ReturnEvent``.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from agreements.models import Agreement, Standard
from reporting.rag import MilestoneOutcome, Rag, rag_for
from services.models import Department
from services.periods import Quarter
from services.text import long_text


class QuarterlyReturnQuerySet(models.QuerySet):
    def editable(self):
        return self.filter(status__in=QuarterlyReturn.EDITABLE_STATUSES)

    def submitted_late(self):
        """Submitted after the due date, by the local date (``__date`` uses the current time zone,
        Europe/London): the same rule as ``QuarterlyReturn.is_late``, in SQL."""
        return self.filter(submitted_at__isnull=False, submitted_at__date__gt=models.F("due_date"))

    def overdue(self, today: dt.date):
        """Not submitted and past the due date: the same rule as ``progress() == OVERDUE``, in SQL."""
        return self.filter(status=QuarterlyReturn.Status.DRAFT, due_date__lt=today)


class QuarterlyReturn(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        SENT_BACK = "sent_back", "Sent back"
        ACCEPTED = "accepted", "Accepted"

    # The one home of the status sets: a department fills in (and resubmits) only these.
    EDITABLE_STATUSES = (Status.DRAFT, Status.SENT_BACK)

    class Progress(models.TextChoices):
        """What users see: the stored status, or for an unsubmitted return where it stands against its dates."""

        NOT_YET_DUE = "not_yet_due", "Not yet due"
        DUE = "due", "Due"
        OVERDUE = "overdue", "Overdue"
        SUBMITTED = "submitted", "Submitted"
        SENT_BACK = "sent_back", "Sent back"
        ACCEPTED = "accepted", "Accepted"

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="returns")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="returns")
    financial_year = models.PositiveSmallIntegerField(help_text="The calendar year the financial year starts in.")
    quarter = models.PositiveSmallIntegerField(choices=[(n, f"Q{n}") for n in range(1, 5)])
    due_date = models.DateField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    review_comment = long_text(blank=True)
    revision = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = QuarterlyReturnQuerySet.as_manager()

    class Meta:
        ordering = ["-financial_year", "-quarter", "department__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "department", "financial_year", "quarter"], name="return_one_per_quarter"
            ),
        ]
        indexes = [models.Index(fields=["status", "due_date"])]

    def __str__(self):
        return f"{self.department} return for {self.period.label} ({self.agreement.reference})"

    def get_absolute_url(self):
        return reverse("reporting:return_detail", args=[self.pk])

    @property
    def period(self) -> Quarter:
        return Quarter(self.financial_year, self.quarter)

    def progress(self, today: dt.date) -> str:
        if self.status != self.Status.DRAFT:
            return self.Progress(self.status)
        if today <= self.period.end:
            return self.Progress.NOT_YET_DUE
        if today <= self.due_date:
            return self.Progress.DUE
        return self.Progress.OVERDUE

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE_STATUSES

    @property
    def submitted_on(self) -> dt.date | None:
        """The day it was submitted, in local (Europe/London) time: 00:30 BST on 22 July is 22 July."""
        return timezone.localdate(self.submitted_at) if self.submitted_at else None

    def is_late(self, today: dt.date) -> bool:
        """Submitted after its due date (by the local date), or still not submitted after it.

        The one definition of "late": lists, the return page, the dashboard and the pack ask it.
        ``today`` is the local date (``timezone.localdate()``).
        """
        if self.submitted_at:
            return self.submitted_on > self.due_date
        return today > self.due_date


class StandardResult(models.Model):
    """A department's figure (or milestone outcome) for one standard in one quarter."""

    MilestoneOutcome = MilestoneOutcome

    quarterly_return = models.ForeignKey(QuarterlyReturn, on_delete=models.CASCADE, related_name="results")
    standard = models.ForeignKey(Standard, on_delete=models.PROTECT, related_name="results")
    target_value = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="The target in force at the end of the quarter, kept so later target changes do not rewrite history.",
    )
    actual = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    milestone_outcome = models.CharField(max_length=10, choices=MilestoneOutcome.choices, blank=True)
    delivered_on = models.DateField(null=True, blank=True)
    commentary = long_text(blank=True)
    rag = models.CharField(max_length=10, choices=Rag.choices, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["standard__schedule__service__name", "standard__position", "standard_id"]
        constraints = [
            models.UniqueConstraint(fields=["quarterly_return", "standard"], name="result_one_per_standard"),
        ]

    def __str__(self):
        return f"{self.standard}: {self.actual if self.actual is not None else self.milestone_outcome}"

    def clean(self):
        if self.standard_id is None:
            return
        if self.standard.kind == Standard.Kind.MEASURED and self.milestone_outcome:
            raise ValidationError({"milestone_outcome": "A measured standard takes a figure, not met / not met."})
        if self.standard.kind == Standard.Kind.MILESTONE and self.actual is not None:
            raise ValidationError({"actual": "A milestone takes met / not met, not a figure."})
        if self.actual is not None and self.actual < 0:
            raise ValidationError({"actual": "The figure cannot be negative."})
        if self.standard.unit == Standard.Unit.PERCENT and self.actual is not None and self.actual > 100:
            raise ValidationError({"actual": "A percentage cannot be more than 100."})
        if self.delivered_on and self.quarterly_return_id:
            quarter_end = self.quarterly_return.period.end
            if self.delivered_on > quarter_end:
                raise ValidationError(
                    {
                        "delivered_on": f"The date delivered must be on or before the quarter ends ({quarter_end:%-d %B %Y})."  # noqa: E501
                    }
                )

    def compute_rag(self) -> str:
        return rag_for(self.standard, self.target_value, self.actual, self.milestone_outcome, self.delivered_on)


class Departure(models.Model):
    """A departure from standard, with its reason and remedial action. Stays open until resolved."""

    result = models.ForeignKey(StandardResult, on_delete=models.CASCADE, related_name="departures")
    what_happened = long_text()
    cases = models.PositiveIntegerField("number of cases", default=1)
    reason = long_text()
    remedial_action = long_text()
    owner = models.CharField("action owner", max_length=200)
    target_date = models.DateField("remedial action target date")
    resolved = models.BooleanField(default=False)
    resolved_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["resolved", "target_date", "pk"]

    def __str__(self):
        return f"Departure: {self.what_happened[:60]}"

    def clean(self):
        if self.resolved and not self.resolved_on:
            raise ValidationError({"resolved_on": "Enter the date the departure was resolved."})
        if self.resolved_on and not self.resolved:
            raise ValidationError({"resolved": "Tick resolved, or clear the resolved date."})


def evidence_path(instance: Evidence, filename: str) -> str:
    return f"evidence/{instance.quarterly_return_id}/{instance.stored_name}"


class Evidence(models.Model):
    """A file attached to a return. Stored under a server-generated name, served only through a checked view."""

    quarterly_return = models.ForeignKey(QuarterlyReturn, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to=evidence_path, max_length=300)
    stored_name = models.CharField(max_length=100, editable=False)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at"]
        verbose_name_plural = "evidence"

    def __str__(self):
        return self.original_name


class ReturnEvent(models.Model):
    """A change of a return's status: who, when, from what to what, and why."""

    quarterly_return = models.ForeignKey(QuarterlyReturn, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    comment = long_text(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.from_status or 'created'} → {self.to_status}"


# ---------------------------------------------------------------------------
# Quarterly returns: reminders (issue 4)
# ---------------------------------------------------------------------------


class ReturnReminder(models.Model):
    """A reminder e-mail about a return, recorded so that each kind is sent once only."""

    class Kind(models.TextChoices):
        BEFORE_DUE = "before_due", "Due soon"
        OVERDUE = "overdue", "Overdue"
        MANUAL = "manual", "Sent now by a coordinator"

    quarterly_return = models.ForeignKey(QuarterlyReturn, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    sent_at = models.DateTimeField(null=True, blank=True)
    recipients = models.TextField(blank=True, help_text="The addresses the reminder went to, one a line.")
    sent_on = models.DateField(null=True, blank=True, help_text="For a reminder sent now: the local date (one a day).")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["quarterly_return", "kind"], condition=~models.Q(kind="manual"), name="reminder_once_per_kind"
            ),
            models.UniqueConstraint(
                fields=["quarterly_return", "sent_on"],
                condition=models.Q(kind="manual"),
                name="manual_reminder_once_a_day",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} reminder for {self.quarterly_return_id}"


# ---------------------------------------------------------------------------------------
# Board packs: the quarterly PDF for an ALMO's boards (issue 5). Rendered by Celery
# workers (reporting/tasks.py) through reporting/packs/; every generation is kept.
# ---------------------------------------------------------------------------------------


def board_pack_path(instance: BoardPack, filename: str) -> str:
    return f"board_packs/{instance.almo_id}/{instance.period.slug}/{filename}"


class BoardPack(models.Model):
    """One generation of an ALMO's quarterly board pack, with who asked for it and how it went."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RENDERING = "rendering", "Rendering"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    almo = models.ForeignKey("services.Almo", on_delete=models.PROTECT, related_name="board_packs", verbose_name="ALMO")
    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="board_packs")
    financial_year = models.PositiveSmallIntegerField(help_text="The calendar year the financial year starts in.")
    quarter = models.PositiveSmallIntegerField(choices=[(n, f"Q{n}") for n in range(1, 5)])
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    is_final = models.BooleanField(
        "final", default=False, help_text="Final when every department's return for the quarter was accepted."
    )
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    queued_at = models.DateTimeField(
        null=True, blank=True, help_text="When its task was last put on (or failed to reach) the queue."
    )
    claimed_by = models.CharField(max_length=64, blank=True, help_text="Id of the task rendering it.")
    parallel = models.BooleanField(default=False, help_text="Sections rendered as a Celery group across workers.")
    file = models.FileField(upload_to=board_pack_path, max_length=300, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    size = models.PositiveIntegerField(null=True, blank=True)
    pages = models.PositiveIntegerField(null=True, blank=True)
    render_seconds = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    failure_reason = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["almo", "financial_year", "quarter", "status"])]

    def __str__(self):
        return f"Board pack for {self.almo} {self.period.label} (#{self.pk})"

    def get_absolute_url(self):
        return reverse("reporting:pack_detail", args=[self.pk])

    @property
    def period(self) -> Quarter:
        return Quarter(self.financial_year, self.quarter)

    @property
    def title(self) -> str:
        return f"{self.almo} board pack, {self.period.label}"

    @property
    def filename(self) -> str:
        return f"board-pack-{self.almo.slug}-{self.period.slug}-{self.pk}.pdf"

    @property
    def in_progress(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RENDERING)


# Improvement plans, escalation cases, monitoring meetings and service credits (issue 13)
# live in their own modules; importing them here registers them with the app.
from reporting.cases.models import (  # noqa: E402,F401
    AgendaItem,
    Attendee,
    CaseStep,
    CriticalStandard,
    EscalationCase,
    EscalationStep,
    MeetingAction,
    MonitoringMeeting,
    ServiceCreditScheme,
)
from reporting.complaints.models import Complaint, ComplaintStage  # noqa: E402, F401
from reporting.improvement.models import (  # noqa: E402,F401
    Improvement,
    ImprovementPlan,
    ImprovementTask,
    IndicatorTarget,
    KeyTheme,
    PerformanceIndicator,
    PlanReport,
    ProgressComment,
    QuickWin,
    ResourceAllocation,
    Risk,
    SteeringGroup,
    SteeringGroupMember,
    TargetDateRevision,
)
from reporting.public.models import PublishedQuarter  # noqa: E402, F401

# Issue 14: tenants and the council. Models live in their own modules, registered with this app.
from reporting.scrutiny.models import Challenge  # noqa: E402, F401
