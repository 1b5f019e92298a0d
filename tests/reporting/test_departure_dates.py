"""Issue 12: a remedial action's target date cannot be in the past when it is entered (the suite's
clock is 27 November 2026); a departure entered earlier keeps its date when other fields change."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from reporting import services
from reporting.models import Departure

TODAY = dt.date(2026, 11, 27)


def _departure(result, target_date):
    return Departure(
        result=result,
        what_happened="Late removals",
        cases=2,
        reason="Truck off the road",
        remedial_action="Hire a truck",
        owner="Fleet manager",
        target_date=target_date,
    )


def test_a_new_remedial_action_cannot_be_due_in_the_past(env_return, demo_user):
    officer = demo_user("environment.officer")
    result = env_return.results.first()
    with pytest.raises(ValidationError) as caught:
        services.departure_save(departure=_departure(result, TODAY - dt.timedelta(days=1)), user=officer)
    assert caught.value.message_dict["target_date"] == [
        "The remedial action target date must be today (27 November 2026) or later."
    ]
    assert services.departure_save(departure=_departure(result, TODAY), user=officer).pk


def test_an_earlier_departure_keeps_its_past_date_but_cannot_be_moved_into_the_past(env_return, demo_user):
    officer = demo_user("environment.officer")
    departure = _departure(env_return.results.first(), dt.date(2026, 10, 1))
    departure.save()  # entered in October
    departure.reason = "Two trucks off the road"
    services.departure_save(departure=departure, user=officer)  # the date is unchanged: fine
    departure.target_date = dt.date(2026, 11, 1)
    with pytest.raises(ValidationError):
        services.departure_save(departure=departure, user=officer)


def test_the_form_shows_the_past_date_on_the_field(client_as, env_return):
    result = env_return.results.first()
    response = client_as("environment.officer").post(
        reverse("reporting:departure_add", args=[env_return.pk, result.pk]),
        {
            "what_happened": "x",
            "cases": 1,
            "reason": "x",
            "remedial_action": "x",
            "owner": "x",
            "target_date_day": "1",
            "target_date_month": "11",
            "target_date_year": "2026",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200 and "<title>Error: " in html
    assert 'id="id_target_date-error"' in html and "must be today (27 November 2026) or later" in html
    assert not Departure.objects.filter(result=result, what_happened="x").exists()
