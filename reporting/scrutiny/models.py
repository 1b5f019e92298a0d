"""The tenant scrutiny panel's challenges and recommendations (issue 14).

The panel raises one on a service (and optionally one of its standards); the ALMO's
coordinator must answer within ``SCRUTINY_RESPONSE_WORKING_DAYS`` working days, accepting
it with an action or declining it with reasons. The panel may escalate to the board one
that is unanswered after its due date, or declined.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from agreements.models import Schedule, Standard
from services.text import long_text


class Challenge(models.Model):
    class Kind(models.TextChoices):
        CHALLENGE = "challenge", "Challenge"
        RECOMMENDATION = "recommendation", "Recommendation"

    class Status(models.TextChoices):
        AWAITING = "awaiting", "Awaiting a response"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"

    almo = models.ForeignKey("services.Almo", on_delete=models.PROTECT, related_name="challenges", verbose_name="ALMO")
    schedule = models.ForeignKey(
        Schedule,
        on_delete=models.PROTECT,
        related_name="challenges",
        verbose_name="service",
        help_text="The service in the agreement the panel is challenging.",
    )
    standard = models.ForeignKey(
        Standard,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="challenges",
        help_text="Leave blank if it is about the service as a whole.",
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.CHALLENGE)
    title = models.CharField("summary", max_length=200)
    body = long_text("what the panel found and asks for")
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    raised_on = models.DateField()
    response_due = models.DateField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.AWAITING)
    response = long_text("response or reasons", blank=True)
    action = long_text("action to be taken", blank=True)
    action_owner = models.CharField(max_length=200, blank=True)
    action_due = models.DateField("action target date", null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    responded_on = models.DateField(null=True, blank=True)
    escalated_on = models.DateField(null=True, blank=True)
    escalated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    escalation_reason = long_text(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-raised_on", "-pk"]
        indexes = [models.Index(fields=["almo", "status"])]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.title}"

    def get_absolute_url(self):
        return reverse("reporting:challenge_detail", args=[self.pk])

    @property
    def awaits_response(self) -> bool:
        return self.status == self.Status.AWAITING and self.escalated_on is None

    def is_overdue(self, today: dt.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.status == self.Status.AWAITING and today > self.response_due

    def answered_in_time(self) -> bool | None:
        if self.responded_on is None:
            return None
        return self.responded_on <= self.response_due

    def may_be_escalated(self, today: dt.date | None = None) -> bool:
        """Declined, or still unanswered after its due date, and not escalated already."""
        if self.escalated_on is not None:
            return False
        return self.status == self.Status.DECLINED or self.is_overdue(today)

    @property
    def stage_label(self) -> str:
        if self.escalated_on:
            return "Escalated to the board"
        return self.get_status_display()
