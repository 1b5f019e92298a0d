"""Cost totals: per schedule per financial year (uplifts, fallback), per department, category and agreement."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agreements import cost_selectors as selectors
from agreements.costs import chart_bars, cost_between, cost_totals, schedule_cost
from agreements.models import Schedule, ScheduleYearCost
from tests.factories import AgreementFactory, ScheduleFactory

D = Decimal
pytestmark = pytest.mark.django_db


def legal(demo):
    return (
        Schedule.objects.prefetch_related("year_costs")
        .select_related("agreement")
        .get(agreement=demo["main"], service__slug="legal-advice-and-conveyancing")
    )


def test_schedule_cost_uses_the_year_cost_with_uplifts(demo_data):
    schedule = legal(demo_data)
    assert schedule_cost(schedule, 2025) == D("360000")
    assert schedule_cost(schedule, 2026) == D("369000")  # 2.5% uplift
    assert schedule_cost(schedule, 2027) == D("378225")


def test_schedule_cost_falls_back_to_the_annual_cost_and_is_paid_only_while_the_agreement_runs(demo_data):
    schedule = ScheduleFactory(
        agreement=AgreementFactory(start_date=dt.date(2025, 10, 1), end_date=dt.date(2027, 3, 31)),
        annual_cost=D("50000"),
    )
    ScheduleYearCost.objects.create(schedule=schedule, financial_year=2026, amount=D("52000"))
    schedule = Schedule.objects.prefetch_related("year_costs").select_related("agreement").get(pk=schedule.pk)
    assert schedule_cost(schedule, 2024) == 0  # before the agreement starts
    # starts on 1 October 2025: 182 of 2025/26's 365 days at the annual cost (no year cost recorded)
    assert schedule_cost(schedule, 2025) == D("24931.51")
    assert schedule_cost(schedule, 2026) == D("52000")
    assert schedule_cost(schedule, 2027) == 0  # ended on 31 March 2027


def test_totals_per_department_category_and_agreement_this_year_against_last(demo_data, demo_user):
    schedules = list(selectors.cost_schedules(user=demo_user("coordinator")))
    totals = cost_totals(schedules, year=2026)
    main = demo_data["main"]
    base = sum(s.annual_cost for s in main.schedules.all())
    assert totals.total.last_year == base == D("9055000")
    assert totals.total.this_year == sum(
        ScheduleYearCost.objects.filter(schedule__agreement=main, financial_year=2026).values_list("amount", flat=True)
    )
    assert totals.total.services == 21
    legal_dept = next(line for line in totals.by_department if line.label == "Legal Services")
    assert (legal_dept.last_year, legal_dept.this_year, legal_dept.services) == (D("480000"), D("492000"), 2)
    assert legal_dept.change == D("12000") and legal_dept.change_percent == D("2.5")
    assert sum(line.this_year for line in totals.by_department) == totals.total.this_year
    assert sum(line.this_year for line in totals.by_category) == totals.total.this_year
    assert [line.label for line in totals.by_agreement] == ["SLA-KNH-2025: Kirkby Neighbourhood Homes"]
    # legal, finance, payroll and personnel: the "£1.7m a year" of the domain notes
    support = [
        s
        for s in totals.schedules
        if s.schedule.service.department.name in ("Legal Services", "Finance", "Human Resources")
    ]
    assert sum(s.last_year for s in support) == D("1700000")
    # largest first
    assert totals.by_department[0].label == "Property Services"
    assert totals.total.hra == sum(r.this_year for r in totals.schedules if r.schedule.service.hra_funded)


def test_costs_leave_out_draft_agreements_and_other_almos(demo_data, demo_user):
    coordinator = {s.agreement.reference for s in selectors.cost_schedules(user=demo_user("coordinator"))}
    assert coordinator == {"SLA-KNH-2025"}
    assert not selectors.cost_schedules(user=demo_user("east.coordinator")).exists()  # their agreement is a draft
    admin = {s.agreement.reference for s in selectors.cost_schedules(user=demo_user("admin"))}
    assert admin == {"SLA-KNH-2025", "SLA-KSH-2025"}  # the third demo ALMO's agreement is active too (issue 14)


def test_department_officers_see_only_their_departments_costs(demo_data, demo_user):
    schedules = list(selectors.cost_schedules(user=demo_user("environment.officer")))
    assert {s.service.department.name for s in schedules} == {"Environmental Services"}
    knh = [s for s in schedules if s.agreement.reference == "SLA-KNH-2025"]  # and the third ALMO's (issue 14)
    assert cost_totals(knh, year=2025).total.this_year == D("650000")


def test_category_filter(demo_data, demo_user):
    schedules = selectors.cost_schedules(user=demo_user("coordinator"), category="environmental")
    assert {s.service.get_category_display() for s in schedules} == {"Environmental"}


def test_cost_between_splits_across_financial_years_by_days(demo_data):
    schedule = legal(demo_data)
    # 26 November 2026 to 31 March 2027: 126 of 2026/27's 365 days; April to June 2027: 91 of 2027/28's 366 (leap)
    expected = D("369000") * 126 / 365 + D("378225") * 91 / 366
    assert cost_between(schedule, dt.date(2026, 11, 26), dt.date(2027, 6, 30)) == expected.quantize(D("0.01"))
    assert cost_between(schedule, dt.date(2026, 4, 1), dt.date(2027, 3, 31)) == D("369000.00")
    assert cost_between(schedule, dt.date(2027, 4, 1), dt.date(2028, 3, 31)) == D("378225.00")  # 366 days
    assert cost_between(schedule, dt.date(2027, 1, 2), dt.date(2027, 1, 1)) == 0


@pytest.fixture
def loaded_legal(demo_data):
    """Legal advice with everything ``schedule_cost`` reads loaded, so examples add no query."""
    return selectors.with_costs(Schedule.objects.filter(pk=legal(demo_data).pk)).get()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    start=st.dates(min_value=dt.date(2025, 4, 1), max_value=dt.date(2028, 3, 31)),
    days=st.integers(min_value=0, max_value=900),
    split=st.integers(min_value=0, max_value=900),
)
def test_cost_between_adds_up_when_a_period_is_split(loaded_legal, start, days, split):
    schedule = loaded_legal  # 360,000 in 2025/26, then 369,000 and 378,225 (uplifts); renews to March 2030
    end = start + dt.timedelta(days=days)
    middle = start + dt.timedelta(days=min(split, days))
    whole = cost_between(schedule, start, end)
    parts = cost_between(schedule, start, middle) + cost_between(schedule, middle + dt.timedelta(days=1), end)
    assert abs(whole - parts) <= D("0.01")
    assert whole <= D("378225") * (days + 1) / 365 + D("0.01")  # never more than the dearest rate, day by day


def test_chart_bars_scale_to_the_largest_figure(demo_data, demo_user):
    totals = cost_totals(list(selectors.cost_schedules(user=demo_user("coordinator"))), year=2026)
    bars = chart_bars(totals.by_department, width=400)
    assert bars[0].this_width == 400
    assert all(0 <= bar.last_width <= bar.this_width <= 400 for bar in bars)
    assert [bar.y for bar in bars[:3]] == [0, 44, 88]
    assert chart_bars([]) == []


def test_the_cost_chart_shows_the_largest_departments_and_the_rest_in_one_bar():
    """Issue 17: a council of 220 departments drew 220 bars (a chart 9,700 pixels high, most of the costs
    page's time); the chart keeps the largest and adds up the rest, so its bars still sum to the total."""
    from decimal import Decimal

    from agreements.costs import CostLine, chart_lines

    lines = [CostLine(f"Department {n:03}", Decimal(n * 1000), Decimal(n * 900), services=1) for n in range(1, 31)]
    assert chart_lines(lines[:12]) == lines[:12]  # few enough: every one
    shown = chart_lines(lines, limit=12)
    assert len(shown) == 12
    assert [line.label for line in shown[:11]] == [f"Department {n:03}" for n in range(30, 19, -1)]
    other = shown[-1]
    assert other.label == "19 other departments"
    assert other.services == 19
    assert sum(line.this_year for line in shown) == sum(line.this_year for line in lines)
    assert sum(line.last_year for line in shown) == sum(line.last_year for line in lines)


def test_schedules_loaded_for_costs_carry_their_recorded_figures_and_cost_the_same(demo_data, demo_user):
    """Issue 17: ``with_costs`` reads the yearly figures for all schedules in one query as plain (year,
    amount) records; each schedule costs exactly what it costs read on its own, every year, and a
    schedule with no recorded figure gets an empty list (not the manager's query)."""
    coordinator = demo_user("coordinator")
    loaded = list(selectors.cost_schedules(user=coordinator))
    assert loaded and any(s.recorded_costs for s in loaded)
    for schedule in loaded:
        alone = Schedule.objects.get(pk=schedule.pk)
        assert [(c.financial_year, c.amount) for c in schedule.recorded_costs] == list(
            alone.year_costs.order_by("financial_year", "pk").values_list("financial_year", "amount")
        )
        for year in range(2023, 2030):
            assert schedule_cost(schedule, year) == schedule_cost(alone, year), (schedule, year)
    empty = loaded[0]
    ScheduleYearCost.objects.filter(schedule=empty).delete()
    (reloaded,) = selectors.with_costs(Schedule.objects.filter(pk=empty.pk))
    assert reloaded.recorded_costs == []
    assert schedule_cost(reloaded, 2026) == schedule_cost(Schedule.objects.get(pk=empty.pk), 2026)
