"""Monitoring meetings: the agenda is built from the quarter's exceptions; attendees, decisions
and an action log with owners and dates that feeds the open-actions list."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from agreements.models import ServiceNotice
from reporting.cases import services
from reporting.cases.models import AgendaItem, MeetingAction, MonitoringMeeting
from reporting.models import QuarterlyReturn, StandardResult
from services.periods import Quarter

pytestmark = pytest.mark.django_db


def test_the_agenda_is_built_from_the_quarters_exceptions(demo_data, demo_user):
    main = demo_data["main"]
    quarter = Quarter.containing(timezone.localdate()).previous()
    schedule = main.schedules.get(service__name="Bulky waste collection")
    ServiceNotice.objects.create(
        schedule=schedule,
        served_on=quarter.start,
        effective_date=quarter.start + dt.timedelta(days=120),
        served_by=demo_user("coordinator"),
        reason="Moving to the ALMO's own contractor",
    )
    meeting = services.meeting_create(
        agreement=main, quarter=quarter, held_on=timezone.localdate(), location="", user=demo_user("coordinator")
    )
    items = list(meeting.agenda.all())
    kinds = [i.kind for i in items]
    reds = StandardResult.objects.filter(
        quarterly_return__agreement=main,
        quarterly_return__financial_year=quarter.year,
        quarterly_return__quarter=quarter.number,
        rag="red",
    ).count()
    assert kinds.count("red") == reds > 0
    assert (
        kinds.index("red")
        < kinds.index("case")
        < kinds.index("late_return")
        < kinds.index("slipped")
        < kinds.index("notice")
    )
    missing = QuarterlyReturn.objects.get(
        agreement=main, financial_year=quarter.year, quarter=quarter.number, department__name="Democratic Services"
    )
    assert any(i.title == f"Return missing: {missing.department}" for i in items)
    assert any(
        i.kind == "case" and i.case.standard.title == "Urgent repairs completed within time limits" for i in items
    )
    assert any(i.kind == "slipped" and i.improvement.reference == "KT4/2" for i in items)
    assert any(i.kind == "notice" and "Bulky waste collection" in i.title for i in items)
    # the demo meeting's open actions are carried to the next meeting
    assert (
        kinds.count("action") == MeetingAction.objects.filter(meeting__agreement=main, done_on__isnull=True).count() > 0
    )


def test_coordinator_runs_a_meeting_attendees_decision_and_actions(client_as, demo_data, demo_user):
    client = client_as("coordinator")
    quarter = Quarter.containing(timezone.localdate()).previous()
    today = timezone.localdate()
    response = client.post(
        reverse("reporting:meeting_add"),
        {
            "agreement": demo_data["main"].pk,
            "quarter": quarter.slug,
            "held_on_0": today.day,
            "held_on_1": today.month,
            "held_on_2": today.year,
            "location": "Civic Centre",
        },
    )
    meeting = MonitoringMeeting.objects.exclude(
        pk__in=MonitoringMeeting.objects.filter(location="Civic Centre, room 2")
    ).get()
    assert response.status_code == 302 and response.url == meeting.get_absolute_url() and meeting.agenda.exists()
    client.post(
        reverse("reporting:meeting_attendee_add", args=[meeting.pk]),
        {"name": "Head of Property Services", "role": "Service manager", "party": "council", "present": "on"},
    )
    item = meeting.agenda.filter(kind="case").first()
    client.post(
        reverse("reporting:meeting_item_edit", args=[meeting.pk, item.pk]),
        {"title": item.title, "detail": item.detail, "decision": "Serve the improvement notice"},
    )
    due = today + dt.timedelta(days=14)
    response = client.post(
        reverse("reporting:meeting_action_add", args=[meeting.pk]),
        {
            "item": item.pk,
            "description": "Serve notice",
            "owner": "Head of Property Services",
            "owner_user": demo_user("repairs.officer").pk,
            "due_date_0": due.day,
            "due_date_1": due.month,
            "due_date_2": due.year,
        },
    )
    assert response.status_code == 302
    action = MeetingAction.objects.get(meeting=meeting)
    assert (action.item, action.due_date, action.owner_user.username) == (item, due, "repairs.officer")
    item.refresh_from_db()
    assert item.decision == "Serve the improvement notice" and meeting.attendees.get().party == "council"
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Serve the improvement notice" in page and "Serve notice" in page and "Head of Property Services" in page
    listing = client.get(reverse("reporting:meeting_list")).content.decode()
    assert "Serve notice" in listing
    client.post(
        reverse("reporting:meeting_action_edit", args=[meeting.pk, action.pk]),
        {
            "item": item.pk,
            "description": "Serve notice",
            "owner": "Head of Property Services",
            "due_date_0": due.day,
            "due_date_1": due.month,
            "due_date_2": due.year,
            "done_on_0": today.day,
            "done_on_1": today.month,
            "done_on_2": today.year,
        },
    )
    action.refresh_from_db()
    assert action.done_on == today


def test_an_action_cannot_be_done_in_the_future_and_says_so_on_the_field(client_as, demo_data):
    meeting = MonitoringMeeting.objects.get(agreement=demo_data["main"])
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = client_as("coordinator").post(
        reverse("reporting:meeting_action_add", args=[meeting.pk]),
        {
            "description": "x",
            "owner": "y",
            "due_date_0": tomorrow.day,
            "due_date_1": tomorrow.month,
            "due_date_2": tomorrow.year,
            "done_on_0": tomorrow.day,
            "done_on_1": tomorrow.month,
            "done_on_2": tomorrow.year,
        },
    )
    assert response.status_code == 200 and "The date done cannot be in the future." in response.content.decode()


def test_board_members_read_meetings_and_officers_do_not(client_as, demo_data):
    meeting = MonitoringMeeting.objects.get(agreement=demo_data["main"])
    page = client_as("board.member").get(meeting.get_absolute_url()).content.decode()
    assert "Action log" in page and "Record minutes" not in page
    assert client_as("repairs.officer").get(meeting.get_absolute_url()).status_code == 404


def test_meeting_pages_query_counts_are_pinned(client_as, demo_data, django_assert_max_num_queries):
    client = client_as("coordinator")
    meeting = MonitoringMeeting.objects.get(agreement=demo_data["main"])
    AgendaItem.objects.bulk_create([AgendaItem(meeting=meeting, title=f"Extra {n}") for n in range(10)])
    MeetingAction.objects.bulk_create(
        [
            MeetingAction(
                meeting=meeting,
                description=f"Do {n}",
                owner="Someone",
                due_date=timezone.localdate(),
                owner_user=get_user_model().objects.get(username="coordinator"),
            )
            for n in range(10)
        ]
    )
    with django_assert_max_num_queries(12 + 1):
        assert client.get(reverse("reporting:meeting_list")).status_code == 200
    with django_assert_max_num_queries(14 + 1):
        assert client.get(meeting.get_absolute_url()).status_code == 200


def test_owners_are_reminded_of_actions_due_once(demo_data, mailoutbox):
    from reporting.improvement.tasks import send_meeting_action_reminders

    meeting = MonitoringMeeting.objects.get(agreement=demo_data["main"])
    today = timezone.localdate()
    owner = get_user_model().objects.get(username="repairs.officer")
    MeetingAction.objects.filter(meeting=meeting).update(owner_user=None)
    soon = MeetingAction.objects.create(
        meeting=meeting,
        description="Send the plan",
        owner="Ravi",
        owner_user=owner,
        due_date=today + dt.timedelta(days=2),
    )
    MeetingAction.objects.create(
        meeting=meeting, description="Later", owner="Ravi", owner_user=owner, due_date=today + dt.timedelta(days=30)
    )
    MeetingAction.objects.create(
        meeting=meeting, description="Done already", owner="Ravi", owner_user=owner, due_date=today, done_on=today
    )
    assert send_meeting_action_reminders() == 1
    assert [m.to for m in mailoutbox] == [[owner.email]] and "Send the plan" in mailoutbox[0].body
    soon.refresh_from_db()
    assert soon.reminded_on == today
    assert send_meeting_action_reminders() == 0 and len(mailoutbox) == 1
