"""The pages users land on render what their role should see, in a constant number of queries."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements.models import Schedule
from tests.factories import AgreementFactory, ScheduleFactory, StandardFactory, StandardTargetFactory


def query_count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def grow(demo, n=15):
    """Add n agreements (with schedules, standards and targets) to the coordinator's ALMO."""
    main = demo["main"]
    for _ in range(n):
        agreement = AgreementFactory(almo=main.almo, council=main.council, coordinator=main.coordinator)
        for _ in range(3):
            schedule = ScheduleFactory(
                agreement=agreement, service__department=main.schedules.first().service.department
            )
            for _ in range(2):
                StandardTargetFactory(standard=StandardFactory(schedule=schedule))
    for _ in range(10):
        schedule = ScheduleFactory(agreement=main)
        StandardTargetFactory(standard=StandardFactory(schedule=schedule), effective_from=dt.date(2026, 4, 1))


PAGES = {
    "dashboard": lambda demo: reverse("dashboard"),
    "agreement list": lambda demo: reverse("agreements:agreement_list"),
    "agreement list, filtered and sorted": lambda demo: (
        reverse("agreements:agreement_list") + "?status=active&sort=reference"
    ),
    "agreement detail": lambda demo: demo["main"].get_absolute_url(),
    "schedule detail": lambda demo: (
        demo["main"].schedules.get(service__slug="removal-of-abandoned-vehicles").get_absolute_url()
    ),
    "service list": lambda demo: reverse("services:service_list"),
    "service detail": lambda demo: Schedule.objects.get(
        agreement=demo["main"], service__slug="responsive-repairs"
    ).service.get_absolute_url(),
}


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("username", ["coordinator", "environment.officer", "admin"])
def test_query_count_does_not_grow_with_the_data(client_as, demo_data, page, username):
    client = client_as(username)
    url = PAGES[page](demo_data)
    before = query_count(client, url)
    grow(demo_data)
    after = query_count(client, url)
    assert after == before, f"{page}: {before} queries with the demo data, {after} with more"
    # the dashboard also summarises quarterly returns and lists "your tasks" (one query per group: +6);
    # every other page's navigation shows the task counts (one query, within the limit)
    # the tenants' task list (+5); the agreement page also asks for its sealed version
    limit = 26 + 6 + 5 if page == "dashboard" else 21
    assert before <= limit, f"{page} takes {before} queries"


def test_coordinator_dashboard_shows_costs_and_agreements(client_as, demo_data):
    response = client_as("coordinator").get(reverse("dashboard"))
    html = response.content.decode()
    assert "Kirkby Neighbourhood Homes" in html
    assert "SLA-KNH-2025" in html
    assert "SLA-KEH-2026" not in html  # the other ALMO's agreement
    total = sum(s.annual_cost for s in demo_data["main"].schedules.all())
    assert f"£{total:,.0f}" in html


def test_department_officer_sees_only_their_departments_services(client_as, demo_data):
    client = client_as("environment.officer")
    html = client.get(demo_data["main"].get_absolute_url()).content.decode()
    assert "Removal of abandoned vehicles" in html
    assert "Legal advice and conveyancing" not in html
    assert "Responsive repairs" not in html
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert "£650,000" in dashboard  # 38,000 + 540,000 + 72,000 in the active agreement; the draft does not count


def test_agreement_list_filters_and_sorts(client_as, demo_data):
    client = client_as("admin")
    html = client.get(reverse("agreements:agreement_list") + "?status=draft").content.decode()
    assert "SLA-KEH-2026" in html and "SLA-KNH-2025" not in html
    html = client.get(reverse("agreements:agreement_list") + "?sort=reference").content.decode()
    assert html.index("SLA-KEH-2026") < html.index("SLA-KNH-2025")
    html = client.get(reverse("agreements:agreement_list") + "?q=strategic").content.decode()
    assert "SLA-KNH-2025" in html and "SLA-KEH-2026" not in html


def test_schedule_detail_shows_targets_rising_by_year(client_as, demo_data):
    schedule = demo_data["main"].schedules.get(service__slug="responsive-repairs")
    html = client_as("board.member").get(schedule.get_absolute_url()).content.decode()
    for text in ["1 April 2025", "85%", "1 April 2026", "90%", "1 April 2027", "96%", "12 months", "£4,200,000.00"]:
        assert text in html


def test_service_catalogue_filters_by_department_and_hra(client_as, demo_data):
    client = client_as("legal.officer")
    html = client.get(reverse("services:service_list") + "?name=repairs").content.decode()
    assert "Responsive repairs" in html and "Payroll" not in html
    html = client.get(reverse("services:service_list") + "?hra_funded=false").content.decode()
    assert "Board and committee support" in html and "Payroll" not in html


def test_login_page_shows_an_error_summary_and_keeps_the_username(client, demo_data):
    response = client.post(reverse("login"), {"username": "coordinator", "password": "wrong"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert 'value="coordinator"' in html


def test_health_endpoint_checks_the_database(client, db):
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


def test_unknown_page_uses_the_govuk_404(client_as, demo_data):
    response = client_as("coordinator").get("/agreements/999999/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_amber_tolerance_is_shown_in_the_standards_unit(client_as, demo_data):
    schedule = demo_data["main"].schedules.get(service__slug="removal-of-abandoned-vehicles")
    html = client_as("coordinator").get(schedule.get_absolute_url()).content.decode()
    assert "Amber within 12 hours of target." in html
    assert Decimal("24") == schedule.standards.get().targets.get().value
