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


# --- The costs page (issue 13: "shown in costs as charged / credited / net for the year") ----------------


def credit_section(html: str) -> str:
    """The costs page's service credits table, or "" when the page has none."""
    start = html.find('id="service-credits"')
    return html[start : html.find("</table>", start)] if start >= 0 else ""


def figures(section: str) -> list[str]:
    import re

    return re.findall(r"£[\d,]+\.\d\d", section)


def costs_url(year=2025):
    return reverse("services:costs") + f"?year={year}"


@pytest.mark.django_db
def test_the_costs_page_shows_no_credits_while_they_are_off(client_as, repairs):
    html = client_as("coordinator").get(costs_url()).content.decode()
    assert "Costs" in html and not credit_section(html) and "Service credits" not in html


@pytest.mark.django_db
def test_the_costs_page_shows_charged_credited_and_net_as_the_credits_page_does(client_as, repairs):
    schedule, urgent = repairs
    enable(schedule.agreement, urgent)
    client = client_as("coordinator")
    section = credit_section(client.get(costs_url()).content.decode())
    assert "Charged, credited and net, 2025/26" in section and "Responsive repairs" in section
    # worked by hand: £1,000 a day; Q1 (91 days) and Q2 (92 days) red at 2%: £1,820 + £1,840
    assert figures(section) == ["£365,000.00", "£3,660.00", "£361,340.00"] * 2  # the row, then the total
    credits_page = client.get(reverse("reporting:credits", args=[schedule.agreement.pk]) + "?year=2025")
    totals = credits_page.content.decode().split("<tfoot>")[1]
    assert figures(totals) == ["£365,000.00", "£3,660.00", "£361,340.00"]  # the same, to the penny
    assert reverse("reporting:credits", args=[schedule.agreement.pk]) + "?year=2025" in section


@pytest.mark.django_db
def test_the_costs_page_agrees_with_the_credits_page_for_the_demo_credits(client_as, demo_data, demo_user):
    """The demo's own terms (2% a red quarter, 5% cap; urgent repairs and gas safety critical) on every year
    the returns have: each schedule's row on the costs page equals the credits page's row."""
    from reporting.demo_improvement import _seed_credits

    _seed_credits(demo_data["main"], demo_user("coordinator"))
    client = client_as("admin")
    for year in (2025, 2026):
        section = credit_section(client.get(costs_url(year)).content.decode())
        page = client.get(reverse("reporting:credits", args=[demo_data["main"].pk]) + f"?year={year}").content
        credits_totals = figures(page.decode().split("<tfoot>")[1])
        assert section and figures(section)[-3:] == credits_totals, year


@pytest.mark.django_db
def test_department_officers_see_credits_for_their_own_services_only(client_as, repairs):
    schedule, urgent = repairs
    enable(schedule.agreement, urgent)
    repairs_officer = credit_section(client_as("repairs.officer").get(costs_url()).content.decode())
    assert "Responsive repairs" in repairs_officer and "£3,660.00" in repairs_officer
    assert not credit_section(client_as("environment.officer").get(costs_url()).content.decode())


@pytest.mark.django_db
def test_credits_of_a_confidential_cost_are_never_shown_to_the_panel(repairs, demo_user):
    from agreements.cost_selectors import cost_schedules
    from reporting.cost_views import year_credits

    schedule, urgent = repairs
    enable(schedule.agreement, urgent)
    schedule.commercially_confidential = True
    schedule.save(update_fields=["commercially_confidential"])
    coordinator, panel = demo_user("coordinator"), demo_user("panel.member")
    assert [
        r.schedule.pk
        for r in year_credits(user=coordinator, schedules=list(cost_schedules(user=coordinator)), year=2025).rows
    ] == [schedule.pk]
    # the panel reads the ALMO's agreements, so hand it the ALMO's schedules: the confidential one stays hidden
    mine = list(cost_schedules(user=coordinator))
    assert year_credits(user=panel, schedules=mine, year=2025).rows == []


@pytest.mark.django_db
def test_the_costs_page_query_count_stays_pinned_with_credits_on(client_as, repairs, demo_data, demo_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    schedule, urgent = repairs
    client = client_as("coordinator")

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(costs_url()).status_code == 200
        return len(ctx.captured_queries)

    off = count()
    enable(schedule.agreement, urgent)
    on = count()
    # + the critical standards' schedules and their results (the scheme query runs either way)
    assert on == off + 2
    gas = demo_data["main"].schedules.exclude(pk=schedule.pk).first().standards.first()
    CriticalStandard.objects.create(standard=gas)
    assert count() == on  # however many schedules earn credits


# --- The board pack ("... shown in costs as charged / credited / net for the year, and in the pack") ------


@pytest.mark.django_db
def test_the_pack_shows_charged_credited_and_net_as_the_costs_page_does(client_as, repairs):
    from reporting.packs.content import pack_content
    from reporting.packs.render import pack_html
    from services.periods import Quarter

    schedule, urgent = repairs
    almo = schedule.agreement.almo
    quarter = Quarter(2025, 4)
    assert pack_content(almo=almo, quarter=quarter).service_credits == []  # off by default: no section
    assert "Service credits" not in pack_html(pack_content(almo=almo, quarter=quarter))

    enable(schedule.agreement, urgent)
    content = pack_content(almo=almo, quarter=quarter)
    [line] = content.service_credits
    assert (line.service, line.charged, line.credited, line.net) == (
        "Responsive repairs",
        D("365000.00"),
        D("3660.00"),
        D("361340.00"),
    )
    html = pack_html(content)
    section = html[html.index("<h2>Service credits</h2>") : html.index("<h2>Value for money</h2>")]
    page = credit_section(client_as("coordinator").get(costs_url()).content.decode())
    assert figures(section) == figures(page)[:3] == ["£365,000.00", "£3,660.00", "£361,340.00"]


@pytest.mark.django_db
@pytest.mark.parametrize("year", [2025, 2026, 2027])
def test_a_years_charge_is_the_costs_page_figure_to_the_penny(demo_data, year):
    """The quarters' charges add up to ``schedule_cost`` for the year: rounding each quarter on its
    own once made Responsive repairs 2025/26 £4,200,000.01 charged against £4,200,000 on the costs page."""
    from agreements.costs import schedule_cost

    for schedule in demo_data["main"].schedules.all():
        assert service_credits(schedule, year).charged == schedule_cost(schedule, year), schedule


@pytest.mark.django_db
def test_the_costs_export_carries_credited_and_net_where_credits_are_on(client_as, repairs):
    import csv
    import io

    schedule, urgent = repairs
    client = client_as("coordinator")

    def rows():
        response = client.get(costs_url() + "&export=csv")
        return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))

    assert not any("Service credits" in h for h in rows()[0])  # off by default: the columns as before
    enable(schedule.agreement, urgent)
    table = rows()
    header = table[0]
    assert header[-2:] == ["Service credits 2025/26 (£)", "Net 2025/26 (£)"]
    [repairs_row] = [r for r in table if r[3] == "Responsive repairs"]
    assert repairs_row[-3:] == ["365000.00", "3660.00", "361340.00"]
    assert all(r[-2:] == ["", ""] for r in table[1:-1] if r[3] != "Responsive repairs")  # earns none
    assert table[-1][0] == "Total" and table[-1][-2] == "3660.00"
