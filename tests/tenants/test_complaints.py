"""Complaints about council services: Complaint Handling Code timescales, two stages, overdue steps, counts."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from agreements.models import Schedule
from reporting.complaints import selectors, services
from reporting.complaints.models import Complaint
from reporting.models import QuarterlyReturn

TODAY = dt.date(2026, 7, 20)


@pytest.fixture
def cars(demo_data):
    return Schedule.objects.select_related("agreement__almo", "service").get(
        agreement=demo_data["main"], service__slug="removal-of-abandoned-vehicles"
    )


def record(demo_user, cars, received_on=dt.date(2026, 3, 30)):
    return services.complaint_record(
        by=demo_user("coordinator"),
        schedule=cars,
        standard=None,
        source="tenant",
        complainant="Tenant 4471",
        summary="Car left outside number 12 for a week.",
        received_on=received_on,
        today=TODAY,
    )


def test_code_timescales_in_working_days_over_easter(demo_user, cars):
    complaint = record(demo_user, cars)  # Monday 30 March 2026; Good Friday 3 April, Easter Monday 6 April
    stage = complaint.stages.get()
    assert stage.acknowledge_due == dt.date(2026, 4, 8)
    assert stage.response_due == dt.date(2026, 4, 22)  # 10 working days from the acknowledgement due date
    services.complaint_acknowledge(
        complaint=complaint, by=demo_user("environment.officer"), acknowledged_on=dt.date(2026, 4, 1), today=TODAY
    )
    stage.refresh_from_db()
    assert stage.response_due == dt.date(2026, 4, 17)  # 10 working days from 1 April, skipping Easter


def test_two_stages_with_extension_outcome_remedy_and_learning(demo_user, cars):
    complaint = record(demo_user, cars)
    officer = demo_user("environment.officer")
    services.complaint_acknowledge(complaint=complaint, by=officer, acknowledged_on=dt.date(2026, 4, 1), today=TODAY)
    with pytest.raises(ValidationError) as error:
        services.complaint_extend(complaint=complaint, by=officer, extended_to=dt.date(2026, 4, 10), reason="")
    assert set(error.value.message_dict) == {"extended_to", "reason"}
    services.complaint_extend(
        complaint=complaint,
        by=officer,
        extended_to=dt.date(2026, 4, 24),
        reason="Waiting for the contractor's tracker log.",
    )
    with pytest.raises(ValidationError) as error:
        services.complaint_respond(
            complaint=complaint,
            by=officer,
            responded_on=dt.date(2026, 4, 23),
            outcome="upheld",
            response="Sorry.",
            remedy="",
            today=TODAY,
        )
    assert "remedy" in error.value.message_dict
    stage = services.complaint_respond(
        complaint=complaint,
        by=officer,
        responded_on=dt.date(2026, 4, 23),
        outcome="partly",
        response="The van broke down.",
        remedy="Apology",
        learning="Spare van on call.",
        today=TODAY,
    )
    assert stage.answered_in_time is True  # within the extension
    with pytest.raises(PermissionDenied):  # the department cannot open stage 2; the ALMO records the request
        services.complaint_escalate(complaint=complaint, by=officer, requested_on=dt.date(2026, 4, 27), reason="x")
    with pytest.raises(PermissionDenied):  # an answered stage cannot be answered again
        services.complaint_respond(
            complaint=complaint,
            by=officer,
            responded_on=dt.date(2026, 4, 24),
            outcome="not_upheld",
            response="No.",
            today=TODAY,
        )
    second = services.complaint_escalate(
        complaint=complaint,
        by=demo_user("coordinator"),
        requested_on=dt.date(2026, 4, 27),
        reason="Still unhappy",
        today=TODAY,
    )
    assert second.number == 2 and second.acknowledge_due == dt.date(2026, 5, 5)  # 4 May is a bank holiday
    services.complaint_acknowledge(complaint=complaint, by=officer, acknowledged_on=dt.date(2026, 4, 28), today=TODAY)
    second.refresh_from_db()
    assert second.response_due == dt.date(2026, 5, 28)  # 20 working days, skipping both May bank holidays
    services.complaint_respond(
        complaint=complaint,
        by=officer,
        responded_on=dt.date(2026, 5, 29),
        outcome="upheld",
        response="Upheld.",
        remedy="£50",
        today=TODAY,
    )
    second.refresh_from_db()
    assert second.answered_in_time is False
    complaint = Complaint.objects.get(pk=complaint.pk)
    assert not complaint.is_open and not complaint.may_go_to_stage_two


def test_dates_cannot_be_in_the_future_or_before_receipt(demo_user, cars):
    with pytest.raises(ValidationError) as error:
        record(demo_user, cars, received_on=TODAY + dt.timedelta(days=1))
    assert "received_on" in error.value.message_dict
    complaint = record(demo_user, cars)
    with pytest.raises(ValidationError):
        services.complaint_acknowledge(
            complaint=complaint, by=demo_user("coordinator"), acknowledged_on=dt.date(2026, 3, 1), today=TODAY
        )


def test_who_may_record_and_handle(demo_user, cars):
    for username in ("east.coordinator", "board.member", "panel.member", "council.officer", "environment.officer"):
        with pytest.raises(PermissionDenied):
            services.complaint_record(
                by=demo_user(username),
                schedule=cars,
                standard=None,
                source="tenant",
                complainant="",
                summary="x",
                received_on=TODAY,
                today=TODAY,
            )
    complaint = record(demo_user, cars)
    with pytest.raises(PermissionDenied):  # not repairs: the complaint is about environmental services
        services.complaint_acknowledge(
            complaint=complaint, by=demo_user("repairs.officer"), acknowledged_on=TODAY, today=TODAY
        )


def test_counts_and_share_answered_in_time(demo_user, cars):
    almo = cars.agreement.almo
    Complaint.objects.filter(almo=almo).delete()
    a = record(demo_user, cars, received_on=dt.date(2026, 4, 1))
    services.complaint_acknowledge(
        complaint=a, by=demo_user("coordinator"), acknowledged_on=dt.date(2026, 4, 2), today=TODAY
    )
    services.complaint_respond(
        complaint=a,
        by=demo_user("coordinator"),
        responded_on=dt.date(2026, 4, 10),
        outcome="not_upheld",
        response="No",
        today=TODAY,
    )
    b = record(demo_user, cars, received_on=dt.date(2026, 5, 1))  # acknowledged late, answered
    services.complaint_acknowledge(
        complaint=b, by=demo_user("coordinator"), acknowledged_on=dt.date(2026, 5, 20), today=TODAY
    )
    services.complaint_respond(
        complaint=b,
        by=demo_user("coordinator"),
        responded_on=dt.date(2026, 5, 21),
        outcome="upheld",
        response="Yes",
        remedy="Apology",
        today=TODAY,
    )
    record(demo_user, cars, received_on=dt.date(2026, 5, 11))  # not acknowledged: overdue by 20 July
    record(demo_user, cars, received_on=dt.date(2026, 7, 1))  # next quarter
    counts = selectors.complaint_counts(almo=almo, start=dt.date(2026, 4, 1), end=dt.date(2026, 6, 30), today=TODAY)
    assert (counts.received, counts.responses, counts.in_time, counts.upheld, counts.open, counts.overdue) == (
        3,
        2,
        1,
        1,
        1,
        1,
    )
    assert counts.share_in_time == 50


def test_overdue_steps_on_the_complaints_page(client_as):
    html = client_as("coordinator").get(reverse("reporting:complaint_list")).content.decode()
    assert "Overdue steps" in html and "Acknowledge complaint" in html
    assert "Response overdue" in html or "Acknowledgement overdue" in html


def test_return_page_shows_each_services_complaints(client_as, demo_data, demo_user, cars):
    ret = QuarterlyReturn.objects.get(
        agreement=demo_data["main"], department__name="Environmental Services", financial_year=2026, quarter=1
    )
    complaint = record(demo_user, cars, received_on=dt.date(2026, 4, 1))
    services.complaint_acknowledge(
        complaint=complaint, by=demo_user("coordinator"), acknowledged_on=dt.date(2026, 4, 2), today=TODAY
    )
    services.complaint_respond(
        complaint=complaint,
        by=demo_user("coordinator"),
        responded_on=dt.date(2026, 4, 9),
        outcome="not_upheld",
        response="No",
        today=TODAY,
    )
    record(demo_user, cars, received_on=dt.date(2026, 6, 1))
    html = client_as("environment.officer").get(reverse("reporting:return_detail", args=[ret.pk])).content.decode()
    section = html[html.index('id="complaints"') :]
    assert "Removal of abandoned vehicles" in section and "100% (1 of 1)" in section


def test_complaint_step_form_reshows_errors(client_as, demo_user, cars):
    complaint = record(demo_user, cars)
    client = client_as("environment.officer")
    url = reverse("reporting:complaint_step", args=[complaint.pk, "acknowledge"])
    response = client.post(url, {"acknowledged_on": "2026-03-01"})
    assert response.status_code == 200 and "before 30 March 2026" in response.content.decode()


def test_complaint_list_query_count_is_pinned(client_as, demo_user, cars, django_assert_max_num_queries):
    for n in range(12):
        record(demo_user, cars, received_on=dt.date(2026, 4, 1) + dt.timedelta(days=n))
    client = client_as("council.officer")
    with django_assert_max_num_queries(12):
        response = client.get(reverse("reporting:complaint_list"))
    assert response.content.decode().count("Car left outside") == 0  # the list shows no tenant's words
    assert response.content.decode().count("Removal of abandoned vehicles") >= 12


def test_dashboard_task_list_shows_overdue_steps_and_challenges_to_answer(client_as):
    html = client_as("coordinator").get(reverse("dashboard")).content.decode()
    section = html[html.index("Tenants: to do") :]
    assert "Acknowledge complaint" in section  # the Beech Road complaint, not acknowledged in 5 working days
    assert "Respond to the panel: Cars left for days on the Moorside estate" in section
    assert "Publish performance for tenants" in section and "2026/27 Q1" in section
    officer = client_as("repairs.officer").get(reverse("dashboard")).content.decode()
    assert "Beech Road" not in officer and "Respond to the panel" not in officer
