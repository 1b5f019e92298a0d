"""A record of every e-mail sent through GOV.UK Notify: one row per message and recipient."""

from django.db import models


class OutboundEmail(models.Model):
    """One e-mail to one recipient. ``reference`` is its idempotency key: unique, so it is queued once,
    and only a row still queued is claimed for sending, so it goes to Notify at most once."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Being sent"
        SENT = "sent", "Accepted by Notify"
        FAILED = "failed", "Failed"

    reference = models.CharField(max_length=255, unique=True)
    kind = models.CharField(max_length=60, help_text="The kind of notification; it picks the Notify template.")
    template_id = models.CharField(max_length=64)
    recipient = models.EmailField()
    subject = models.CharField(max_length=998)
    body = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    notify_id = models.CharField("Notify notification id", max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "outbound e-mail"

    def __str__(self):
        return f"{self.get_kind_display_text()} to {self.recipient} ({self.get_status_display()})"

    def get_kind_display_text(self):
        return self.kind.replace("_", " ").capitalize()
