import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from agreements.models import Agreement, Schedule
from reporting import services
from reporting.models import Departure, QuarterlyReturn, ReturnEvent, StandardResult
from services.periods import Quarter, add_working_days
from tests.reporting.conftest import fill

CARS = "Abandoned cars removed within 24 hours of report"


def test_opening_a_quarter_creates_a_return_per_department_once(demo_data, django_user_model):
    main = demo_data["main"]
    quarter = Quarter.containing(dt.date.today()).next()  # noqa: DTZ011
    departments = set(main.schedules.values_list("service__department", flat=True))
    south = Agreement.objects.get(reference="SLA-KSH-2025")  # the third demo ALMO's active agreement (issue 14)
    created = services.returns_open(quarter=quarter)
    assert created == len(departments) + len(set(south.schedules.values_list("service__department", flat=True)))
    returns = QuarterlyReturn.objects.filter(financial_year=quarter.year, quarter=quarter.number, agreement=main)
    assert set(returns.values_list("department", flat=True)) == departments
    assert not returns.filter(agreement=demo_data["east"]).exists()  # a draft agreement has no returns
    ret = returns.get(department__name="Environmental Services")
    assert ret.due_date == add_working_days(quarter.end, main.return_due_working_days)
    assert ret.results.count() == 3 and ret.events.get().comment == "Quarter opened"
    results_before = StandardResult.objects.count()
    assert services.returns_open(quarter=quarter) == 0
    assert StandardResult.objects.count() == results_before


def test_annual_standards_are_reported_with_the_last_quarter_only(demo_data):
    main = demo_data["main"]
    treasury = Schedule.objects.get(agreement=main, service__name="Treasury and insurance")
    assert treasury.reporting_frequency == "annual"
    year = Quarter.containing(dt.date.today()).year + 1  # noqa: DTZ011
    services.returns_open(quarter=Quarter(year, 1), agreement=main)
    services.returns_open(quarter=Quarter(year, 4), agreement=main)
    q1 = QuarterlyReturn.objects.get(agreement=main, department__name="Finance", financial_year=year, quarter=1)
    q4 = QuarterlyReturn.objects.get(agreement=main, department__name="Finance", financial_year=year, quarter=4)
    assert not q1.results.filter(standard__schedule=treasury).exists()
    assert q4.results.filter(standard__schedule=treasury).exists()


def test_due_date_follows_the_agreements_setting_and_bank_holidays(demo_data):
    main = demo_data["main"]
    main.return_due_working_days = 5
    main.save()
    services.returns_open(quarter=Quarter(2027, 3), agreement=main)  # ends Friday 31 December 2027
    ret = QuarterlyReturn.objects.filter(agreement=main, financial_year=2027, quarter=3).first()
    # 3 January 2028 is the New Year bank holiday (substitute day): 4, 5, 6, 7, 10 January
    assert ret.due_date == dt.date(2028, 1, 10)


def test_a_missed_standard_cannot_be_submitted_without_a_departure(env_return, demo_user):
    officer = demo_user("environment.officer")
    services.return_save(quarterly_return=env_return, user=officer, results=fill(env_return, miss=CARS))
    missed = env_return.results.get(standard__title=CARS)
    assert missed.rag == "red"
    with pytest.raises(ValidationError) as exc:
        services.return_submit(quarterly_return=env_return, user=officer)
    assert any("add a departure" in m for m in exc.value.messages)
    services.departure_save(
        departure=Departure(
            result=missed,
            what_happened="Removals late",
            cases=6,
            reason="Truck off the road",
            remedial_action="Hire cover",
            owner="Fleet manager",
            target_date=dt.date(2027, 1, 31),
        ),
        user=officer,
    )
    ret = services.return_submit(quarterly_return=env_return, user=officer)
    assert ret.status == "submitted" and ret.submitted_by == officer


def test_a_return_with_missing_figures_cannot_be_submitted(env_return, demo_user):
    with pytest.raises(ValidationError) as exc:
        services.return_submit(quarterly_return=env_return, user=demo_user("environment.officer"))
    assert len([m for m in exc.value.messages if m.startswith("Enter the actual figure for ")]) == 3


def test_every_status_change_is_recorded_and_checked(env_return, demo_user):
    officer, coordinator = demo_user("environment.officer"), demo_user("coordinator")
    services.return_save(quarterly_return=env_return, user=officer, results=fill(env_return))
    services.return_submit(quarterly_return=env_return, user=officer)
    with pytest.raises(ValidationError):
        services.return_save(quarterly_return=env_return, user=officer, results=[])  # locked once submitted
    with pytest.raises(ValidationError):
        services.return_send_back(quarterly_return=env_return, user=coordinator, comment="  ")
    services.return_send_back(quarterly_return=env_return, user=coordinator, comment="Explain the grass cuts.")
    with pytest.raises(ValidationError):
        services.return_accept(quarterly_return=env_return, user=coordinator)  # not submitted
    ret = services.return_submit(quarterly_return=env_return, user=officer)
    assert ret.revision == 2
    ret = services.return_accept(quarterly_return=env_return, user=coordinator)
    with pytest.raises(ValidationError):
        services.return_submit(quarterly_return=env_return, user=officer)
    events = list(
        ReturnEvent.objects.filter(quarterly_return=env_return).values_list("from_status", "to_status", "by__username")
    )
    assert events[1:] == [
        ("draft", "submitted", "environment.officer"),
        ("submitted", "sent_back", "coordinator"),
        ("sent_back", "submitted", "environment.officer"),
        ("submitted", "accepted", "coordinator"),
    ]
    assert ret.history.count() >= 4


def test_measured_results_reject_milestone_answers_and_impossible_figures(env_return, demo_user):
    result = env_return.results.select_related("standard").get(standard__title="Grass cuts completed to schedule")
    result.actual = 120
    with pytest.raises(ValidationError):
        services.return_save(quarterly_return=env_return, user=demo_user("environment.officer"), results=[result])


def test_an_open_remedial_action_is_resolved_later(demo_data, demo_user):
    departure = Departure.objects.filter(resolved=False, result__quarterly_return__status="accepted").first()
    services.departure_resolve(departure=departure, user=demo_user("coordinator"), resolved_on=dt.date(2026, 11, 1))
    departure.refresh_from_db()
    assert departure.resolved and departure.resolved_on == dt.date(2026, 11, 1)
    with pytest.raises(ValidationError):
        services.departure_resolve(departure=departure, user=demo_user("coordinator"), resolved_on=dt.date(2026, 11, 2))
