"""The council's template schedule per service: used when drafting, and a redline of departures."""

from decimal import Decimal

import pytest
from django.urls import reverse

from agreements import services as agreement_services
from agreements.council_templates import ServiceTemplate, redline
from agreements.models import Schedule, StandardTarget
from services.models import Service


@pytest.fixture
def cars_template(demo_data):
    return ServiceTemplate.objects.get(service__slug="removal-of-abandoned-vehicles")


def test_south_schedule_departs_on_notice_and_a_changed_target(demo_data, cars_template):
    south = Schedule.objects.get(agreement__reference="SLA-KSH-2025", service__slug="removal-of-abandoned-vehicles")
    assert redline(schedule=south, template=cars_template) == ["Notice period (months): 6 (template 3)"]
    target = StandardTarget.objects.get(standard__schedule=south, effective_from__year=2025)
    target.value = Decimal("48")
    target.save()
    south = Schedule.objects.get(pk=south.pk)
    assert redline(schedule=south, template=cars_template) == [
        "Notice period (months): 6 (template 3)",
        "Abandoned cars removed within 24 hours of report: target 48 hours (template 24 hours)",
    ]
    knh = Schedule.objects.get(agreement=demo_data["main"], service__slug="removal-of-abandoned-vehicles")
    assert redline(schedule=knh, template=cars_template) == []


def test_a_missing_or_extra_standard_shows(demo_data, cars_template):
    knh = Schedule.objects.get(agreement=demo_data["main"], service__slug="removal-of-abandoned-vehicles")
    cars_template.standards = cars_template.standards + [
        {
            "title": "Fly-tipping cleared within 2 working days",
            "kind": "measured",
            "unit": "working_days",
            "direction": "lower",
            "target": "2",
        }
    ]
    assert redline(schedule=knh, template=cars_template) == [
        "Standard left out: Fly-tipping cleared within 2 working days"
    ]


def test_a_new_draft_schedule_starts_from_the_template(demo_data, cars_template, client_as):
    east = demo_data["east"]
    Schedule.objects.filter(agreement=east, service__slug="removal-of-abandoned-vehicles").delete()
    service = Service.objects.get(slug="removal-of-abandoned-vehicles")
    client = client_as("east.coordinator")
    html = client.get(reverse("agreements:schedule_create", args=[east.pk]) + f"?service={service.pk}").content.decode()
    assert "Filled in from the council's template" in html and cars_template.expected_service_level[:30] in html
    schedule = agreement_services.schedule_create(
        agreement=east,
        service=service,
        from_template=True,
        expected_service_level=cars_template.expected_service_level,
        notice_period_months=3,
        annual_cost=Decimal("38000"),
    )
    assert [s.title for s in schedule.standards.all()] == [s["title"] for s in cars_template.standards]
    assert redline(schedule=Schedule.objects.get(pk=schedule.pk), template=cars_template) == [
        "What is reported differs from the template"
    ]


def test_schedule_page_and_comparison_show_the_redline(demo_data, client_as):
    south = Schedule.objects.get(agreement__reference="SLA-KSH-2025", service__slug="removal-of-abandoned-vehicles")
    html = client_as("council.officer").get(reverse("agreements:schedule_detail", args=[south.agreement_id, south.pk]))
    assert "Notice period (months): 6 (template 3)" in html.content.decode()
    html = client_as("council.officer").get(reverse("reporting:council_compare") + f"?service={south.service_id}")
    assert "Notice period (months): 6 (template 3)" in html.content.decode()


def test_a_schedule_added_without_the_template_starts_with_no_standards(demo_data, cars_template):
    east = demo_data["east"]
    Schedule.objects.filter(agreement=east, service__slug="removal-of-abandoned-vehicles").delete()
    schedule = agreement_services.schedule_create(
        agreement=east,
        service=Service.objects.get(slug="removal-of-abandoned-vehicles"),
        expected_service_level="Our own words.",
        notice_period_months=3,
        annual_cost=Decimal("38000"),
    )
    assert not schedule.standards.exists()


def test_a_template_schedule_sent_back_with_an_error_keeps_its_template(demo_data, cars_template, client_as):
    """Re-shown with an error, the form still says it came from the template and still carries
    ``from_template``, so correcting the error adds the template's standards (nothing is lost)."""
    east = demo_data["east"]
    Schedule.objects.filter(agreement=east, service__slug="removal-of-abandoned-vehicles").delete()
    service = Service.objects.get(slug="removal-of-abandoned-vehicles")
    client = client_as("east.coordinator")
    url = reverse("agreements:schedule_create", args=[east.pk])
    data = {
        "service": service.pk,
        "from_template": "1",
        "expected_service_level": cars_template.expected_service_level,
        "notice_period_months": "",  # missing: the form comes back
        "annual_cost": "38000",
    }
    response = client.post(url, data)
    html = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in html
    assert "Filled in from the council's template" in html
    assert 'name="from_template" value="1"' in html
