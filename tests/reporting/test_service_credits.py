"""Service credits: off by default, only critical standards, capped per year, partial years
charge only the days in force. ``compute_credits`` is checked with hypothesis; expected
figures are worked out by hand (a schedule costing £365,000 a year costs £1,000 a day)."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from agreements.models import ScheduleYearCost
from reporting.cases import services
from reporting.cases.credits import CreditTerms, compute_credits, service_credits
from reporting.cases.models import CriticalStandard, ServiceCreditScheme
from reporting.models import StandardResult

PENNIES = st.decimals(min_value=0, max_value=2_000_000, places=2, allow_nan=False, allow_infinity=False)
PERCENT = st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False)
RAGS = st.lists(st.sampled_from(["red", "amber", "green", ""]), max_size=4)


@settings(max_examples=300, deadline=None)
@given(
    charges=st.lists(PENNIES, min_size=4, max_size=4),
    rags=st.lists(RAGS, min_size=4, max_size=4),
    red=PERCENT,
    amber=PERCENT,
    cap=PERCENT,
)
def test_credits_never_exceed_the_cap_or_the_charge(charges, rags, red, amber, cap):
    earned, credited, cap_amount = compute_credits(charges=charges, rags=rags, terms=CreditTerms(red, amber, cap))
    total = sum(credited, D("0"))
    assert cap_amount == (sum(charges, D("0")) * cap / 100).quantize(D("0.01"), "ROUND_HALF_UP")
    assert total <= cap_amount and total <= sum(charges, D("0"))
    assert total == min(sum(earned, D("0")), cap_amount)
    for charge, quarter_rags, e, c in zip(charges, rags, earned, credited, strict=True):
        assert D("0") <= c <= e <= charge
        if not any(r in ("red", "amber") for r in quarter_rags):
            assert e == 0
    # the cap is taken in quarter order: a later quarter earns only what the earlier ones left
    running = D("0")
    for e, c in zip(earned, credited, strict=True):
        assert c == min(e, cap_amount - running)
        running += c


@settings(max_examples=200, deadline=None)
@given(
    charges=st.lists(PENNIES, min_size=4, max_size=4),
    red=PERCENT,
    cap=PERCENT,
    outside=st.sets(st.integers(min_value=0, max_value=3)),
)
def test_quarters_outside_the_term_earn_nothing_and_shrink_the_cap(charges, red, cap, outside):
    partial = [D("0") if n in outside else c for n, c in enumerate(charges)]
    earned, credited, cap_amount = compute_credits(
        charges=partial, rags=[["red"]] * 4, terms=CreditTerms(red, D("0"), cap)
    )
    assert all(earned[n] == 0 and credited[n] == 0 for n in outside)
    full_cap = compute_credits(charges=charges, rags=[["red"]] * 4, terms=CreditTerms(red, D("0"), cap))[2]
    assert cap_amount <= full_cap


def test_amber_earns_only_when_the_agreement_says_so():
    terms = CreditTerms(D("2"), D("0"), D("10"))
    assert compute_credits(charges=[D("1000")], rags=[["amber"]], terms=terms)[1] == [D("0")]
    terms = CreditTerms(D("2"), D("1"), D("10"))
    assert compute_credits(charges=[D("1000")], rags=[["amber", "red"]], terms=terms)[1] == [D("30.00")]


# --- One schedule's year, from the database -------------------------------------------------------


@pytest.fixture
def repairs(demo_data):
    """Responsive repairs at £365,000 in 2025/26 (£1,000 a day), urgent repairs critical."""
    schedule = demo_data["main"].schedules.get(service__name="Responsive repairs")
    ScheduleYearCost.objects.filter(schedule=schedule, financial_year=2025).update(amount=D("365000"))
    urgent = schedule.standards.get(title="Urgent repairs completed within time limits")
    StandardResult.objects.filter(standard__schedule=schedule, quarterly_return__financial_year=2025).update(
        rag="green"
    )
    for quarter in (1, 2):
        StandardResult.objects.filter(
            standard=urgent, quarterly_return__financial_year=2025, quarterly_return__quarter=quarter
        ).update(rag="red")
    return schedule, urgent


def enable(agreement, urgent, *, red="2", amber="0", cap="5"):
    ServiceCreditScheme.objects.create(
        agreement=agreement, enabled=True, red_percent=D(red), amber_percent=D(amber), annual_cap_percent=D(cap)
    )
    CriticalStandard.objects.create(standard=urgent)


@pytest.mark.django_db
def test_credits_are_off_by_default(repairs):
    schedule, _urgent = repairs
    credits = service_credits(schedule, 2025)
    assert not credits.enabled and credits.credited == 0
    assert credits.charged == D("365000.00") and credits.net == credits.charged


@pytest.mark.django_db
def test_red_quarters_of_a_critical_standard_earn_their_share_of_the_quarter(repairs):
    schedule, urgent = repairs
    enable(schedule.agreement, urgent)
    credits = service_credits(schedule, 2025)
    assert [q.charge for q in credits.quarters] == [D("91000.00"), D("92000.00"), D("92000.00"), D("90000.00")]
    assert [q.credited for q in credits.quarters] == [D("1820.00"), D("1840.00"), D("0"), D("0")]
    assert credits.credited == D("3660.00") and credits.cap == D("18250.00") and not credits.capped
    assert credits.net == D("361340.00")


@pytest.mark.django_db
def test_the_yearly_cap_stops_credits_part_way_through_a_quarter(repairs):
    schedule, urgent = repairs
    enable(schedule.agreement, urgent, cap="1")
    credits = service_credits(schedule, 2025)
    assert credits.cap == D("3650.00") and credits.capped
    assert [q.credited for q in credits.quarters] == [D("1820.00"), D("1830.00"), D("0"), D("0")]


@pytest.mark.django_db
def test_a_standard_not_marked_critical_earns_nothing(repairs):
    schedule, urgent = repairs
    enable(schedule.agreement, urgent)
    CriticalStandard.objects.all().delete()
    assert service_credits(schedule, 2025).credited == 0


@pytest.mark.django_db
def test_a_partial_year_charges_and_credits_only_the_days_in_force(repairs):
    schedule, urgent = repairs
    enable(schedule.agreement, urgent)
    agreement = schedule.agreement
    agreement.start_date = dt.date(2025, 8, 1)  # 61 days of Q2 (August, September)
    agreement.save(update_fields=["start_date"])
    credits = service_credits(schedule, 2025)
    assert [q.charge for q in credits.quarters] == [D("0"), D("61000.00"), D("92000.00"), D("90000.00")]
    assert [q.credited for q in credits.quarters] == [D("0"), D("1220.00"), D("0"), D("0")]
    assert credits.cap == D("12150.00")


@pytest.mark.django_db
def test_terms_are_refused_without_a_cap_or_critical_standards_and_only_while_drafting(demo_data, demo_user):
    east = demo_data["east"]
    standard = east.schedules.first().standards.first()
    user = demo_user("east.coordinator")
    with pytest.raises(ValidationError) as err:
        services.credit_scheme_save(
            scheme=ServiceCreditScheme(agreement=east, enabled=True, red_percent=D("2")), critical=[standard], user=user
        )
    assert "annual_cap_percent" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        services.credit_scheme_save(
            scheme=ServiceCreditScheme(agreement=east, enabled=True, red_percent=D("2"), annual_cap_percent=D("5")),
            critical=[],
            user=user,
        )
    assert "critical" in err.value.message_dict
    services.credit_scheme_save(
        scheme=ServiceCreditScheme(agreement=east, enabled=True, red_percent=D("2"), annual_cap_percent=D("5")),
        critical=[standard],
        user=user,
    )
    assert CriticalStandard.objects.get().standard == standard
    with pytest.raises(ValidationError):
        services.credit_scheme_save(scheme=ServiceCreditScheme(agreement=demo_data["main"]), critical=[], user=user)


@pytest.mark.django_db
def test_the_credits_page_shows_charged_credited_and_net(client_as, repairs, django_assert_max_num_queries):
    schedule, urgent = repairs
    enable(schedule.agreement, urgent)
    client = client_as("coordinator")
    # one query per critical schedule for its results; + the navigation counts; + what the cost rule reads
    with django_assert_max_num_queries(18):
        page = client.get(reverse("reporting:credits", args=[schedule.agreement.pk]) + "?year=2025").content.decode()
    assert "Charged, credited and net, 2025/26" in page
    assert "£365,000.00" in page and "£3,660.00" in page and "£361,340.00" in page
