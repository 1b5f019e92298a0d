import datetime as dt

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from almo_sla.queue import enqueue
from outbox import delivery
from outbox.models import OutboundEmail


@shared_task(bind=True, name="outbox.deliver", max_retries=None)
def deliver(self, email_id: int) -> str:
    """Deliver one queued e-mail through Notify; retried with back-off while Notify is unavailable."""
    tries_here = 0
    while True:
        try:
            return delivery.send_once(email_id)
        except delivery.RetryableNotifyError as exc:
            retries = self.request.retries + tries_here
            if retries >= settings.NOTIFY_MAX_RETRIES:
                delivery.give_up(email_id)
                return OutboundEmail.Status.FAILED
            if self.request.is_eager:  # no broker (development): try again at once
                tries_here += 1
                continue
            countdown = min(settings.NOTIFY_RETRY_DELAY * 2**retries, 3600)
            OutboundEmail.objects.filter(pk=email_id).update(
                next_attempt_at=timezone.now() + dt.timedelta(seconds=countdown)
            )
            raise self.retry(exc=exc, countdown=countdown) from exc


@shared_task(name="outbox.requeue_stranded")
def requeue_stranded() -> int:
    """Queue again e-mails whose delivery task never reached the broker (it was down)."""
    cutoff = timezone.now() - dt.timedelta(minutes=10)
    stranded = OutboundEmail.objects.filter(status=OutboundEmail.Status.QUEUED, created_at__lt=cutoff).exclude(
        next_attempt_at__gte=cutoff
    )
    count = 0
    for pk in stranded.values_list("pk", flat=True)[:500]:
        OutboundEmail.objects.filter(pk=pk).update(next_attempt_at=timezone.now())
        count += enqueue(deliver, pk)
    return count
