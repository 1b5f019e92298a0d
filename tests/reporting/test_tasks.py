import datetime as dt

import pytest
from django.core import mail

from reporting import tasks
from reporting.models import QuarterlyReturn, ReturnReminder
from services.periods import Quarter, add_working_days


def test_reminders_go_before_and_after_the_due_date_each_once(demo_data, settings):
    if settings.CELERY_BROKER_URL:
        pytest.skip("Sends through a real worker in the worker test; here tasks must run in-process")
    ret = QuarterlyReturn.objects.filter(status="draft", department__name="Environmental Services").order_by("-financial_year", "-quarter").first()
    before = add_working_days(ret.due_date, -3)
    mail.outbox.clear()
    tasks.send_return_reminders(before.isoformat())
    mine = [m for m in mail.outbox if "Environmental Services" in m.subject]
    assert len(mine) == 1 and mine[0].to == ["environment.officer@example.gov.uk"]
    assert mine[0].subject.startswith(f"Due {ret.due_date:%-d %B %Y}")
    tasks.send_return_reminders(before.isoformat())
    tasks.send_return_reminders((before + dt.timedelta(days=1)).isoformat())
    assert len([m for m in mail.outbox if "Environmental Services" in m.subject]) == 1  # not sent twice
    after = ret.due_date + dt.timedelta(days=1)
    tasks.send_return_reminders(after.isoformat())
    tasks.send_return_reminders(after.isoformat())
    overdue = [m for m in mail.outbox if m.subject.startswith("Overdue") and "Environmental Services" in m.subject]
    assert len(overdue) == 1 and "coordinator@example.gov.uk" in overdue[0].to
    assert set(ret.reminders.values_list("kind", flat=True)) == {"before_due", "overdue"}
    assert all(r.sent_at for r in ret.reminders.all())


def test_a_reminder_claimed_already_is_not_sent_again(demo_data):
    ret = QuarterlyReturn.objects.filter(status="draft").first()
    mail.outbox.clear()
    assert tasks.send_return_reminder(ret.pk, ReturnReminder.Kind.OVERDUE) is True
    assert tasks.send_return_reminder(ret.pk, ReturnReminder.Kind.OVERDUE) is False
    assert len(mail.outbox) == 1


def test_submitted_returns_get_no_reminders(demo_data):
    mail.outbox.clear()
    overdue_day = max(QuarterlyReturn.objects.values_list("due_date", flat=True)) + dt.timedelta(days=1)
    for ret in QuarterlyReturn.objects.exclude(status__in=["draft", "sent_back"]):
        assert not ret.reminders.exists()
    tasks.send_return_reminders(overdue_day.isoformat())
    assert not ReturnReminder.objects.exclude(quarterly_return__status__in=["draft", "sent_back"]).exists()


def test_the_beat_task_opens_the_quarters_returns_idempotently(demo_data):
    quarter = Quarter.containing(dt.date.today()).next()
    first = tasks.open_quarter_returns(quarter.slug)
    assert first == 11
    assert tasks.open_quarter_returns(quarter.slug) == 0
    assert QuarterlyReturn.objects.filter(financial_year=quarter.year, quarter=quarter.number).count() == 11


def test_beat_schedule_runs_opening_and_reminders(settings):
    tasks_scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"reporting.open_quarter_returns", "reporting.send_return_reminders"} <= tasks_scheduled
