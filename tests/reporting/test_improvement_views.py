"""Improvement plan pages: the coordinator enters a Salford-style plan in the browser (GOV.UK
forms, day/month/year dates, errors named on the field); board members read; pinned queries."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.urls import reverse

from reporting.improvement.models import Improvement, ImprovementPlan, PerformanceIndicator, Risk, TargetDateRevision
from reporting.models import Departure

pytestmark = pytest.mark.django_db


def date(prefix, day):
    return {f"{prefix}_0": str(day.day), f"{prefix}_1": str(day.month), f"{prefix}_2": str(day.year)}


def plan_of(demo):
    return ImprovementPlan.objects.get(almo=demo["main"].almo)


def test_coordinator_enters_a_plan_theme_improvement_indicator_and_risk_then_approves(client_as, demo_data):
    client = client_as("coordinator")
    response = client.post(
        reverse("reporting:plan_add"),
        {
            "title": "Service Improvement Plan 2027",
            "review_name": "Best Value Review of Housing Services",
            "risk_threshold": 12,
            **date("starts_on", dt.date(2027, 4, 1)),
        },
    )
    plan = ImprovementPlan.objects.get(title="Service Improvement Plan 2027")
    assert response.status_code == 302 and plan.almo == demo_data["main"].almo and plan.status == "draft"
    client.post(
        reverse("reporting:theme_add", args=[plan.pk]),
        {"number": 4, "title": "Improving the repair service", "priority": 1},
    )
    theme = plan.themes.get(number=4)
    response = client.post(
        reverse("reporting:improvement_add", args=[theme.pk]),
        {
            "reference": "KT4/1",
            "title": "Review of existing bonus scheme",
            "issue": "Bonus is a barrier",
            "outcome": "Improved completions",
            "lead_officer": "Repairs Manager",
            "status": "not_started",
            **date("target_date", dt.date(2028, 4, 1)),
            "standards": [
                demo_data["main"].schedules.get(service__name="Responsive repairs").standards.get(position=0).pk
            ],
        },
    )
    improvement = Improvement.objects.get(theme=theme)
    assert response.status_code == 302 and improvement.target_date == improvement.original_target_date == dt.date(
        2028, 4, 1
    )
    assert improvement.standards.get().title == "Urgent repairs completed within time limits"
    client.post(
        reverse("reporting:improvement_resource_add", args=[improvement.pk]),
        {"post": "Housing Legal Team Leader", "percent_of_time": "20"},
    )
    client.post(
        reverse("reporting:improvement_task_add", args=[improvement.pk]), {"description": "Ballot staff", "position": 1}
    )
    assert improvement.resources.get().percent_of_time == D("20") and improvement.tasks.count() == 1
    response = client.post(
        reverse("reporting:indicator_add", args=[theme.pk]),
        {
            "code": "BVPI 72",
            "title": "% urgent repairs within time limits",
            "unit": "percent",
            "direction": "higher",
            "baseline_year": 2026,
            "baseline": "74.48",
            "position": 0,
            "targets-TOTAL_FORMS": 2,
            "targets-INITIAL_FORMS": 0,
            "targets-MIN_NUM_FORMS": 0,
            "targets-MAX_NUM_FORMS": 12,
            "targets-0-financial_year": 2027,
            "targets-0-value": "85",
            "targets-0-note": "",
            "targets-1-financial_year": 2028,
            "targets-1-value": "90",
            "targets-1-note": "Planned dip first",
        },
    )
    assert response.status_code == 302
    indicator = PerformanceIndicator.objects.get(theme=theme)
    assert list(indicator.targets.values_list("financial_year", "value")) == [(2027, D("85")), (2028, D("90"))]
    response = client.post(reverse("reporting:plan_approve", args=[plan.pk]), follow=True)
    assert "needs a risk assessment" in response.content.decode()
    client.post(
        reverse("reporting:risk_add", args=[theme.pk]),
        {
            "area": "Unable to agree an alternative bonus",
            "likelihood": "4",
            "impact": "5",
            "consequences": "Barrier",
            "mitigation": "Consultant",
            "owner": "Repairs Manager",
        },
    )
    assert Risk.objects.get(theme=theme).score == 20
    client.post(reverse("reporting:plan_approve", args=[plan.pk]))
    plan.refresh_from_db()
    assert plan.status == "approved"


def test_a_wrong_date_is_named_on_its_field_and_the_form_keeps_what_was_typed(client_as, demo_data):
    client = client_as("coordinator")
    theme = plan_of(demo_data).themes.get(number=4)
    response = client.post(
        reverse("reporting:improvement_add", args=[theme.pk]),
        {
            "reference": "KT4/9",
            "title": "T",
            "issue": "I",
            "outcome": "O",
            "lead_officer": "L",
            "status": "on_track",
            "target_date_0": "31",
            "target_date_1": "2",
            "target_date_2": "2028",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" in html
    assert "The target date must be a real date." in html and 'href="#id_target_date_0"' in html
    assert 'value="31"' in html and "govuk-date-input" in html
    assert not Improvement.objects.filter(reference="KT4/9").exists()


def test_target_date_change_is_recorded_with_reason_and_who_agreed(client_as, demo_data):
    client = client_as("coordinator")
    item = Improvement.objects.get(theme__plan=plan_of(demo_data), reference="KT5")
    old = item.target_date
    response = client.post(
        reverse("reporting:improvement_target_date", args=[item.pk]),
        {
            **date("new_date", old + dt.timedelta(days=90)),
            "reason": "Tenders late",
            "agreed_by": "Parent Board",
            **date("agreed_on", dt.date(2026, 10, 1)),
        },
    )
    assert response.status_code == 302
    revision = TargetDateRevision.objects.get(improvement=item)
    assert (revision.from_date, revision.to_date, revision.reason) == (old, old + dt.timedelta(days=90), "Tenders late")
    page = client.get(item.get_absolute_url()).content.decode()
    assert "Tenders late" in page and "Slipped 90 days" in page


def test_board_members_read_plans_without_edit_controls_and_cannot_post(client_as, demo_data):
    client = client_as("board.member")
    plan = plan_of(demo_data)
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "Key Theme 4: Improving the repair service" in page and "Change the plan" not in page
    assert "Produce a progress report" in page
    item = Improvement.objects.get(theme__plan=plan, reference="KT4/2")
    assert "Record progress" not in client.get(item.get_absolute_url()).content.decode()
    assert (
        client.post(
            reverse("reporting:improvement_progress", args=[item.pk]), {"body": "x", "status": "done"}
        ).status_code
        == 403
    )
    assert client_as("east.coordinator").get(plan.get_absolute_url()).status_code == 404


def test_an_improvement_opened_from_a_departure_links_back_to_it(client_as, demo_data):
    client = client_as("coordinator")
    departure = Departure.objects.filter(result__quarterly_return__agreement=demo_data["main"]).first()
    theme = plan_of(demo_data).themes.get(number=2)
    url = reverse("reporting:improvement_add", args=[theme.pk]) + f"?departure={departure.pk}"
    page = client.get(url).content.decode()
    assert "This improvement comes from the" in page and departure.owner in page
    client.post(
        reverse("reporting:improvement_add", args=[theme.pk]),
        {
            "departure": departure.pk,
            "reference": "KT2/9",
            "title": "Remedy",
            "issue": "I",
            "outcome": "O",
            "lead_officer": "L",
            "status": "on_track",
            **date("target_date", dt.date(2027, 6, 30)),
        },
    )
    item = Improvement.objects.get(reference="KT2/9")
    assert item.source_departure == departure
    detail = client.get(item.get_absolute_url()).content.decode()
    assert departure.result.quarterly_return.get_absolute_url() in detail
    assert client_as("east.coordinator").get(url).status_code == 404


def test_the_schedule_page_shows_the_improvements_working_on_its_standards(client_as, demo_data):
    schedule = demo_data["main"].schedules.get(service__name="Responsive repairs")
    page = client_as("coordinator").get(schedule.get_absolute_url()).content.decode()
    assert "Improvements working on these standards" in page
    assert "KT4/1 Replacing the existing bonus scheme" in page and "KT4/6 Urgent repairs recovery plan" in page
    hidden = client_as("repairs.officer").get(schedule.get_absolute_url()).content.decode()
    assert "Improvements working on these standards" not in hidden  # officers do not see the ALMO's plan


def test_the_improvement_page_shows_the_rag_and_trend_of_its_standards(client_as, demo_data):
    item = Improvement.objects.get(theme__plan=plan_of(demo_data), reference="KT4/1")
    page = client_as("coordinator").get(item.get_absolute_url()).content.decode()
    assert "Urgent repairs completed within time limits" in page and 'govuk-tag--red">Red' in page
    assert "RAG trend for Urgent repairs completed within time limits" in page


def test_the_risk_register_shows_the_heat_map_with_its_numbers(client_as, demo_data):
    page = client_as("board.member").get(reverse("reporting:plan_risks", args=[plan_of(demo_data).pk])).content.decode()
    assert "Heat map" in page and "Number of scored risks in each cell" in page
    assert "16 high impact, 4 low impact" not in page  # counted from the data below
    scored = Risk.objects.filter(theme__plan=plan_of(demo_data), likelihood__isnull=False).count()
    high = Risk.objects.filter(theme__plan=plan_of(demo_data), likelihood__isnull=True, impact_level="H").count()
    assert f"Scored risks: <strong>{scored}</strong>" in page and f"<strong>{high}</strong> high impact" in page


@pytest.mark.parametrize(
    "name, limit",
    [
        ("plan_list", 9),
        ("plan_detail", 21),
        ("plan_risks", 10),
        ("theme_detail", 18),
        ("improvement_detail", 18),
        ("steering_group_detail", 11),
    ],
)
def test_plan_page_query_counts_are_pinned(client_as, demo_data, django_assert_max_num_queries, name, limit):
    plan = plan_of(demo_data)
    args = {
        "plan_list": [],
        "plan_detail": [plan.pk],
        "plan_risks": [plan.pk],
        "theme_detail": [plan.themes.get(number=4).pk],
        "improvement_detail": [Improvement.objects.get(theme__plan=plan, reference="KT4/2").pk],
        "steering_group_detail": [plan.steering_groups.first().pk],
    }[name]
    client = client_as("coordinator")
    with django_assert_max_num_queries(limit + 1):  # + the navigation's "your tasks" counts, on every page
        assert client.get(reverse(f"reporting:{name}", args=args)).status_code == 200


def test_an_improvement_is_opened_from_a_case_through_the_theme_chooser(client_as, demo_data):
    from reporting.cases.models import EscalationCase

    case = EscalationCase.objects.get(agreement=demo_data["main"], automatic=True, status="open")
    client = client_as("coordinator")
    detail = client.get(case.get_absolute_url()).content.decode()
    start = reverse("reporting:improvement_start") + f"?case={case.pk}"
    assert start in detail.replace("&amp;", "&")
    page = client.get(start).content.decode()
    kt4 = plan_of(demo_data).themes.get(number=4)
    assert reverse("reporting:improvement_add", args=[kt4.pk]) + f"?case={case.pk}" in page
    assert client_as("east.coordinator").get(start).status_code == 404
    assert client_as("board.member").get(start).status_code == 403
    assert "Open an improvement" not in client_as("board.member").get(case.get_absolute_url()).content.decode()


def test_a_closed_plan_is_read_only_even_for_administrators(client_as, demo_data, demo_user):
    from reporting.improvement import services

    plan = plan_of(demo_data)
    services.plan_close(plan=plan, user=demo_user("coordinator"))
    admin = client_as("admin")
    assert admin.get(reverse("reporting:plan_edit", args=[plan.pk])).status_code == 403
    theme = plan.themes.get(number=4)
    assert admin.get(reverse("reporting:improvement_add", args=[theme.pk])).status_code == 403
    page = admin.get(plan.get_absolute_url()).content.decode()
    assert "Change the plan" not in page and "Closed" in page


def test_coordinator_adds_a_steering_group_with_its_themes_and_members(client_as, demo_data):
    from reporting.improvement.models import SteeringGroup

    client = client_as("coordinator")
    plan = plan_of(demo_data)
    kt3 = plan.themes.get(number=3)
    response = client.post(
        reverse("reporting:steering_group_add", args=[plan.pk]),
        {"name": "IT implementation steering group", "themes": [kt3.pk], "remit": "Oversees the housing system"},
    )
    group = SteeringGroup.objects.get(name="IT implementation steering group")
    assert response.status_code == 302 and list(group.themes.all()) == [kt3]
    client.post(
        reverse("reporting:steering_group_member_add", args=[group.pk]),
        {"name": "Joan Whitfield", "kind": "tenant", "organisation": "Kirkby Federation of Tenants"},
    )
    page = client.get(group.get_absolute_url()).content.decode()
    assert "Joan Whitfield" in page and "1 tenant, 0 staff, 0 other stakeholders." in page


@pytest.mark.parametrize(
    "parts, message",
    [
        (("", "", ""), "Enter the date."),
        (("1", "", "2027"), "must include a month"),
        (("x", "2", "2027"), "must be a real date, in numbers"),
        (("2147483648", "11", "2026"), "must be a real date."),
        (("29", "2", "2027"), "must be a real date."),
        (("1", "2", "27"), "year must have 4 numbers"),
    ],
)
def test_the_govuk_date_field_names_what_is_wrong(parts, message):
    from django.core.exceptions import ValidationError

    from almo_sla.date_input import GovukDateField

    field = GovukDateField(label="Date")
    with pytest.raises(ValidationError) as err:
        field.clean(list(parts))
    assert message in err.value.messages[0]
    assert GovukDateField(label="Date").clean(["29", "2", "2028"]) == dt.date(2028, 2, 29)


def test_an_improvement_is_opened_from_a_value_for_money_finding(client_as, demo_data):
    """The source check asked a permission that does not exist ("services.view_schedule_value"): 404 for all
    but superusers."""
    schedule = demo_data["main"].schedules.get(service__name="Responsive repairs")
    start = reverse("reporting:improvement_start") + f"?schedule={schedule.pk}"
    page = client_as("coordinator").get(start)
    assert page.status_code == 200 and "Responsive repairs" in page.content.decode()
    assert client_as("east.coordinator").get(start).status_code == 404
