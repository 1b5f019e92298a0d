"""Poor or non-performance by either party (issue 13): the escalation procedure of an
agreement, escalation cases and their steps, monitoring meetings with their agenda and
action log, and optional service credits for critical standards.

A case runs up its agreement's ladder one step at a time; each step records what was
decided, by whom and when. Cases open automatically when a standard is red two quarters
running (``reporting.cases.services.cases_sync``) or by hand with a reason, by the ALMO
against a council department or by the council against the ALMO.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from agreements.models import Agreement, Standard
from services.models import Department
from services.periods import Quarter
from services.text import long_text


class EscalationStep(models.Model):
    """One rung of an agreement's escalation ladder, with the days it may take before the next."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="escalation_steps")
    position = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    title = models.CharField(max_length=200)
    description = long_text(blank=True)
    days_allowed = models.PositiveSmallIntegerField(
        "time limit (days)",
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text="Calendar days this step may take before it is overdue.",
    )
    history = HistoricalRecords()

    class Meta:
        app_label = "reporting"
        ordering = ["agreement_id", "position"]
        constraints = [models.UniqueConstraint(fields=["agreement", "position"], name="escalation_step_position_once")]

    def __str__(self):
        return f"Step {self.position}: {self.title}"


class EscalationCase(models.Model):
    class Direction(models.TextChoices):
        AGAINST_COUNCIL = "against_council", "ALMO raises against a council department"
        AGAINST_ALMO = "against_almo", "Council raises against the ALMO"

    class Ground(models.TextChoices):
        RED_TWICE = "red_twice", "Standard red two quarters running"
        POOR_PERFORMANCE = "poor_performance", "Poor performance of a service"
        NON_PERFORMANCE = "non_performance", "Service not provided"
        LATE_PAYMENT = "late_payment", "Late payment of charges"
        MISSING_INFORMATION = "missing_information", "Missing information"
        NO_ACCESS = "no_access", "Failure to give access"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    class Closure(models.TextChoices):
        RECOVERED = "recovered", "Standard recovered"
        DECISION = "decision", "Closed by decision"

    COUNCIL_GROUNDS = (Ground.RED_TWICE, Ground.POOR_PERFORMANCE, Ground.NON_PERFORMANCE, Ground.OTHER)
    ALMO_GROUNDS = (Ground.LATE_PAYMENT, Ground.MISSING_INFORMATION, Ground.NO_ACCESS, Ground.OTHER)

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="escalation_cases")
    direction = models.CharField(max_length=20, choices=Direction.choices)
    ground = models.CharField(max_length=30, choices=Ground.choices)
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="escalation_cases",
        help_text="The council department concerned.",
    )
    standard = models.ForeignKey(
        Standard, on_delete=models.PROTECT, null=True, blank=True, related_name="escalation_cases"
    )
    reason = long_text()
    automatic = models.BooleanField(
        default=False, help_text="Opened by the system: the standard was red two quarters running."
    )
    trigger_year = models.PositiveSmallIntegerField(null=True, blank=True)
    trigger_quarter = models.PositiveSmallIntegerField(null=True, blank=True)
    recovery_quarters = models.PositiveSmallIntegerField(
        "quarters to recover",
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(8)],
        help_text="The case closes when the standard is green this many quarters running.",
    )
    opened_on = models.DateField()
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    closed_on = models.DateField(null=True, blank=True)
    closure = models.CharField(max_length=20, choices=Closure.choices, blank=True)
    closure_note = long_text(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        app_label = "reporting"
        ordering = ["status", "-opened_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["standard"],
                condition=Q(status="open", standard__isnull=False),
                name="one_open_case_per_standard",
            ),
        ]

    def __str__(self):
        return f"Case {self.pk}: {self.subject}"

    def get_absolute_url(self):
        return reverse("reporting:case_detail", args=[self.pk])

    @property
    def subject(self) -> str:
        if self.standard_id:
            return self.standard.title
        return self.get_ground_display()

    @property
    def against(self) -> str:
        if self.direction == self.Direction.AGAINST_ALMO:
            return str(self.agreement.almo)
        return str(self.department) if self.department_id else str(self.agreement.council)

    @property
    def trigger_period(self) -> Quarter | None:
        if self.trigger_year and self.trigger_quarter:
            return Quarter(self.trigger_year, self.trigger_quarter)
        return None

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    def clean(self):
        if self.direction == self.Direction.AGAINST_ALMO and self.ground not in self.ALMO_GROUNDS:
            raise ValidationError({"ground": "A case against the ALMO is about payment, information, access or other."})
        if self.direction == self.Direction.AGAINST_COUNCIL and self.ground not in self.COUNCIL_GROUNDS:
            raise ValidationError({"ground": "A case against a council department is about its performance."})
        if self.direction == self.Direction.AGAINST_COUNCIL and not self.department_id:
            raise ValidationError({"department": "Choose the council department the case is against."})


class CaseStep(models.Model):
    """A case at one rung of the ladder: when it started, when it is due, and the decision taken."""

    class Outcome(models.TextChoices):
        ESCALATE = "escalate", "Escalate to the next step"
        RESOLVED = "resolved", "Resolved: close the case"
        CONTINUE = "continue", "Carry on at this step (new date)"

    case = models.ForeignKey(EscalationCase, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    started_on = models.DateField()
    due_on = models.DateField()
    decision = long_text(blank=True)
    decided_by = models.CharField(max_length=200, blank=True, help_text="Who decided, for example: Parent Board.")
    decided_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    remedial_plan = long_text(blank=True, help_text="For a formal improvement notice: the remedial plan.")
    remedial_date = models.DateField(null=True, blank=True, help_text="The date the remedy is due.")
    meeting = models.ForeignKey(
        "reporting.MonitoringMeeting", on_delete=models.SET_NULL, null=True, blank=True, related_name="case_steps"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        app_label = "reporting"
        ordering = ["case_id", "started_on", "pk"]

    def __str__(self):
        return f"Step {self.position}: {self.title}"

    @property
    def is_current(self) -> bool:
        return not self.outcome

    def is_overdue(self, today: dt.date) -> bool:
        return self.is_current and self.due_on < today

    def days_overdue(self, today: dt.date) -> int:
        return max(0, (today - self.due_on).days) if self.is_current else 0


class MonitoringMeeting(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        HELD = "held", "Held"

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="monitoring_meetings")
    financial_year = models.PositiveSmallIntegerField()
    quarter = models.PositiveSmallIntegerField(choices=[(n, f"Q{n}") for n in range(1, 5)])
    held_on = models.DateField("meeting date")
    location = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED)
    minutes = long_text(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        app_label = "reporting"
        ordering = ["-held_on", "-pk"]

    def __str__(self):
        return f"Monitoring meeting, {self.period.label} ({self.held_on:%-d %B %Y})"

    def get_absolute_url(self):
        return reverse("reporting:meeting_detail", args=[self.pk])

    @property
    def period(self) -> Quarter:
        return Quarter(self.financial_year, self.quarter)


class AgendaItem(models.Model):
    class Kind(models.TextChoices):
        RED = "red", "Red standard"
        CASE = "case", "Escalation case"
        LATE_RETURN = "late_return", "Late or missing return"
        SLIPPED = "slipped", "Improvement date slipped or overdue"
        NOTICE = "notice", "Notice served"
        ACTION = "action", "Open action from an earlier meeting"
        OTHER = "other", "Other business"

    meeting = models.ForeignKey(MonitoringMeeting, on_delete=models.CASCADE, related_name="agenda")
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    title = models.CharField(max_length=300)
    detail = long_text(blank=True)
    decision = long_text(blank=True)
    case = models.ForeignKey(EscalationCase, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    improvement = models.ForeignKey(
        "reporting.Improvement", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    standard = models.ForeignKey(Standard, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        app_label = "reporting"
        ordering = ["position", "pk"]

    def __str__(self):
        return self.title


class Attendee(models.Model):
    class Party(models.TextChoices):
        COUNCIL = "council", "Council"
        ALMO = "almo", "ALMO"
        OTHER = "other", "Other"

    meeting = models.ForeignKey(MonitoringMeeting, on_delete=models.CASCADE, related_name="attendees")
    name = models.CharField(max_length=200)
    role = models.CharField(max_length=200, blank=True)
    party = models.CharField(max_length=10, choices=Party.choices)
    present = models.BooleanField(default=True, help_text="Untick for apologies.")

    class Meta:
        app_label = "reporting"
        ordering = ["party", "name"]

    def __str__(self):
        return self.name


class MeetingAction(models.Model):
    meeting = models.ForeignKey(MonitoringMeeting, on_delete=models.CASCADE, related_name="actions")
    item = models.ForeignKey(AgendaItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions")
    description = long_text("action")
    owner = models.CharField(max_length=200)
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meeting_actions",
        help_text="Optional. A user who sees the action in their task list and gets a reminder.",
    )
    due_date = models.DateField()
    done_on = models.DateField(null=True, blank=True)
    reminded_on = models.DateField(null=True, blank=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        app_label = "reporting"
        ordering = ["done_on", "due_date", "pk"]

    def __str__(self):
        return self.description[:80]

    def is_overdue(self, today: dt.date) -> bool:
        return self.done_on is None and self.due_date < today


class ServiceCreditScheme(models.Model):
    """An agreement's service credits: off unless enabled; only standards marked critical earn them."""

    agreement = models.OneToOneField(Agreement, on_delete=models.CASCADE, related_name="service_credit_scheme")
    enabled = models.BooleanField("service credits apply", default=False)
    red_percent = models.DecimalField(
        "% of the quarterly charge for a red quarter",
        max_digits=5,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    amber_percent = models.DecimalField(
        "% of the quarterly charge for an amber quarter",
        max_digits=5,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text="0 means amber earns no credit.",
    )
    annual_cap_percent = models.DecimalField(
        "yearly cap, % of the year's charge",
        max_digits=5,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    history = HistoricalRecords()

    class Meta:
        app_label = "reporting"

    def __str__(self):
        return f"Service credits for {self.agreement.reference}"

    def clean(self):
        if self.enabled and not self.red_percent:
            raise ValidationError({"red_percent": "Enter the credit for a red quarter, or switch service credits off."})
        if self.enabled and not self.annual_cap_percent:
            raise ValidationError({"annual_cap_percent": "The agreement must state a yearly cap."})
        if self.amber_percent and self.red_percent and self.amber_percent > self.red_percent:
            raise ValidationError({"amber_percent": "An amber quarter cannot earn more than a red one."})


class CriticalStandard(models.Model):
    """A standard marked critical: only these earn service credits."""

    standard = models.OneToOneField(Standard, on_delete=models.CASCADE, related_name="critical")
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    marked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "reporting"

    def __str__(self):
        return f"Critical: {self.standard}"
