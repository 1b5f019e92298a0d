"""The terms of an agreement, service by service.

An agreement has one schedule per service; a schedule holds the expected service level,
its standards, reporting arrangements, notice period and annual cost, and its cost in each
financial year. A standard is either measured against a target (which may change from an
effective date) or a milestone with a due date.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from agreements.models.agreement import Agreement
from services.models import Service
from services.periods import financial_year_label
from services.text import long_text


class Schedule(models.Model):
    """The terms for one service within an agreement."""

    class Frequency(models.TextChoices):
        MONTHLY = "monthly", "Monthly"
        QUARTERLY = "quarterly", "Quarterly"
        ANNUAL = "annual", "Annually"

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="schedules")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="schedules")
    expected_service_level = long_text(help_text="What the department will provide, in plain words.")
    reporting_what = long_text("what is reported", blank=True)
    reporting_frequency = models.CharField(
        "how often it is reported", max_length=20, choices=Frequency.choices, default=Frequency.QUARTERLY
    )
    reporting_to = models.CharField("reported to", max_length=250, blank=True)
    report_departures = models.BooleanField(
        "departures from standard must be reported",
        default=True,
    )
    notice_period_months = models.SmallIntegerField(
        "notice period (months)",
        help_text="How long the ALMO must give to stop buying this service.",
    )
    annual_cost = models.DecimalField("annual cost (£)", max_digits=12, decimal_places=2)
    cost_basis = models.CharField(
        "how the cost is apportioned",
        max_length=250,
        blank=True,
        help_text="For example: 20% of the audit team's staff time.",
    )
    staff_time_share = models.DecimalField(
        "share of staff time (%)",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
    )
    legal_notes = long_text("legal and contract notes", blank=True)
    supersedes = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="successors",
        help_text="The same service's schedule in an earlier agreement of the ALMO that this one replaces.",
    )
    supersedes_from = models.DateField(
        "replaces it from",
        null=True,
        blank=True,
        help_text="The earlier schedule ends the day before; this one is paid for from this date.",
    )
    starts_on = models.DateField(
        "added from",
        null=True,
        blank=True,
        editable=False,
        help_text="Set when a variation adds the service to a live agreement: paid for from this date.",
    )
    ends_on = models.DateField(
        "removed after",
        null=True,
        blank=True,
        editable=False,
        help_text="Set when a variation removes the service: the last day it is provided and paid for.",
    )
    commercially_confidential = models.BooleanField(
        "cost commercially confidential",
        default=False,
        help_text="Its cost, how it is apportioned and its yearly costs are withheld from tenant scrutiny panel "
        "members.",
    )
    revision = models.PositiveIntegerField(default=1, editable=False, help_text="Bumped on every save of the draft.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["service__department__name", "service__name"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "service"], name="schedule_one_per_service_per_agreement"),
        ]

    def __str__(self):
        return f"{self.service} ({self.agreement.reference})"

    def get_absolute_url(self):
        return reverse("agreements:schedule_detail", args=[self.agreement_id, self.pk])

    def clean(self):
        errors = {}
        if self.notice_period_months is not None and self.notice_period_months < 0:
            errors["notice_period_months"] = "The notice period cannot be negative."
        elif self.notice_period_months is not None and self.notice_period_months > 60:
            errors["notice_period_months"] = "The notice period must be 60 months or fewer."
        if self.annual_cost is not None and self.annual_cost < 0:
            errors["annual_cost"] = "The annual cost cannot be negative."
        if self.staff_time_share is not None and not (0 <= self.staff_time_share <= 100):
            errors["staff_time_share"] = "The share of staff time must be between 0% and 100%."
        if self.agreement_id and self.service_id:
            clash = Schedule.objects.filter(agreement_id=self.agreement_id, service_id=self.service_id)
            if self.pk:
                clash = clash.exclude(pk=self.pk)
            if clash.exists():
                errors["service"] = f"This agreement already has a schedule for {self.service}."
        errors.update(self._supersession_errors())
        if errors:
            raise ValidationError(errors)

    def _supersession_errors(self) -> dict[str, str]:
        if self.supersedes_id is None:
            if self.supersedes_from:
                return {"supersedes": "Choose the earlier schedule this one replaces, or clear the date."}
            return {}
        earlier = self.supersedes
        agreement = self.agreement
        if not self.supersedes_from:
            return {"supersedes_from": "Enter the date this schedule replaces the earlier one from."}
        if earlier.agreement_id == self.agreement_id:
            return {"supersedes": "A schedule cannot replace one in the same agreement."}
        if earlier.service_id != self.service_id or earlier.agreement.almo_id != agreement.almo_id:
            return {"supersedes": f"Choose a schedule for {self.service} in another agreement of {agreement.almo}."}
        if self.supersedes_from < agreement.start_date:
            return {
                "supersedes_from": f"The date must be on or after this agreement starts ({agreement.start_date:%-d %B %Y})."  # noqa: E501
            }
        if self.supersedes_from <= earlier.agreement.start_date:
            return {"supersedes_from": "The date must be after the earlier agreement starts."}
        return {}

    def in_force(self, *, with_notice: bool = True) -> tuple[dt.date, dt.date | None]:
        """First and last day the ALMO pays for this schedule (last None: no end in sight).

        From the agreement's start (or the date it replaces an earlier schedule) to the end of
        its last term, renewals included; cut short by notice served and not withdrawn (paid
        up to and including the day it takes effect) and by a live successor schedule that
        replaces it (the day before). Reads prefetched ``open_notices`` and ``live_successors``
        when present (``agreements.cost_selectors.with_costs``).
        """
        agreement = self.agreement
        first = agreement.start_date
        if self.supersedes_id and self.supersedes_from:
            first = max(first, self.supersedes_from)
        if self.starts_on:  # added by a variation
            first = max(first, self.starts_on)
        last = agreement.last_day()
        if self.ends_on:  # removed by a variation
            last = self.ends_on if last is None else min(last, self.ends_on)
        open_notices = getattr(self, "open_notices", None) if with_notice else []
        if open_notices is None:
            open_notices = [n for n in self.notices.all() if n.withdrawn_on is None]
        for notice in open_notices:
            last = notice.effective_date if last is None else min(last, notice.effective_date)
        successors = getattr(self, "live_successors", None)
        if successors is None:
            successors = [
                s for s in self.successors.select_related("agreement") if s.agreement.is_live and s.supersedes_from
            ]
        if successors:
            day_before = min(s.supersedes_from for s in successors) - dt.timedelta(days=1)
            last = day_before if last is None else min(last, day_before)
        return first, last


# The Regulator of Social Housing's Tenant Satisfaction Measures (from April 2023).
TSM_CODES = [
    ("BS01", "BS01 Gas safety checks"),
    ("BS02", "BS02 Fire safety checks"),
    ("BS03", "BS03 Asbestos safety checks"),
    ("BS04", "BS04 Water safety checks"),
    ("BS05", "BS05 Lift safety checks"),
    ("CH01", "CH01 Complaints relative to the size of the landlord"),
    ("CH02", "CH02 Complaints responded to within Complaint Handling Code timescales"),
    ("NM01", "NM01 Anti-social behaviour cases relative to the size of the landlord"),
    ("RP01", "RP01 Homes that do not meet the Decent Homes Standard"),
    ("RP02", "RP02 Repairs completed within target timescale"),
    ("TP01", "TP01 Overall satisfaction"),
    ("TP02", "TP02 Satisfaction with repairs"),
    ("TP03", "TP03 Satisfaction with time taken to complete most recent repair"),
    ("TP04", "TP04 Satisfaction that the home is well maintained"),
    ("TP05", "TP05 Satisfaction that the home is safe"),
    ("TP06", "TP06 Satisfaction that the landlord listens to tenant views and acts upon them"),
    ("TP07", "TP07 Satisfaction that the landlord keeps tenants informed about things that matter to them"),
    ("TP08", "TP08 Agreement that the landlord treats tenants fairly and with respect"),
    ("TP09", "TP09 Satisfaction with the landlord's approach to handling complaints"),
    ("TP10", "TP10 Satisfaction that the landlord keeps communal areas clean and well maintained"),
    ("TP11", "TP11 Satisfaction that the landlord makes a positive contribution to neighbourhoods"),
    ("TP12", "TP12 Satisfaction with the landlord's approach to handling anti-social behaviour"),
]


class Standard(models.Model):
    """A measurable standard with targets, or a milestone with a due date."""

    class Kind(models.TextChoices):
        MEASURED = "measured", "Measured against a target"
        MILESTONE = "milestone", "Milestone"

    class Unit(models.TextChoices):
        HOURS = "hours", "hours"
        WORKING_DAYS = "working_days", "working days"
        PERCENT = "percent", "%"
        COUNT = "count", "count"
        GBP = "gbp", "£"

    class Direction(models.TextChoices):
        HIGHER = "higher", "Higher is better"
        LOWER = "lower", "Lower is better"

    schedule = models.ForeignKey(Schedule, on_delete=models.CASCADE, related_name="standards")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.MEASURED)
    title = models.CharField("standard", max_length=250, help_text="For example: abandoned cars removed.")
    unit = models.CharField(max_length=20, choices=Unit.choices, blank=True)
    direction = models.CharField(max_length=10, choices=Direction.choices, blank=True)
    amber_tolerance = models.DecimalField(
        max_digits=10,
        decimal_places=2,
        default=Decimal("0"),
        help_text="How far short of target still counts as amber rather than red, in the standard's unit.",
    )
    tsm_code = models.CharField(
        "Tenant Satisfaction Measure",
        max_length=4,
        choices=TSM_CODES,
        blank=True,
        help_text="The regulator's Tenant Satisfaction Measure this standard feeds, if any.",
    )
    deliverable = long_text(blank=True, help_text="For a milestone: what will be delivered.")
    due_date = models.DateField(null=True, blank=True, help_text="For a milestone: when it is due.")
    position = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["schedule", "position", "pk"]

    def __str__(self):
        return self.title

    def clean(self):
        errors = {}
        if self.kind == self.Kind.MEASURED:
            if not self.unit:
                errors["unit"] = "Choose the unit the standard is measured in."
            if not self.direction:
                errors["direction"] = "Say whether a higher or a lower figure is better."
            if self.amber_tolerance is not None and self.amber_tolerance < 0:
                errors["amber_tolerance"] = "The amber tolerance cannot be negative."
        else:
            if not self.deliverable:
                errors["deliverable"] = "Describe what the milestone delivers."
            if not self.due_date:
                errors["due_date"] = "Enter the date the milestone is due."
            elif self.schedule_id and self.due_date < self.schedule.agreement.start_date:
                starts = self.schedule.agreement.start_date
                errors["due_date"] = f"The milestone must be due on or after the agreement starts ({starts:%-d %B %Y})."
        if errors:
            raise ValidationError(errors)

    def target_on(self, day: dt.date) -> StandardTarget | None:
        """The target in force on ``day``: the latest one whose effective date is not after it.

        Uses prefetched ``targets`` when present, so a page listing standards stays at a
        constant number of queries.
        """
        applicable = [t for t in self.targets.all() if t.effective_from <= day]
        return max(applicable, key=lambda t: t.effective_from) if applicable else None

    def format_value(self, value: Decimal | None) -> str:
        if value is None:
            return ""
        text = f"{value.normalize():f}"
        if self.unit == self.Unit.PERCENT:
            return f"{text}%"
        if self.unit == self.Unit.GBP:
            return f"£{value:,.2f}"
        if self.unit in (self.Unit.HOURS, self.Unit.WORKING_DAYS):
            return f"{text} {self.get_unit_display()}"
        return text


class ScheduleYearCost(models.Model):
    """What the ALMO pays for a schedule in one financial year (with that year's uplift)."""

    schedule = models.ForeignKey(Schedule, on_delete=models.CASCADE, related_name="year_costs")
    financial_year = models.PositiveSmallIntegerField(
        help_text="The calendar year the financial year starts in: 2025 for 2025/26."
    )
    amount = models.DecimalField(
        "cost (£)", max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    note = models.CharField(max_length=250, blank=True, help_text="For example: 2.5% pay award uplift.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["schedule", "financial_year"]
        constraints = [
            models.UniqueConstraint(fields=["schedule", "financial_year"], name="year_cost_one_per_year"),
        ]

    def __str__(self):
        return f"{self.schedule}: £{self.amount:,.2f} in {financial_year_label(self.financial_year)}"


_UNIT_LIMITS = {
    Standard.Unit.PERCENT: (Decimal("0"), Decimal("100")),
    Standard.Unit.HOURS: (Decimal("0"), Decimal("8784")),
    Standard.Unit.WORKING_DAYS: (Decimal("0"), Decimal("260")),
    Standard.Unit.COUNT: (Decimal("0"), None),
    Standard.Unit.GBP: (Decimal("0"), None),
}


class StandardTarget(models.Model):
    """A target value, in force from its effective date until the next target's."""

    standard = models.ForeignKey(Standard, on_delete=models.CASCADE, related_name="targets")
    effective_from = models.DateField(help_text="Usually 1 April, the start of a financial year.")
    value = models.DecimalField(max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0"))])
    history = HistoricalRecords()

    class Meta:
        ordering = ["standard", "effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["standard", "effective_from"], name="target_one_per_effective_date"),
        ]

    def __str__(self):
        return f"{self.standard}: {self.value} from {self.effective_from:%d %B %Y}"

    def clean(self):
        if self.standard_id is None or self.value is None:
            return
        if self.standard.kind != Standard.Kind.MEASURED:
            raise ValidationError("A milestone has a due date, not a target.")
        low, high = _UNIT_LIMITS.get(self.standard.unit, (None, None))
        if low is not None and self.value < low:
            raise ValidationError({"value": "The target cannot be negative."})
        if high is not None and self.value > high:
            unit = self.standard.get_unit_display()
            raise ValidationError({"value": f"A target in {unit} must be {high.normalize():f} or less."})
