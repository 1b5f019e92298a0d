"""Telling people: one framework for every workflow e-mail.

A workflow write calls ``notify(...)`` at its end, inside its transaction. ``notify``
records one ``Notification`` per recipient (the unique ``(recipient, key)`` makes an
occurrence recorded once, whatever retries or double clicks happen), renders the e-mail
from ``templates/notifications/<event>.txt`` with a link built from ``settings.SITE_URL``,
and, once the transaction commits, queues the Celery task ``services.send_notification``
for each recipient who wants e-mails as they happen. The others get one summary a day
(``services.send_notification_digests``, Celery beat). Sending claims the row with a
conditional UPDATE, so a redelivered task sends nothing twice; a failure is recorded
(``failure_reason``, ``attempts``) and retried with backoff, and a beat sweep
(``services.send_pending_notifications``) queues again what the broker never took.

Who is told of what is decided by the app the event belongs to (``agreements.notifications``,
``reporting.notifications``); this module only knows users and roles.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.mail import send_mail
from django.db import IntegrityError, models, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from almo_sla.queue import enqueue, enqueue_on_commit
from services.models import Notification, Profile

logger = logging.getLogger(__name__)

Event = Notification.Event
Delivery = Notification.Delivery

MAX_ATTEMPTS = 5
SUBJECT_MARKER = "\n---\n"
# The sweeper queues again an unsent, unclaimed e-mail recorded at least this long ago (its first
# task should have taken it by then). A failed send releases its claim, so it is swept too; a
# claim left by a worker lost mid-send is not (the e-mail may have gone): only the same task,
# redelivered by the broker, takes it over. Never twice rather than maybe twice.
PENDING_GRACE = dt.timedelta(minutes=2)


# --- Links ---------------------------------------------------------------------------------


def absolute_url(path: str) -> str:
    """``path`` on the configured site address (``SITE_URL``), for links in e-mails."""
    if path.startswith(("http://", "https://")):
        return path
    return settings.SITE_URL.rstrip("/") + "/" + path.lstrip("/")


# --- Audiences: who holds which role ----------------------------------------------------------


def _active_users():
    return get_user_model().objects.filter(is_active=True)


def department_officers(department_ids: Iterable[int]):
    return _active_users().filter(
        profile__role=Profile.Role.DEPARTMENT_OFFICER, profile__department_id__in=list(department_ids)
    )


def almo_coordinators(almo_id: int):
    return _active_users().filter(profile__role=Profile.Role.COORDINATOR, profile__almo_id=almo_id)


def users(*groups) -> list:
    """The distinct user ids among ``groups`` (users, ids, None, querysets or lists of them), in order."""
    ids: list[int] = []
    for group in groups:
        if group is None:
            continue
        if isinstance(group, int):
            ids.append(group)
        elif isinstance(group, models.QuerySet):
            ids.extend(group.values_list("pk", flat=True))
        elif isinstance(group, models.Model):
            ids.append(group.pk)
        else:
            ids.extend(u.pk if isinstance(u, models.Model) else u for u in group if u is not None)
    return list(dict.fromkeys(ids))


# --- Recording ------------------------------------------------------------------------------


def _render(event: str, context: dict) -> tuple[str, str]:
    text = render_to_string(f"notifications/{event}.txt", context)
    subject, _, body = text.partition(SUBJECT_MARKER)
    return " ".join(subject.split())[:250], body.strip() + "\n"


def _delivery_of(user) -> str:
    try:
        preference = user.profile.notification_delivery
    except Profile.DoesNotExist:
        return Delivery.IMMEDIATE
    return Delivery.DIGEST if preference == Profile.Delivery.DAILY_DIGEST else Delivery.IMMEDIATE


def notify(
    *,
    event: str,
    recipients: Iterable,
    obj: models.Model | None,
    url: str,
    context: dict | None = None,
    key: str | None = None,
    actor=None,
) -> list[Notification]:
    """Record (once per recipient and ``key``) and, after commit, send the ``event`` e-mail.

    ``recipients``: user ids (see ``users``); the ``actor`` (who did it) is left out, and so
    are inactive users. ``key`` names the occurrence (default: the event and the object), so
    calling again for the same occurrence records and sends nothing. Returns the new rows.
    """
    if event not in Event.values:
        raise ValueError(f"Unknown notification event {event!r}")
    ids = [pk for pk in users(recipients) if actor is None or pk != getattr(actor, "pk", actor)]
    if not ids:
        return []
    content_type = ContentType.objects.get_for_model(obj) if obj is not None else None
    if key is None:
        if obj is None:
            raise ValueError("A notification about no object needs a key.")
        key = f"{event}:{content_type.app_label}.{content_type.model}:{obj.pk}"
    link = absolute_url(url) if url else ""
    base = {
        "link": link,
        "site_url": settings.SITE_URL.rstrip("/"),
        "settings_link": absolute_url(reverse("notification_settings")),
        **(context or {}),
    }
    created = []
    recipients_qs = _active_users().filter(pk__in=ids).select_related("profile").order_by("pk")
    for user in recipients_qs:
        subject, body = _render(event, base | {"user": user, "name": user.get_full_name() or user.username})
        row = Notification(
            event=event,
            recipient=user,
            key=key[:200],
            content_type=content_type,
            object_id=obj.pk if obj is not None else None,
            subject=subject,
            body=body,
            url=link,
            delivery=_delivery_of(user),
        )
        try:
            with transaction.atomic():
                row.save()
        except IntegrityError:  # this occurrence was already recorded for this person
            continue
        created.append(row)
        if row.delivery == Delivery.IMMEDIATE:
            enqueue_on_commit(send_notification, row.pk)
    return created


# --- Sending ------------------------------------------------------------------------------------


def _claim(filter_q: Q, claim: str) -> int:
    now = timezone.now()
    return Notification.objects.filter(filter_q, sent_at__isnull=True).update(
        claimed_by=claim, claimed_at=now, attempts=F("attempts") + 1
    )


def deliver(*, notification_id: int, task_id: str) -> str:
    """Send one immediate notification, once. Returns ``sent``, ``skipped`` or raises the send error.

    The row is claimed by a conditional UPDATE (not yet sent, and unclaimed or claimed by this
    same task, redelivered after its worker was lost); a second task for it does nothing.
    """
    claimed = _claim(
        Q(pk=notification_id, delivery=Delivery.IMMEDIATE) & (Q(claimed_by="") | Q(claimed_by=task_id)),
        task_id,
    )
    if not claimed:
        return "skipped"
    row = Notification.objects.select_related("recipient").get(pk=notification_id)
    if not row.recipient.email:
        Notification.objects.filter(pk=row.pk).update(failure_reason="The person has no e-mail address.")
        return "skipped"
    try:
        send_mail(row.subject, row.body, None, [row.recipient.email])
    except Exception as exc:  # noqa: BLE001 - every failure is recorded, then retried
        Notification.objects.filter(pk=row.pk, claimed_by=task_id).update(claimed_by="", failure_reason=_reason(exc))
        raise
    Notification.objects.filter(pk=row.pk).update(sent_at=timezone.now(), failure_reason="")
    return "sent"


def _reason(exc: BaseException) -> str:
    return f"{exc.__class__.__name__}: {exc}"[:2000]


def _backoff(retries: int) -> int:
    return min(60 * 2**retries, 3600)


@shared_task(
    name="services.send_notification",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=MAX_ATTEMPTS - 1,
)
def send_notification(self, notification_id: int) -> str:
    task_id = self.request.id or f"eager-{notification_id}"
    try:
        return deliver(notification_id=notification_id, task_id=task_id)
    except Exception as exc:  # noqa: BLE001
        logger.warning("Notification %s not sent: %s", notification_id, exc)
        if self.request.is_eager or self.request.retries >= self.max_retries:
            return "failed"  # recorded; the sweeper tries again while attempts remain
        raise self.retry(exc=exc, countdown=_backoff(self.request.retries)) from exc


def pending_ids(*, now: dt.datetime | None = None) -> list[int]:
    """Immediate notifications never sent and not being sent: the broker never took them, or
    their last attempt failed and attempts remain."""
    now = now or timezone.now()
    return list(
        Notification.objects.filter(
            delivery=Delivery.IMMEDIATE,
            sent_at__isnull=True,
            claimed_by="",
            attempts__lt=MAX_ATTEMPTS,
            created_at__lt=now - PENDING_GRACE,
        )
        .exclude(recipient__email="")
        .order_by("pk")
        .values_list("pk", flat=True)[:500]
    )


@shared_task(name="services.send_pending_notifications")
def send_pending_notifications() -> int:
    """Beat, every few minutes: queue again what was never queued or failed (with attempts left)."""
    queued = 0
    for pk in pending_ids():
        if not enqueue(send_notification, pk):
            break  # broker down: the next run tries again
        queued += 1
    return queued


# --- The daily digest ------------------------------------------------------------------------


def _digest_cutoff(day: dt.date) -> dt.datetime:
    """A day's digest holds what was recorded before that day began (local time), so it is sent once a day."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def digest_recipient_ids(*, day: dt.date) -> list[int]:
    return list(
        Notification.objects.filter(
            delivery=Delivery.DIGEST, sent_at__isnull=True, claimed_by="", created_at__lt=_digest_cutoff(day)
        )
        .values_list("recipient_id", flat=True)
        .distinct()
        .order_by("recipient_id")
    )


def deliver_digest(*, user_id: int, day: dt.date) -> int:
    """Send the user one e-mail listing every notification waiting for their digest of ``day``;
    returns how many it held (0: nothing waiting, or already sent)."""
    claim = f"digest:{user_id}:{day.isoformat()}"
    waiting = Q(recipient_id=user_id, delivery=Delivery.DIGEST, created_at__lt=_digest_cutoff(day))
    _claim(waiting & (Q(claimed_by="") | Q(claimed_by=claim)), claim)
    rows = list(Notification.objects.filter(claimed_by=claim, sent_at__isnull=True).order_by("created_at", "pk"))
    if not rows:
        return 0
    user = get_user_model().objects.get(pk=user_id)
    ids = [r.pk for r in rows]
    if not user.email:
        Notification.objects.filter(pk__in=ids).update(failure_reason="The person has no e-mail address.")
        return 0
    subject, body = _render(
        "digest",
        {
            "user": user,
            "name": user.get_full_name() or user.username,
            "items": rows,
            "day": day,
            "site_url": settings.SITE_URL.rstrip("/"),
            "settings_link": absolute_url(reverse("notification_settings")),
        },
    )
    try:
        send_mail(subject, body, None, [user.email])
    except Exception as exc:
        Notification.objects.filter(pk__in=ids, claimed_by=claim).update(claimed_by="", failure_reason=_reason(exc))
        raise
    Notification.objects.filter(pk__in=ids).update(sent_at=timezone.now(), failure_reason="")
    return len(rows)


@shared_task(
    name="services.send_notification_digest",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=MAX_ATTEMPTS - 1,
)
def send_notification_digest(self, user_id: int, day: str) -> int:
    try:
        return deliver_digest(user_id=user_id, day=dt.date.fromisoformat(day))
    except Exception as exc:  # noqa: BLE001
        logger.warning("Digest for user %s not sent: %s", user_id, exc)
        if self.request.is_eager or self.request.retries >= self.max_retries:
            return 0
        raise self.retry(exc=exc, countdown=_backoff(self.request.retries)) from exc


@shared_task(name="services.send_notification_digests")
def send_notification_digests(day: str | None = None) -> int:
    """Beat, once a day: one digest task per person with notifications waiting. Returns how many were queued."""
    day = day or timezone.localdate().isoformat()
    queued = 0
    for user_id in digest_recipient_ids(day=dt.date.fromisoformat(day)):
        if not enqueue(send_notification_digest, user_id, day):
            break
        queued += 1
    return queued


# --- Preferences ------------------------------------------------------------------------------------


def delivery_preference_set(*, profile: Profile, delivery: str) -> Profile:
    """Each e-mail as it happens, or one summary a day. Notifications already waiting for a digest
    go in the next one."""
    profile.notification_delivery = delivery
    profile.full_clean()
    profile.save(update_fields=["notification_delivery"])
    return profile
