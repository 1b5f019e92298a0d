"""The notification framework: recording once, sending once after commit, failures recorded and
retried, the daily digest, and each person's choice between them."""

from __future__ import annotations

import datetime as dt
import smtplib

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from agreements import notifications as agreement_notifications
from agreements import services as agreement_services
from almo_sla.celery import app
from services import notifications
from services.models import Notification, Profile
from tests.agreements.factories import draft_copy_of_main, user

pytestmark = pytest.mark.django_db


@pytest.fixture
def eager_tasks():
    saved = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = saved


@pytest.fixture
def version(demo_data, eager_tasks, django_capture_on_commit_callbacks):
    """A draft out for comment (its own e-mails already sent)."""
    draft = draft_copy_of_main(demo_data)
    with django_capture_on_commit_callbacks(execute=True):
        circulated = agreement_services.agreement_circulate(
            agreement=draft, user=user("coordinator"), comment_deadline=timezone.localdate() + dt.timedelta(days=14)
        )
    mail.outbox.clear()
    return circulated


def _comment(version, capture, body="Please shorten the response time."):
    with capture(execute=True):
        return agreement_services.comment_add(version=version, author=user("legal.officer"), body=body)


def test_nothing_is_sent_until_the_transaction_commits(version, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        agreement_services.comment_add(version=version, author=user("legal.officer"), body="Fine.")
    assert mail.outbox == [] and len(callbacks) == 1
    row = Notification.objects.get(event="comment_received")
    assert row.sent_at is None and row.recipient == user("coordinator")
    callbacks[0]()
    assert [m.to for m in mail.outbox] == [["coordinator@example.gov.uk"]]


def test_plain_text_e_mails_keep_what_people_typed(version, django_capture_on_commit_callbacks):
    body = "Tenants' & leaseholders' \"views\" <matter>"
    _comment(version, django_capture_on_commit_callbacks, body=body)
    [message] = mail.outbox
    assert body in message.body
    assert message.from_email == "almo-sla@example.gov.uk"
    assert reverse("notification_settings") in message.body


def test_a_failed_send_is_recorded_retried_and_then_sent_once(version, django_capture_on_commit_callbacks, monkeypatch):
    def refuse(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("relay.example.gov.uk closed the connection")

    monkeypatch.setattr(notifications, "send_mail", refuse)
    _comment(version, django_capture_on_commit_callbacks)
    row = Notification.objects.get(event="comment_received")
    assert row.sent_at is None and row.attempts == 1 and row.claimed_by == ""
    assert row.failure_reason == "SMTPServerDisconnected: relay.example.gov.uk closed the connection"
    assert row.status == "failed"

    monkeypatch.undo()
    later = timezone.now() + notifications.PENDING_GRACE + dt.timedelta(seconds=1)
    assert notifications.pending_ids(now=later) == [row.pk]
    monkeypatch.setattr(notifications, "pending_ids", lambda: [row.pk])
    assert notifications.send_pending_notifications() == 1
    row.refresh_from_db()
    assert row.sent_at is not None and row.attempts == 2 and row.failure_reason == ""
    assert len(mail.outbox) == 1
    assert notifications.send_pending_notifications() == 1  # queued again by a stale sweep ...
    assert len(mail.outbox) == 1  # ... but sent once


def test_a_notification_out_of_attempts_is_not_queued_again(version, django_capture_on_commit_callbacks, monkeypatch):
    monkeypatch.setattr(notifications, "send_mail", lambda *a, **k: (_ for _ in ()).throw(OSError("down")))
    _comment(version, django_capture_on_commit_callbacks)
    row = Notification.objects.get(event="comment_received")
    Notification.objects.filter(pk=row.pk).update(attempts=notifications.MAX_ATTEMPTS)
    later = timezone.now() + notifications.PENDING_GRACE + dt.timedelta(seconds=1)
    assert notifications.pending_ids(now=later) == []


def test_a_second_task_for_a_claimed_notification_does_nothing_but_its_redelivery_takes_over(version):
    row = notifications.notify(
        event="circulated",
        recipients=[user("coordinator")],
        obj=version,
        url="/",
        context=agreement_notifications._version_context(version),
    )[0]
    assert notifications._claim(notifications.Q(pk=row.pk), "task-a") == 1
    assert notifications.deliver(notification_id=row.pk, task_id="task-b") == "skipped"
    assert mail.outbox == []
    assert notifications.deliver(notification_id=row.pk, task_id="task-a") == "sent"
    assert notifications.deliver(notification_id=row.pk, task_id="task-a") == "skipped"
    assert len(mail.outbox) == 1


def test_the_same_occurrence_is_recorded_once_per_person(version):
    context = agreement_notifications._version_context(version)
    first = notifications.notify(
        event="circulated", recipients=[user("legal.officer")], obj=version, url="/x/", context=context
    )
    again = notifications.notify(
        event="circulated",
        recipients=[user("legal.officer"), user("coordinator")],
        obj=version,
        url="/x/",
        context=context,
    )
    # legal.officer was told of the circulation already (by agreement_circulate), the coordinator not yet
    assert first == [] and [r.recipient.username for r in again] == ["coordinator"]


def test_inactive_people_and_the_actor_are_not_told(version, django_capture_on_commit_callbacks):
    coordinator = user("coordinator")
    coordinator.is_active = False
    coordinator.save()
    _comment(version, django_capture_on_commit_callbacks)
    assert not Notification.objects.filter(event="comment_received").exists()


def test_daily_digest_sends_one_summary_a_day(version, django_capture_on_commit_callbacks):
    profile = user("coordinator").profile
    notifications.delivery_preference_set(profile=profile, delivery=Profile.Delivery.DAILY_DIGEST)
    first = _comment(version, django_capture_on_commit_callbacks, body="First comment.")
    with django_capture_on_commit_callbacks(execute=True):
        agreement_services.comment_add(version=version, author=user("repairs.officer"), body="Second comment.")
    assert mail.outbox == []  # nothing as it happens
    rows = list(Notification.objects.filter(recipient__username="coordinator", event="comment_received"))
    assert len(rows) == 2 and all(r.delivery == "digest" and r.sent_at is None for r in rows)

    today = timezone.localdate()
    assert notifications.send_notification_digests(day=today.isoformat()) == 0  # today's digest: up to last night
    tomorrow = (today + dt.timedelta(days=1)).isoformat()
    assert notifications.send_notification_digests(day=tomorrow) == 1
    [digest] = mail.outbox
    assert digest.to == ["coordinator@example.gov.uk"]
    assert digest.subject == "Your daily summary: 2 updates from ALMO service level agreements"
    assert all(r.subject in digest.body for r in rows)
    link = f"/agreements/{version.agreement_id}/versions/{version.number}/#comments"
    assert digest.body.count(link) == 2
    assert all(r.sent_at for r in Notification.objects.filter(pk__in=[r.pk for r in rows]))
    assert any(first.body in r.body for r in rows)

    assert notifications.send_notification_digests(day=tomorrow) == 0  # run twice: sent once
    assert len(mail.outbox) == 1


def test_a_failed_digest_is_recorded_and_sent_on_the_next_run(version, django_capture_on_commit_callbacks, monkeypatch):
    notifications.delivery_preference_set(profile=user("coordinator").profile, delivery="daily_digest")
    _comment(version, django_capture_on_commit_callbacks)
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    monkeypatch.setattr(notifications, "send_mail", lambda *a, **k: (_ for _ in ()).throw(OSError("relay down")))
    notifications.send_notification_digests(day=tomorrow)
    row = Notification.objects.get(event="comment_received")
    assert row.sent_at is None and row.failure_reason == "OSError: relay down" and row.claimed_by == ""
    monkeypatch.undo()
    assert notifications.send_notification_digests(day=tomorrow) == 1
    assert len(mail.outbox) == 1


def test_settings_page_saves_the_choice(client_as, demo_data):
    client = client_as("environment.officer")
    page = client.get(reverse("notification_settings"))
    html = page.content.decode()
    assert page.status_code == 200 and "Your notification settings" in html
    assert 'type="radio"' in html and "One summary e-mail a day" in html
    response = client.post(reverse("notification_settings"), {"delivery": "daily_digest"})
    assert response.status_code == 302
    assert Profile.objects.get(user__username="environment.officer").notification_delivery == "daily_digest"
    assert "Saved: one summary e-mail a day." in client.get(response.url).content.decode()


def test_settings_page_names_the_missing_choice(client_as, demo_data):
    response = client_as("environment.officer").post(reverse("notification_settings"), {"delivery": ""})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Your notification settings" in html
    assert "Choose how you want to get notification e-mails" in html and "govuk-error-summary" in html


def test_settings_page_lists_the_e_mails_sent(version, client_as, django_capture_on_commit_callbacks):
    _comment(version, django_capture_on_commit_callbacks)
    html = client_as("coordinator").get(reverse("notification_settings")).content.decode()
    assert "New comment on SLA-KNH-NEXT v1 from Leo Lawson" in html


def test_every_event_has_its_template():
    from django.template.loader import get_template

    for event in Notification.Event.values:
        assert get_template(f"notifications/{event}.txt")


def test_deploy_check_wants_the_public_site_address(settings):
    from services.checks import site_url_is_public

    settings.SITE_URL = "http://127.0.0.1:8000"
    assert [w.id for w in site_url_is_public(None)] == ["services.W001"]
    settings.SITE_URL = "https://sla.example.gov.uk"
    assert site_url_is_public(None) == []
