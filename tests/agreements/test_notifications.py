"""Circulation e-mails (through the notification framework): who gets them, when, and each only once."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from agreements import notifications, services
from agreements.tasks import send_comment_deadline_emails
from services.models import Notification, Service
from services.periods import add_working_days
from tests.agreements.factories import draft_copy_of_main, user

pytestmark = pytest.mark.django_db


def recipients(kind):
    return sorted(m.to[0].split("@")[0] for m in mail.outbox if kind in m.subject)


@pytest.fixture
def circulated(demo_data, eager_tasks, django_capture_on_commit_callbacks):
    draft = draft_copy_of_main(demo_data)
    with django_capture_on_commit_callbacks(execute=True):
        version = services.agreement_circulate(
            agreement=draft, user=user("coordinator"), comment_deadline=timezone.localdate() + dt.timedelta(days=14)
        )
    return version


def test_circulating_emails_the_officers_of_its_departments_and_both_signatories_once(
    circulated, django_capture_on_commit_callbacks
):
    assert recipients("out for comment") == [
        "almo.signatory",
        "council.signatory",
        "environment.officer",
        "legal.officer",
        "repairs.officer",
    ]
    message = next(m for m in mail.outbox if m.to == ["legal.officer@example.gov.uk"])
    assert "SLA-KNH-NEXT v1" in message.subject
    assert f"/agreements/{circulated.agreement_id}/versions/1/" in message.body
    before = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        assert notifications.circulated(version=circulated) == 0  # told again: nothing recorded, nothing sent
    assert len(mail.outbox) == before
    assert Notification.objects.filter(object_id=circulated.pk, event="circulated", sent_at__isnull=False).count() == 5


def test_reminders_go_two_working_days_before_the_deadline_to_those_who_have_not_commented(
    circulated, monkeypatch, django_capture_on_commit_callbacks
):
    services.comment_add(
        version=circulated,
        author=user("environment.officer"),
        body="Fine by us.",
        service=Service.objects.get(slug="removal-of-abandoned-vehicles"),
    )
    mail.outbox.clear()
    deadline = circulated.comment_deadline
    reminder_day = add_working_days(deadline, -2)

    def run():
        with django_capture_on_commit_callbacks(execute=True):
            return send_comment_deadline_emails()

    monkeypatch.setattr(timezone, "localdate", lambda: reminder_day - dt.timedelta(days=1))
    assert run() == {"reminder": 0, "deadline_passed": 0}
    monkeypatch.setattr(timezone, "localdate", lambda: reminder_day)
    assert run()["reminder"] == 4
    assert "environment.officer" not in recipients("Two working days left")
    assert len(recipients("Two working days left")) == 4
    assert run() == {"reminder": 0, "deadline_passed": 0}  # sent once
    monkeypatch.setattr(timezone, "localdate", lambda: deadline + dt.timedelta(days=1))
    assert run()["deadline_passed"] == 6  # everyone, and the coordinator
    assert "coordinator" in recipients("has closed")
    assert run() == {"reminder": 0, "deadline_passed": 0}


def test_beat_runs_the_daily_jobs():
    from django.conf import settings

    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {
        "agreements.send_comment_deadline_emails",
        "agreements.apply_due_variations",
        "agreements.activate_due_agreements",
        "services.send_notification_digests",
        "services.send_pending_notifications",
        "reporting.notify_overdue_remedial_actions",
    } <= tasks
