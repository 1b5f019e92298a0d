"""Queue and deliver e-mails through GOV.UK Notify, each at most once.

``queue_email`` records one ``OutboundEmail`` per recipient (the unique reference makes a
repeat a no-op) and queues ``outbox.deliver`` after the transaction commits. ``deliver``
claims the row with a conditional UPDATE (queued → sending), so two workers, or a task
delivered twice, send it once; a failure Notify may recover from (a 5xx, 429 or no answer)
puts it back to queued for Celery to retry with back-off; anything else is recorded as
failed. A row left "sending" by a worker that died is not sent again automatically: Notify
may already have it (see the admin's outbox list).
"""

from __future__ import annotations

import hashlib
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from notifications_python_client.errors import APIError
from notifications_python_client.notifications import NotificationsAPIClient

from almo_sla.queue import enqueue_on_commit
from outbox import tasks
from outbox.models import OutboundEmail

logger = logging.getLogger("outbox")

GENERIC = "generic"
RETRYABLE_STATUS = {429, 500, 502, 503, 504}


class RetryableNotifyError(Exception):
    """Notify did not accept the e-mail but may on a later try."""


def template_for(kind: str) -> str:
    templates = settings.NOTIFY_TEMPLATES
    return templates.get(kind) or templates[GENERIC]


def reference_for(base: str, recipient: str) -> str:
    """An idempotency reference for one message to one recipient (kept under 255 characters)."""
    text = f"{base}:{recipient.lower()}"
    return text if len(text) <= 200 else f"{text[:150]}:{hashlib.sha256(text.encode()).hexdigest()}"


def queue_email(*, kind: str, subject: str, body: str, recipients: list[str], reference: str) -> list[int]:
    """Record one e-mail per recipient and queue its delivery; returns the ids newly queued."""
    queued = []
    for recipient in dict.fromkeys(r.strip() for r in recipients if r and r.strip()):
        try:
            with transaction.atomic():
                email = OutboundEmail.objects.create(
                    reference=reference_for(reference, recipient),
                    kind=kind,
                    template_id=template_for(kind),
                    recipient=recipient,
                    subject=subject,
                    body=body,
                )
        except IntegrityError:
            logger.info("Not queued again: %s", reference_for(reference, recipient))
            continue
        queued.append(email.pk)
        enqueue_on_commit(tasks.deliver, email.pk)
    return queued


def _client() -> NotificationsAPIClient:
    return NotificationsAPIClient(
        settings.NOTIFY_API_KEY, base_url=settings.NOTIFY_BASE_URL, timeout=settings.NOTIFY_TIMEOUT
    )


def send_once(email_id: int) -> str:
    """Send a queued e-mail to Notify. Returns its status afterwards; raises RetryableNotifyError to retry."""
    claimed = OutboundEmail.objects.filter(pk=email_id, status=OutboundEmail.Status.QUEUED).update(
        status=OutboundEmail.Status.SENDING, claimed_at=timezone.now()
    )
    email = OutboundEmail.objects.get(pk=email_id)
    if not claimed:
        return email.status  # sent, failed, or another worker has it
    email.attempts += 1
    try:
        answer = _client().send_email_notification(
            email_address=email.recipient,
            template_id=email.template_id,
            personalisation={"subject": email.subject, "body": email.body},
            reference=email.reference,
        )
    except APIError as exc:
        retry = exc.status_code in RETRYABLE_STATUS
        email.status = OutboundEmail.Status.QUEUED if retry else OutboundEmail.Status.FAILED
        email.last_error = f"{exc.status_code}: {exc.message}"[:2000]
        email.save(update_fields=["status", "attempts", "last_error"])
        logger.warning("Notify refused %s (attempt %s): %s", email.reference, email.attempts, email.last_error)
        if retry:
            raise RetryableNotifyError(email.last_error) from exc
        return email.status
    email.status = OutboundEmail.Status.SENT
    email.notify_id = str(answer.get("id", ""))[:64]
    email.sent_at = timezone.now()
    email.save(update_fields=["status", "attempts", "notify_id", "sent_at"])
    return email.status


def give_up(email_id: int) -> None:
    """Retries exhausted: record the failure."""
    OutboundEmail.objects.filter(pk=email_id, status=OutboundEmail.Status.QUEUED).update(
        status=OutboundEmail.Status.FAILED
    )
