"""Drafting an agreement: numbered versions, comments on them, sign-off and the steps between.

A version is a frozen snapshot circulated for comment, sent for sign-off or recording the
terms after a variation. Signatories' decisions (``Approval``) are on a final version or on a
variation; ``DraftingStep`` records moving on to the next draft, sending for sign-off and
declining, with who, when and why.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from agreements.models.agreement import Agreement
from services.models import Service
from services.text import long_text


class AgreementVersion(models.Model):
    """A frozen, numbered snapshot of an agreement (v1, v2, …) that never changes afterwards."""

    class Purpose(models.TextChoices):
        CIRCULATED = "circulated", "Circulated for comment"
        SIGN_OFF = "sign_off", "Final version for sign-off"
        VARIATION = "variation", "Terms after a variation"

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    snapshot = models.JSONField(help_text="The agreement with its schedules, standards, targets and yearly costs.")
    comment_deadline = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["agreement", "number"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="version_number_unique_per_agreement"),
        ]

    def __str__(self):
        return f"{self.agreement.reference} v{self.number}"

    @property
    def label(self) -> str:
        return f"v{self.number}"

    def get_absolute_url(self):  # noqa: DJ012
        return reverse("agreements:version_detail", args=[self.agreement_id, self.number])

    def commenting_closed_reason(self, today: dt.date) -> str | None:
        """Why this version takes no comments on ``today``, or None while its comment window is open.

        The one home of the window rule: a version takes comments only while it is the agreement's
        current circulated version (the agreement still out for comment, no later version) and
        until the end of its deadline day. ``agreements.comment_on_version`` includes it.
        """
        if self.purpose != self.Purpose.CIRCULATED or self.comment_deadline is None:
            return f"{self.label} was not circulated for comment: it is the {self.get_purpose_display().lower()}."
        latest = self.agreement.versions.order_by("-number").values_list("number", flat=True).first()
        if latest is not None and latest > self.number:
            return f"Commenting on {self.label} has closed: v{latest} has replaced it."
        if self.agreement.status != Agreement.Status.OUT_FOR_COMMENT:
            status = self.agreement.get_status_display().lower()
            return (
                f"Commenting on {self.label} has closed: the agreement is no longer out for comment (it is {status})."
            )
        if today > self.comment_deadline:
            return f"Commenting on {self.label} closed at the end of {self.comment_deadline:%-d %B %Y}, its deadline."
        return None

    def commenting_open(self, today: dt.date) -> bool:
        return self.commenting_closed_reason(today) is None


class Comment(models.Model):
    """A comment on a circulated version, on one schedule (service) or the whole agreement."""

    class Status(models.TextChoices):
        OPEN = "open", "Awaiting a response"
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"
        ANSWERED = "answered", "Answered"

    version = models.ForeignKey(AgreementVersion, on_delete=models.CASCADE, related_name="comments")
    service = models.ForeignKey(
        Service,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The schedule commented on; blank for the whole agreement.",
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = long_text("comment")
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    response = long_text(blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["version", "created_at", "pk"]

    def __str__(self):
        where = self.service.name if self.service_id else "the whole agreement"
        return f"Comment on {where} ({self.version})"

    def clean(self):
        if self.status == self.Status.REJECTED and not self.response.strip():
            raise ValidationError({"response": "Give the reason for rejecting the comment."})
        if self.status == self.Status.ANSWERED and not self.response.strip():
            raise ValidationError({"response": "Enter your answer."})


class Approval(models.Model):
    """A signatory's decision on the final version (sign-off) or on a variation."""

    class Party(models.TextChoices):
        COUNCIL = "council", "Council"
        ALMO = "almo", "ALMO"

    class Decision(models.TextChoices):
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Declined"

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="approvals")
    version = models.ForeignKey(
        AgreementVersion, on_delete=models.CASCADE, null=True, blank=True, related_name="approvals"
    )
    variation = models.ForeignKey(
        "agreements.Variation", on_delete=models.CASCADE, null=True, blank=True, related_name="approvals"
    )
    party = models.CharField(max_length=10, choices=Party.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(max_length=10, choices=Decision.choices)
    reason = long_text(blank=True)
    decided_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["decided_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["version", "party"], name="one_approval_per_party_per_version"),
            models.UniqueConstraint(fields=["variation", "party"], name="one_approval_per_party_per_variation"),
        ]

    def __str__(self):
        what = f"variation {self.variation.number}" if self.variation_id else f"v{self.version.number}"
        return f"{self.get_party_display()} {self.get_decision_display().lower()} {what}"


class DraftingStep(models.Model):
    """A deliberate step in drafting, recorded with who took it, when and why.

    Moving on while a comment window is open or comments are unanswered needs a reason; a
    signatory declining a version gives one. The notification framework reads these rows (and
    ``Approval`` rows) to tell the right people.
    """

    class Kind(models.TextChoices):
        NEXT_DRAFT = "next_draft", "Started the next draft"
        SENT_FOR_SIGNOFF = "sent_for_signoff", "Sent for sign-off"
        DECLINED = "declined", "Declined at sign-off"

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="drafting_steps")
    version = models.ForeignKey(
        AgreementVersion,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text="The version the step moved on from (or sent for sign-off).",
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = long_text(blank=True)
    window_open = models.BooleanField("comment window still open", default=False)
    unanswered_comments = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["agreement", "created_at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.agreement.reference})"
