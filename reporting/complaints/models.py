"""Complaints about the council services the ALMO buys (issue 14).

Two stages, with the Housing Ombudsman's Complaint Handling Code timescales: acknowledge
within 5 working days of receiving a complaint (or a request to escalate it); respond at
stage 1 within 10 working days of the acknowledgement, at stage 2 within 20. A response
may be extended, with the reason recorded. The complainant may take a stage 1 response
to stage 2.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from agreements.models import Schedule, Standard
from services.periods import add_working_days
from services.text import long_text

ACKNOWLEDGE_WORKING_DAYS = 5
RESPONSE_WORKING_DAYS = {1: 10, 2: 20}


class Complaint(models.Model):
    class Source(models.TextChoices):
        TENANT = "tenant", "A tenant or leaseholder"
        ALMO = "almo", "The ALMO, about the council's delivery"

    class Outcome(models.TextChoices):
        UPHELD = "upheld", "Upheld"
        PARTLY = "partly", "Partly upheld"
        NOT_UPHELD = "not_upheld", "Not upheld"

    almo = models.ForeignKey("services.Almo", on_delete=models.PROTECT, related_name="complaints", verbose_name="ALMO")
    schedule = models.ForeignKey(Schedule, on_delete=models.PROTECT, related_name="complaints", verbose_name="service")
    standard = models.ForeignKey(Standard, on_delete=models.PROTECT, null=True, blank=True, related_name="complaints")
    source = models.CharField("complaint from", max_length=10, choices=Source.choices, default=Source.TENANT)
    complainant = models.CharField(
        max_length=200, blank=True, help_text="Name or reference of the complainant; kept to those handling it."
    )
    summary = long_text("what the complaint is about")
    received_on = models.DateField("date received")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-received_on", "-pk"]
        indexes = [models.Index(fields=["almo", "received_on"])]

    def __str__(self):
        return f"Complaint {self.reference}"

    def get_absolute_url(self):
        return reverse("reporting:complaint_detail", args=[self.pk])

    @property
    def reference(self) -> str:
        return f"C{self.pk:05d}" if self.pk else "new"

    @property
    def service(self):
        return self.schedule.service

    @property
    def current_stage(self) -> ComplaintStage | None:
        stages = list(self.stages.all())
        return stages[-1] if stages else None

    @property
    def is_open(self) -> bool:
        stage = self.current_stage
        return stage is None or stage.responded_on is None

    @property
    def may_go_to_stage_two(self) -> bool:
        stage = self.current_stage
        return stage is not None and stage.number == 1 and stage.responded_on is not None


class ComplaintStage(models.Model):
    """Stage 1 or stage 2 of a complaint, with its Complaint Handling Code dates."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="stages")
    number = models.PositiveSmallIntegerField(choices=[(1, "Stage 1"), (2, "Stage 2")])
    opened_on = models.DateField(
        help_text="Stage 1: the date received. Stage 2: the date the complainant asked for it."
    )
    escalation_reason = long_text("why the complainant is not satisfied", blank=True)
    acknowledged_on = models.DateField(null=True, blank=True)
    extended_to = models.DateField("response extended to", null=True, blank=True)
    extension_reason = long_text(blank=True)
    responded_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=Complaint.Outcome.choices, blank=True)
    response = long_text("response to the complainant", blank=True)
    remedy = long_text(blank=True)
    learning = long_text("what the service has learned", blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["complaint", "number"]
        constraints = [models.UniqueConstraint(fields=["complaint", "number"], name="complaint_stage_once")]

    def __str__(self):
        return f"{self.complaint} stage {self.number}"

    @property
    def acknowledge_due(self) -> dt.date:
        return add_working_days(self.opened_on, ACKNOWLEDGE_WORKING_DAYS)

    @property
    def response_due_original(self) -> dt.date:
        """From the acknowledgement; until there is one, from the date it was due."""
        return add_working_days(self.acknowledged_on or self.acknowledge_due, RESPONSE_WORKING_DAYS[self.number])

    @property
    def response_due(self) -> dt.date:
        return self.extended_to or self.response_due_original

    def acknowledgement_overdue(self, today: dt.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.acknowledged_on is None and today > self.acknowledge_due

    def response_overdue(self, today: dt.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.responded_on is None and today > self.response_due

    @property
    def answered_in_time(self) -> bool | None:
        if self.responded_on is None:
            return None
        acknowledged = self.acknowledged_on is not None and self.acknowledged_on <= self.acknowledge_due
        return acknowledged and self.responded_on <= self.response_due

    def next_step(self, today: dt.date | None = None) -> tuple[str, dt.date] | None:
        if self.acknowledged_on is None:
            return ("Acknowledge", self.acknowledge_due)
        if self.responded_on is None:
            return ("Respond", self.response_due)
        return None
