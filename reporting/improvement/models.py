"""Service improvement plans (issue 13), modelled on an ALMO's Service Improvement Plan.

A plan belongs to an ALMO (and optionally to a review). Its key themes sit in priority
bands: Priority One (infrastructure and repairs: a risk assessment is required for every
Priority One theme before the plan is approved), Priority Two; Priority Three "quick
wins" are a checklist outside the plan. A theme holds improvements (issue, tasks,
outcome, lead officer, target date with every revision kept, resources, progress),
related performance indicators (baseline, yearly targets, footnotes, optionally linked to
an agreement's standard) and, for Priority One, its risk register. Steering groups
record who sits on which (tenants, staff, other stakeholders).

The models carry ``app_label = "reporting"`` (they are imported by ``reporting.models``).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from agreements.models import Schedule, Standard
from services.models import Almo
from services.periods import financial_year_label
from services.text import long_text


class ImprovementPlan(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        APPROVED = "approved", "Approved: being monitored"
        CLOSED = "closed", "Closed"

    almo = models.ForeignKey(Almo, on_delete=models.PROTECT, related_name="improvement_plans", verbose_name="ALMO")
    title = models.CharField(max_length=250, help_text="For example: Service Improvement Plan 2026 to 2029.")
    review_name = models.CharField(
        "review",
        max_length=250,
        blank=True,
        help_text="Optional. The review the plan comes from, for example: Best Value Review of Housing Services.",
    )
    summary = long_text(blank=True, help_text="Priorities, resources and how progress is monitored.")
    starts_on = models.DateField("plan starts", null=True, blank=True)
    ends_on = models.DateField("plan ends", null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    approved_on = models.DateField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    risk_threshold = models.PositiveSmallIntegerField(
        "risk score to report",
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(25)],
        help_text="Risks scoring this or more (likelihood × impact, 1 to 25) or rated high impact are reported.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        app_label = "reporting"
        ordering = ["almo__name", "-starts_on", "title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("reporting:plan_detail", args=[self.pk])

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "The plan must end after it starts."})


class Priority(models.IntegerChoices):
    ONE = 1, "Priority One"
    TWO = 2, "Priority Two"


class KeyTheme(models.Model):
    plan = models.ForeignKey(ImprovementPlan, on_delete=models.CASCADE, related_name="themes")
    number = models.PositiveSmallIntegerField(help_text="Key Theme One is 1.", validators=[MinValueValidator(1)])
    title = models.CharField(max_length=250)
    priority = models.PositiveSmallIntegerField(
        choices=Priority.choices, help_text="Priority One themes get absolute priority and need a risk assessment."
    )
    description = long_text(blank=True)
    history = HistoricalRecords()

    class Meta:
        app_label = "reporting"
        ordering = ["plan_id", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="theme_number_once_per_plan")]

    def __str__(self):
        return f"Key Theme {self.number}: {self.title}"

    def get_absolute_url(self):
        return reverse("reporting:theme_detail", args=[self.pk])

    @property
    def code(self) -> str:
        return f"KT{self.number}"


class QuickWin(models.Model):
    """A Priority Three improvement: achieved without significant extra resources, ticked off a checklist."""

    plan = models.ForeignKey(ImprovementPlan, on_delete=models.CASCADE, related_name="quick_wins")
    title = models.CharField(max_length=250)
    owner = models.CharField(max_length=200, blank=True)
    due_date = models.DateField(null=True, blank=True)
    done_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        app_label = "reporting"
        ordering = ["done_on", "due_date", "pk"]
        verbose_name = "quick win"

    def __str__(self):
        return self.title


class ImprovementStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    ON_TRACK = "on_track", "On track"
    AT_RISK = "at_risk", "At risk"
    LATE = "late", "Late"
    DONE = "done", "Done"


class Improvement(models.Model):
    theme = models.ForeignKey(KeyTheme, on_delete=models.CASCADE, related_name="improvements")
    reference = models.CharField(max_length=20, help_text="For example: KT4/2.")
    title = models.CharField(max_length=250)
    issue = long_text(help_text="What is wrong now.")
    outcome = long_text("service improvement and outcomes", help_text="What will be better, and how it shows.")
    lead_officer = models.CharField(max_length=200)
    original_target_date = models.DateField(editable=False)
    target_date = models.DateField(help_text="The target date in force; every change is kept with its reason.")
    status = models.CharField(max_length=20, choices=ImprovementStatus.choices, default=ImprovementStatus.NOT_STARTED)
    completed_on = models.DateField(null=True, blank=True)
    standards = models.ManyToManyField(
        Standard,
        blank=True,
        related_name="improvements",
        help_text="The agreement standards this improvement is meant to move.",
    )
    # Where it came from (one at most): a departure from standard, an escalation case, a value-for-money finding.
    source_departure = models.ForeignKey(
        "reporting.Departure", on_delete=models.SET_NULL, null=True, blank=True, related_name="improvements"
    )
    source_case = models.ForeignKey(
        "reporting.EscalationCase", on_delete=models.SET_NULL, null=True, blank=True, related_name="improvements"
    )
    source_schedule = models.ForeignKey(
        Schedule,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="improvements",
        help_text="A service whose value for money was questioned.",
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["standards"])

    class Meta:
        app_label = "reporting"
        ordering = ["theme__number", "reference", "pk"]

    def __str__(self):
        return f"{self.reference} {self.title}"

    def get_absolute_url(self):
        return reverse("reporting:improvement_detail", args=[self.pk])

    def clean(self):
        sources = [self.source_departure_id, self.source_case_id, self.source_schedule_id]
        if sum(1 for s in sources if s) > 1:
            raise ValidationError("An improvement comes from one departure, case or value-for-money finding at most.")
        if self.status == ImprovementStatus.DONE and not self.completed_on:
            raise ValidationError({"completed_on": "Enter the date the improvement was completed."})
        if self.completed_on and self.status != ImprovementStatus.DONE:
            raise ValidationError({"completed_on": "Only a done improvement has a completion date."})

    def is_overdue(self, today: dt.date) -> bool:
        return self.status != ImprovementStatus.DONE and self.target_date < today

    def shown_status(self, today: dt.date) -> str:
        """The recorded status, except that an open improvement past its target date is late."""
        if self.is_overdue(today):
            return ImprovementStatus.LATE
        return self.status

    @property
    def has_slipped(self) -> bool:
        return self.target_date > self.original_target_date

    @property
    def slipped_days(self) -> int:
        return max(0, (self.target_date - self.original_target_date).days)


class ImprovementTask(models.Model):
    improvement = models.ForeignKey(Improvement, on_delete=models.CASCADE, related_name="tasks")
    description = long_text("task")
    due_date = models.DateField(null=True, blank=True)
    done_on = models.DateField(null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        app_label = "reporting"
        ordering = ["position", "pk"]

    def __str__(self):
        return self.description[:80]


class TargetDateRevision(models.Model):
    """One change of an improvement's target date: from, to, why, who agreed it and when. Never edited."""

    improvement = models.ForeignKey(Improvement, on_delete=models.CASCADE, related_name="date_revisions")
    from_date = models.DateField()
    to_date = models.DateField()
    reason = long_text()
    agreed_by = models.CharField(max_length=200, help_text="Who agreed the change, for example: Parent Board.")
    agreed_on = models.DateField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "reporting"
        ordering = ["recorded_at", "pk"]

    def __str__(self):
        return f"{self.from_date} → {self.to_date}"

    @property
    def slipped_days(self) -> int:
        return (self.to_date - self.from_date).days


class ResourceAllocation(models.Model):
    """A named post or team and the share of its time, for the life of the project unless dated."""

    improvement = models.ForeignKey(Improvement, on_delete=models.CASCADE, related_name="resources")
    post = models.CharField("post or team", max_length=250, help_text="For example: Housing Legal Team Leader.")
    headcount = models.PositiveSmallIntegerField(
        "number of staff", null=True, blank=True, help_text="Optional. For a team, how many staff it has."
    )
    percent_of_time = models.DecimalField(
        "% of time",
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    starts_on = models.DateField(null=True, blank=True, help_text="Leave blank for the life of the project.")
    ends_on = models.DateField(null=True, blank=True)
    note = models.CharField(max_length=250, blank=True, help_text="For example: currently being recruited.")
    history = HistoricalRecords()

    class Meta:
        app_label = "reporting"
        ordering = ["-percent_of_time", "post"]

    def __str__(self):
        return f"{self.post} ({self.percent_of_time:g}%)"

    def clean(self):
        if self.percent_of_time is not None and self.percent_of_time <= 0:
            raise ValidationError({"percent_of_time": "The share of time must be more than 0%."})
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "The end date must be after the start date."})

    @property
    def period_label(self) -> str:
        if not (self.starts_on or self.ends_on):
            return "Life of the project"
        start = self.starts_on.strftime("%-d %B %Y") if self.starts_on else "start"
        end = self.ends_on.strftime("%-d %B %Y") if self.ends_on else "end of the project"
        return f"{start} to {end}"


class ProgressComment(models.Model):
    improvement = models.ForeignKey(Improvement, on_delete=models.CASCADE, related_name="progress")
    body = long_text("progress")
    status = models.CharField(max_length=20, choices=ImprovementStatus.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "reporting"
        ordering = ["-at", "-pk"]

    def __str__(self):
        return self.body[:80]


class PerformanceIndicator(models.Model):
    class Direction(models.TextChoices):
        HIGHER = "higher", "Higher is better"
        LOWER = "lower", "Lower is better"

    class Unit(models.TextChoices):
        PERCENT = "percent", "Percentage"
        DAYS = "days", "Days"
        NUMBER = "number", "Number"

    theme = models.ForeignKey(KeyTheme, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(max_length=30, blank=True, help_text="For example: BVPI 72, or LPI for a local indicator.")
    title = models.CharField(max_length=300)
    unit = models.CharField(max_length=10, choices=Unit.choices, default=Unit.PERCENT)
    direction = models.CharField(max_length=10, choices=Direction.choices, default=Direction.HIGHER)
    baseline_year = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="The calendar year the baseline's financial year starts in: 2025 for 2025/26."
    )
    baseline = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    baseline_note = models.CharField(
        max_length=200,
        blank=True,
        help_text="When there is no figure, why: for example, information not yet available.",
    )
    standard = models.ForeignKey(
        Standard,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="indicators",
        help_text="The agreement standard that measures the same thing, if any.",
    )
    footnote = long_text(blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        app_label = "reporting"
        ordering = ["position", "pk"]

    def __str__(self):
        return f"{self.code} {self.title}".strip()

    def format(self, value) -> str:
        if value is None:
            return ""
        text = f"{value.normalize():f}" if hasattr(value, "normalize") else str(value)
        return f"{text}%" if self.unit == self.Unit.PERCENT else text

    @property
    def baseline_display(self) -> str:
        return self.format(self.baseline) if self.baseline is not None else (self.baseline_note or "N/A")

    @property
    def baseline_label(self) -> str:
        return financial_year_label(self.baseline_year) if self.baseline_year else ""


class IndicatorTarget(models.Model):
    indicator = models.ForeignKey(PerformanceIndicator, on_delete=models.CASCADE, related_name="targets")
    financial_year = models.PositiveSmallIntegerField(help_text="The calendar year the financial year starts in.")
    value = models.DecimalField(max_digits=12, decimal_places=2)
    note = models.CharField(
        "footnote", max_length=300, blank=True, help_text="Optional. Why this target, for example a planned dip."
    )

    class Meta:
        app_label = "reporting"
        ordering = ["financial_year"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "financial_year"], name="indicator_target_once_per_year"),
        ]

    def __str__(self):
        return f"{financial_year_label(self.financial_year)}: {self.value}"

    @property
    def year_label(self) -> str:
        return financial_year_label(self.financial_year)

    @property
    def display(self) -> str:
        return self.indicator.format(self.value)


class Risk(models.Model):
    """A risk assessment line: high/low impact as in the plan, or likelihood × impact on a 1 to 5 matrix."""

    class Impact(models.TextChoices):
        HIGH = "H", "High"
        LOW = "L", "Low"

    theme = models.ForeignKey(KeyTheme, on_delete=models.CASCADE, related_name="risks")
    area = long_text("risk area")
    impact_level = models.CharField(
        "high or low impact",
        max_length=1,
        choices=Impact.choices,
        blank=True,
        help_text="Use this, or score likelihood and impact from 1 to 5.",
    )
    likelihood = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text="1 (rare) to 5 (almost certain).",
    )
    impact = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text="1 (minor) to 5 (severe).",
    )
    consequences = long_text("possible consequences")
    mitigation = long_text("how the risk is reduced")
    owner = models.CharField(max_length=200, blank=True)
    review_date = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        app_label = "reporting"
        ordering = ["theme__number", "pk"]

    def __str__(self):
        return self.area[:80]

    def clean(self):
        scored = self.likelihood is not None or self.impact is not None
        if scored and (self.likelihood is None or self.impact is None):
            field = "impact" if self.impact is None else "likelihood"
            raise ValidationError({field: "Score both likelihood and impact, from 1 to 5."})
        if not scored and not self.impact_level:
            raise ValidationError(
                {"impact_level": "Say whether the impact is high or low, or score likelihood and impact."}
            )

    @property
    def score(self) -> int | None:
        if self.likelihood is None or self.impact is None:
            return None
        return self.likelihood * self.impact

    def is_above(self, threshold: int) -> bool:
        score = self.score
        if score is not None:
            return score >= threshold
        return self.impact_level == self.Impact.HIGH

    @property
    def rating_label(self) -> str:
        if self.score is not None:
            return f"{self.score} (likelihood {self.likelihood} × impact {self.impact})"
        return f"{self.get_impact_level_display()} impact"


class SteeringGroup(models.Model):
    plan = models.ForeignKey(ImprovementPlan, on_delete=models.CASCADE, related_name="steering_groups")
    name = models.CharField(max_length=250)
    themes = models.ManyToManyField(KeyTheme, blank=True, related_name="steering_groups")
    remit = long_text(blank=True)
    history = HistoricalRecords(excluded_fields=["themes"])

    class Meta:
        app_label = "reporting"
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("reporting:steering_group_detail", args=[self.pk])


class SteeringGroupMember(models.Model):
    class Kind(models.TextChoices):
        TENANT = "tenant", "Tenant"
        STAFF = "staff", "Staff"
        OTHER = "other", "Other stakeholder"

    group = models.ForeignKey(SteeringGroup, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(max_length=200)
    kind = models.CharField("represents", max_length=10, choices=Kind.choices)
    organisation = models.CharField("organisation or role", max_length=250, blank=True)

    class Meta:
        app_label = "reporting"
        ordering = ["kind", "name"]

    def __str__(self):
        return f"{self.name} ({self.get_kind_display()})"


def plan_report_path(instance: PlanReport, filename: str) -> str:
    return f"plan_reports/{instance.plan_id}/{filename}"


class PlanReport(models.Model):
    """One generation of a plan's progress report (PDF), rendered by a Celery worker."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RENDERING = "rendering", "Rendering"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    plan = models.ForeignKey(ImprovementPlan, on_delete=models.CASCADE, related_name="reports")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    file = models.FileField(upload_to=plan_report_path, max_length=300, blank=True)
    pages = models.PositiveIntegerField(null=True, blank=True)
    size = models.PositiveIntegerField(null=True, blank=True)
    failure_reason = models.TextField(blank=True)

    class Meta:
        app_label = "reporting"
        ordering = ["-requested_at", "-pk"]

    def __str__(self):
        return f"Progress report on {self.plan} (#{self.pk})"

    def get_absolute_url(self):
        return reverse("reporting:plan_report_detail", args=[self.pk])

    @property
    def filename(self) -> str:
        return f"improvement-plan-{self.plan_id}-progress-{self.pk}.pdf"


def plan_of(obj) -> ImprovementPlan:
    """The plan an object of the plan belongs to."""
    for path in ("plan", "theme.plan", "improvement.theme.plan", "group.plan", "indicator.theme.plan"):
        target = obj
        try:
            for part in path.split("."):
                target = getattr(target, part)
        except AttributeError:
            continue
        if isinstance(target, ImprovementPlan):
            return target
    if isinstance(obj, ImprovementPlan):
        return obj
    raise TypeError(f"{type(obj).__name__} is not part of a plan.")
