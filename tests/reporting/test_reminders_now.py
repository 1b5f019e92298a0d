"""Overdue returns: "Send a reminder now" (recorded, at most once a day); the returns filter's
Overdue and Late; a resubmitted return no longer shows the previous review."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from almo_sla.celery import app
from reporting import services
from reporting.models import QuarterlyReturn, ReturnReminder
from tests.agreements.factories import user
from tests.reporting.conftest import current_return, fill

pytestmark = pytest.mark.django_db


@pytest.fixture
def eager():
    saved = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = saved


@pytest.fixture
def overdue(demo_data, time_machine):
    """The environment return, three days after its due date (still a draft)."""
    ret = current_return(demo_data, "Environmental Services")
    time_machine.move_to(dt.datetime.combine(ret.due_date + dt.timedelta(days=3), dt.time(10)), tick=False)
    assert ret.progress(timezone.localdate()) == QuarterlyReturn.Progress.OVERDUE
    return ret


def remind_url(ret):
    return reverse("reporting:return_remind", args=[ret.pk])


def test_the_coordinator_sends_a_reminder_now_once_a_day(
    overdue, client_as, eager, django_capture_on_commit_callbacks, time_machine
):
    client = client_as("coordinator")
    page = client.get(overdue.get_absolute_url()).content.decode()
    assert "Send a reminder now" in page
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(remind_url(overdue), follow=True)
    assert "A reminder has been sent to Environmental Services" in response.content.decode()
    [message] = mail.outbox
    assert message.to == ["environment.officer@example.gov.uk"]
    assert message.subject.startswith("Reminder: Environmental Services return for")
    assert "3 days ago" in message.body and overdue.get_absolute_url() in message.body
    reminder = ReturnReminder.objects.get(quarterly_return=overdue, kind="manual")
    assert reminder.requested_by == user("coordinator") and reminder.sent_on == timezone.localdate()
    assert reminder.recipients == "environment.officer@example.gov.uk"

    page = client.get(overdue.get_absolute_url()).content.decode()
    assert "Send a reminder now" not in page and "A reminder was sent today" in page
    assert "Reminder sent" in page and "Chris Coordinator" in page
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(remind_url(overdue), follow=True)
    assert "already been sent today" in again.content.decode()
    assert len(mail.outbox) == 1 and ReturnReminder.objects.filter(kind="manual").count() == 1

    time_machine.shift(dt.timedelta(days=1))
    client = client_as("coordinator")  # signed out overnight (idle timeout)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(remind_url(overdue)).status_code == 302
    assert len(mail.outbox) == 2 and ReturnReminder.objects.filter(kind="manual").count() == 2


@pytest.mark.parametrize(
    "username, status",
    [
        ("environment.officer", 403),
        ("board.member", 403),
        ("east.coordinator", 404),
        ("admin", 302),
    ],
)
def test_only_those_who_review_the_return_may_chase_it(overdue, client_as, username, status):
    response = client_as(username).post(remind_url(overdue))
    assert response.status_code == status
    assert ReturnReminder.objects.filter(kind="manual").count() == (1 if status == 302 else 0)


def test_a_return_that_is_not_overdue_cannot_be_chased(demo_data, client_as):
    ret = current_return(demo_data, "Environmental Services")  # its quarter is still running
    assert client_as("coordinator").post(remind_url(ret)).status_code == 403
    assert "Send a reminder now" not in client_as("coordinator").get(ret.get_absolute_url()).content.decode()
    with pytest.raises(Exception, match="Only an overdue return"):
        services.return_remind(quarterly_return=ret, user=user("coordinator"))


def _listed(client, status):
    html = client.get(reverse("reporting:return_list") + f"?status={status}").content.decode()
    return {ret.pk for ret in QuarterlyReturn.objects.all() if ret.get_absolute_url() + '"' in html}


def test_the_filter_finds_overdue_and_late_returns(demo_data, client_as):
    today = timezone.localdate()
    client = client_as("admin")
    # expected, worked out here from the stored dates (not with the queryset methods under test)
    all_returns = list(QuarterlyReturn.objects.all())
    overdue = {r.pk for r in all_returns if r.status == "draft" and today > r.due_date}
    late = {r.pk for r in all_returns if r.submitted_at and timezone.localdate(r.submitted_at) > r.due_date}
    assert overdue and late, "the demo has both"
    assert _listed(client, "overdue") == overdue
    assert _listed(client, "late") == late
    assert all(r.is_late(today) for r in all_returns if r.pk in late | overdue)
    html = client.get(reverse("reporting:return_list")).content.decode()
    assert '<option value="overdue">Overdue</option>' in html
    assert '<option value="late">Submitted late</option>' in html


def test_late_goes_by_the_local_date(demo_data, client_as):
    """Submitted at 00:30 BST the day after the due date is late; 23:30 BST on the due date is not."""
    ret = current_return(demo_data, "Environmental Services")
    london = timezone.get_current_timezone()
    after = dt.datetime.combine(ret.due_date + dt.timedelta(days=1), dt.time(0, 30), tzinfo=london)
    QuarterlyReturn.objects.filter(pk=ret.pk).update(status="submitted", submitted_at=after)
    assert ret.pk in _listed(client_as("admin"), "late")
    on_time = dt.datetime.combine(ret.due_date, dt.time(23, 30), tzinfo=london)
    QuarterlyReturn.objects.filter(pk=ret.pk).update(submitted_at=on_time)
    assert ret.pk not in _listed(client_as("admin"), "late")


def test_a_resubmitted_return_no_longer_shows_the_previous_review(demo_data, client_as):
    ret = current_return(demo_data, "Environmental Services")
    services.return_save(quarterly_return=ret, user=user("environment.officer"), results=fill(ret))
    services.return_submit(quarterly_return=ret, user=user("environment.officer"))
    services.return_send_back(quarterly_return=ret, user=user("coordinator"), comment="Explain the dip.")
    client = client_as("coordinator")
    page = client.get(ret.get_absolute_url()).content.decode()
    assert "Reviewed</dt>" in page and "by Chris Coordinator" in page

    services.return_submit(quarterly_return=ret, user=user("environment.officer"))
    page = client.get(ret.get_absolute_url()).content.decode()
    assert "Reviewed</dt>" not in page
    assert "Explain the dip." in page  # still in the return's history
    ret.refresh_from_db()
    assert ret.reviewed_at is None and ret.reviewed_by is None and ret.review_comment == ""

    services.return_accept(quarterly_return=ret, user=user("coordinator"))
    assert "Reviewed</dt>" in client.get(ret.get_absolute_url()).content.decode()


def test_the_dashboard_links_its_overdue_and_late_counts_to_the_filter(demo_data, client_as):
    html = client_as("coordinator").get(reverse("dashboard")).content.decode()
    assert f'href="{reverse("reporting:return_list")}?status=overdue"' in html
    assert f"{reverse('reporting:return_list')}?status=late&amp;period=" in html


def test_a_department_with_nobody_to_remind_is_said_so(overdue, client_as):
    from services.models import Profile

    Profile.objects.filter(department__name="Environmental Services").update(department=None, role="board_member")
    page = client_as("coordinator").get(overdue.get_absolute_url()).content.decode()
    assert "Nobody in Environmental Services has an e-mail address to remind." in page
    assert "Send a reminder now" not in page
