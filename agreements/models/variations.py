"""Variations: changes to a live agreement's terms, agreed by both signatories.

A variation lists its changes (``VariationChange``): a schedule's notice period, annual cost,
expected service level or reporting frequency, a standard's target, a service added or removed.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from agreements.models.agreement import Agreement
from agreements.models.drafting import AgreementVersion
from agreements.models.schedule import Schedule, Standard, StandardTarget
from services.models import Service
from services.text import long_text


class Variation(models.Model):
    """A proposed change to an active agreement's terms, agreed by both parties."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        APPROVED = "approved", "Approved, waiting for its effective date"
        APPLIED = "applied", "In force"
        REJECTED = "rejected", "Rejected"
        WITHDRAWN = "withdrawn", "Withdrawn"

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="variations")
    number = models.PositiveIntegerField()
    reason = long_text()
    effective_date = models.DateField(help_text="The date the new terms apply from.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PROPOSED)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)
    backdating_reason = long_text(
        "reason for backdating",
        blank=True,
        help_text="Required when the variation takes effect before the current quarter.",
    )
    revision = models.PositiveIntegerField(
        default=1,
        editable=False,
        help_text="Bumped whenever the proposal changes; an approval is for the revision the signatory saw.",
    )
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawal_reason = long_text("reason for withdrawing", blank=True)
    superseded_version = models.ForeignKey(
        AgreementVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Snapshot of the terms before this variation applied.",
    )
    resulting_version = models.ForeignKey(
        AgreementVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Snapshot of the terms after this variation applied.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["agreement", "number"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="variation_number_unique_per_agreement"),
        ]

    def __str__(self):
        return f"Variation {self.number} to {self.agreement.reference}"

    def get_absolute_url(self):
        return reverse("agreements:variation_detail", args=[self.agreement_id, self.number])

    def clean(self):
        if self.effective_date is None or self.agreement_id is None:
            return
        agreement = self.agreement
        last = agreement.last_day()
        if self.effective_date < agreement.start_date or (last is not None and self.effective_date > last):
            end = f"{last:%-d %B %Y}" if last else "no end date"
            raise ValidationError(
                {
                    "effective_date": f"The date must fall within the agreement's term: "
                    f"{agreement.start_date:%-d %B %Y} to {end}."
                }
            )


class VariationChange(models.Model):
    """One changed term of one schedule within a variation."""

    class Field(models.TextChoices):
        NOTICE_PERIOD = "notice_period_months", "Notice period (months)"
        ANNUAL_COST = "annual_cost", "Annual cost (£)"
        EXPECTED_SERVICE_LEVEL = "expected_service_level", "Expected service level"
        REPORTING_FREQUENCY = "reporting_frequency", "How often it is reported"
        TARGET = "target", "Target of a standard"
        ADD_SERVICE = "add_service", "Add a service"
        REMOVE_SERVICE = "remove_service", "Remove the service"

    variation = models.ForeignKey(Variation, on_delete=models.CASCADE, related_name="changes")
    schedule = models.ForeignKey(
        Schedule,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="variation_changes",
        help_text="The schedule changed or removed; blank when the change adds a service.",
    )
    service = models.ForeignKey(
        Service,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The service added (its new value is the annual cost).",
    )
    added_notice_period_months = models.SmallIntegerField(
        "notice period of the added service (months)", null=True, blank=True
    )
    added_service_level = long_text("expected service level of the added service", blank=True)
    standard = models.ForeignKey(
        Standard,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="variation_changes",
        help_text="For a change of target: the standard whose target changes from the effective date.",
    )
    field = models.CharField("term", max_length=40, choices=Field.choices)
    old_value = models.CharField(max_length=2000, blank=True)
    new_value = models.CharField("new value", max_length=2000)
    history = HistoricalRecords()

    class Meta:
        ordering = ["variation", "pk"]

    def __str__(self):
        return f"{self.service_name}: {self.term_label} {self.old_display} → {self.new_display}"

    @property
    def service_name(self) -> str:
        if self.schedule_id:
            return self.schedule.service.name
        return self.service.name if self.service_id else ""

    @property
    def term_label(self) -> str:
        if self.field == self.Field.TARGET and self.standard_id:
            return f"Target: {self.standard.title}"
        return self.get_field_display()

    def display(self, value: str) -> str:
        """A stored value as people read it: "£195,000", "6 months", "Quarterly", "85%"."""
        if value in (None, ""):
            return ""
        if self.field == self.Field.REMOVE_SERVICE and value == "removed":
            return "Removed"
        try:
            if self.field in (self.Field.ANNUAL_COST, self.Field.ADD_SERVICE, self.Field.REMOVE_SERVICE):
                amount = Decimal(str(value).replace(",", "").replace("£", ""))
                return f"£{amount:,.0f}" if amount == amount.to_integral() else f"£{amount:,.2f}"
            if self.field == self.Field.NOTICE_PERIOD:
                months = int(value)
                return f"{months} month{'s' if months != 1 else ''}"
            if self.field == self.Field.TARGET and self.standard_id:
                return self.standard.format_value(Decimal(value))
        except (ArithmeticError, ValueError):
            return str(value)
        if self.field == self.Field.REPORTING_FREQUENCY:
            return dict(Schedule.Frequency.choices).get(value, value)
        return str(value)

    @property
    def old_display(self) -> str:
        return self.display(self.old_value)

    @property
    def new_display(self) -> str:
        return self.display(self.new_value)

    def clean(self):
        if self.schedule_id and self.variation_id and self.schedule.agreement_id != self.variation.agreement_id:
            raise ValidationError({"schedule": "Choose a schedule of this agreement."})
        if self.field == self.Field.ADD_SERVICE:
            self._clean_added_service()
            return
        if not self.schedule_id:
            raise ValidationError({"schedule": "Choose the schedule to change."})
        if self.field == self.Field.REMOVE_SERVICE:
            if self.schedule.ends_on is not None:
                raise ValidationError({"schedule": f"{self.schedule.service} has already been removed."})
            self.new_value = "removed"
            return
        if self.field == self.Field.TARGET:
            self._clean_target()
            return
        if self.standard_id:
            raise ValidationError({"standard": "Choose a standard only when changing a target."})
        if not self.field or self.new_value in (None, ""):
            return
        if self.field == self.Field.NOTICE_PERIOD:
            try:
                months = int(self.new_value)
            except ValueError:
                raise ValidationError({"new_value": "Enter the notice period as a whole number of months."}) from None
            if not 0 <= months <= 60:
                raise ValidationError({"new_value": "The notice period must be between 0 and 60 months."})
        elif self.field == self.Field.ANNUAL_COST:
            try:
                cost = Decimal(self.new_value.replace(",", "").replace("£", ""))
            except ArithmeticError:
                raise ValidationError({"new_value": "Enter the annual cost in pounds, for example 38000."}) from None
            if cost < 0:
                raise ValidationError({"new_value": "The annual cost cannot be negative."})
        elif self.field == self.Field.REPORTING_FREQUENCY and self.new_value not in Schedule.Frequency.values:
            choices = ", ".join(Schedule.Frequency.values)
            raise ValidationError({"new_value": f"Enter one of: {choices}."})

    def _clean_added_service(self):
        errors = {}
        agreement = self.variation.agreement if self.variation_id else None
        if not self.service_id:
            errors["service"] = "Choose the service to add."
        elif agreement is not None:
            if self.service.department.council_id != agreement.council_id:
                errors["service"] = f"Choose a service of {agreement.council}."
            elif agreement.schedules.filter(service_id=self.service_id).exists():
                errors["service"] = f"The agreement already has a schedule for {self.service}."
        try:
            cost = Decimal(str(self.new_value).replace(",", "").replace("£", ""))
            if not cost.is_finite() or cost < 0:
                raise ArithmeticError
            self.new_value = f"{cost:f}"
        except ArithmeticError:
            errors["new_value"] = "Enter the added service's annual cost in pounds, for example 38000."
        months = self.added_notice_period_months
        if months is None or not 0 <= months <= 60:
            errors["added_notice_period_months"] = "Enter the added service's notice period, from 0 to 60 months."
        if not self.added_service_level.strip():
            errors["added_service_level"] = "Describe the level of service the department will provide."
        if errors:
            raise ValidationError(errors)

    def _clean_target(self):
        if not self.standard_id:
            raise ValidationError({"standard": "Choose the standard whose target changes."})
        if self.schedule_id and self.standard.schedule_id != self.schedule_id:
            raise ValidationError({"standard": f"Choose a standard of {self.schedule.service}."})
        if self.standard.kind != Standard.Kind.MEASURED:
            raise ValidationError({"standard": "A milestone has a due date, not a target: choose a measured standard."})
        try:
            value = Decimal(str(self.new_value).replace(",", "").replace("%", "").replace("£", ""))
        except ArithmeticError:
            raise ValidationError({"new_value": "Enter the new target as a number, for example 95."}) from None
        if not value.is_finite():
            raise ValidationError({"new_value": "Enter the new target as a number, for example 95."})
        try:
            StandardTarget(standard=self.standard, effective_from=dt.date(2000, 1, 1), value=value).clean()
        except ValidationError as error:
            raise ValidationError({"new_value": error.messages}) from None
        self.new_value = f"{value.normalize():f}"
