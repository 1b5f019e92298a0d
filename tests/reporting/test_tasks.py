import datetime as dt

import pytest
from django.core import mail

from reporting import services, tasks
from reporting.models import QuarterlyReturn, ReturnReminder
from services.periods import Quarter, add_working_days


@pytest.fixture(autouse=True)
def _eager_notifications():
    """The reminders' e-mails are sent by ``services.send_notification``: in-process here."""
    from almo_sla.celery import app

    saved = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = saved


def sweep(today, settings):
    """The daily beat job; with a broker, the per-return tasks are run here in-process (a real worker is tested below).

    The e-mails go once the reminder's transaction commits (run here as the test holds one open).
    """
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        if not settings.CELERY_BROKER_URL:
            return tasks.send_return_reminders(today)
        sent = services.reminders_already_sent()
        for ret, kind in services.reminders_due(today=dt.date.fromisoformat(today)):
            if (ret.pk, kind) not in sent:
                tasks.send_return_reminder.apply(args=[ret.pk, kind]).get()


def test_reminders_go_before_and_after_the_due_date_each_once(demo_data, settings):
    ret = (
        QuarterlyReturn.objects.filter(
            agreement=demo_data["main"], status="draft", department__name="Environmental Services"
        )
        .order_by("-financial_year", "-quarter")
        .first()
    )
    before = add_working_days(ret.due_date, -3)
    mail.outbox.clear()
    sweep(before.isoformat(), settings)
    mine = [m for m in mail.outbox if "Environmental Services" in m.subject and ret.get_absolute_url() in m.body]
    assert len(mine) == 1 and mine[0].to == ["environment.officer@example.gov.uk"]
    assert mine[0].subject.startswith(f"Due {ret.due_date:%-d %B %Y}")
    sweep(before.isoformat(), settings)
    sweep((before + dt.timedelta(days=1)).isoformat(), settings)
    assert (
        len([m for m in mail.outbox if "Environmental Services" in m.subject and ret.get_absolute_url() in m.body]) == 1
    )  # once
    after = ret.due_date + dt.timedelta(days=1)
    sweep(after.isoformat(), settings)
    sweep(after.isoformat(), settings)
    overdue = [
        m
        for m in mail.outbox
        if m.subject.startswith("Overdue")
        and "Environmental Services" in m.subject
        and ret.get_absolute_url() in m.body
    ]  # the officer also reports to a third demo ALMO (issue 14)
    # one e-mail each, through the notification framework: the officer and the coordinator
    assert sorted(m.to[0] for m in overdue) == ["coordinator@example.gov.uk", "environment.officer@example.gov.uk"]
    assert all(ret.get_absolute_url() in m.body for m in overdue)
    assert set(ret.reminders.values_list("kind", flat=True)) == {"before_due", "overdue"}
    assert all(r.sent_at for r in ret.reminders.all())


def test_a_reminder_claimed_already_is_not_sent_again(demo_data, django_capture_on_commit_callbacks):
    ret = QuarterlyReturn.objects.filter(status="draft", department__name="Environmental Services").first()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_return_reminder.apply(args=[ret.pk, ReturnReminder.Kind.OVERDUE]).get() is True
        assert tasks.send_return_reminder.apply(args=[ret.pk, ReturnReminder.Kind.OVERDUE]).get() is False
    assert len(mail.outbox) == 2  # the officer and the coordinator, once each


def test_submitted_returns_get_no_reminders(demo_data, settings):
    mail.outbox.clear()
    overdue_day = max(QuarterlyReturn.objects.values_list("due_date", flat=True)) + dt.timedelta(days=1)
    for ret in QuarterlyReturn.objects.exclude(status__in=["draft", "sent_back"]):
        assert not ret.reminders.exists()
    sweep(overdue_day.isoformat(), settings)
    assert not ReturnReminder.objects.exclude(quarterly_return__status__in=["draft", "sent_back"]).exists()


def test_the_beat_task_opens_the_quarters_returns_idempotently(demo_data):
    quarter = Quarter.containing(dt.date.today()).next()  # noqa: DTZ011
    # 11 departments in SLA-KNH-2025 and 5 in the third demo ALMO's SLA-KSH-2025 (issue 14)
    assert tasks.open_quarter_returns.apply(args=[quarter.slug]).get() == 16
    assert tasks.open_quarter_returns.apply(args=[quarter.slug]).get() == 0
    assert QuarterlyReturn.objects.filter(financial_year=quarter.year, quarter=quarter.number).count() == 16


def test_beat_schedule_runs_opening_and_reminders(settings):
    tasks_scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"reporting.open_quarter_returns", "reporting.send_return_reminders"} <= tasks_scheduled


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_sends_a_reminder_once(demo_data, settings):
    """With a broker: the reminder task runs in a separate worker process, and a redelivery sends nothing."""
    import os
    import subprocess
    import sys
    import uuid
    from pathlib import Path

    from django.db import connection

    if not settings.CELERY_BROKER_URL or connection.vendor != "postgresql":
        pytest.skip("Needs CELERY_BROKER_URL and a PostgreSQL DATABASE_URL (.ci/run sets both).")
    ret = QuarterlyReturn.objects.filter(status="draft").first()
    queue = f"test-{uuid.uuid4().hex[:8]}"
    db = connection.settings_dict
    env = os.environ | {
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "DJANGO_SETTINGS_MODULE": "almo_sla.settings",
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "almo_sla",
            "worker",
            "--pool=solo",
            "--concurrency=1",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-Q",
            queue,
            "--loglevel=WARNING",
        ],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
    )
    try:
        first = tasks.send_return_reminder.apply_async(args=[ret.pk, "overdue"], queue=queue).get(timeout=60)
        second = tasks.send_return_reminder.apply_async(args=[ret.pk, "overdue"], queue=queue).get(timeout=60)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    assert (first, second) == (True, False)
    reminder = ReturnReminder.objects.get(quarterly_return=ret, kind="overdue")
    assert reminder.sent_at is not None
