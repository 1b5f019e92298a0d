"""The same figure read from every page that shows it: dashboard, costs page (and its export),
value for money, the exit planner and the board pack agree to the penny, and each service is
paid for once a year — over the demo data and over a scenario with an overlapping successor
agreement, two served notices and an approved cost variation (issue 10)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from agreements.models import Agreement
from reporting.cases.models import EscalationCase
from reporting.cases.services import cases_sync
from reporting.packs.content import pack_content
from services.periods import Quarter, financial_year_label
from tests.helpers import approved_cost_variation, at_noon, serve, successor_agreement

pytestmark = pytest.mark.django_db
D = Decimal
YEARS = [2025, 2026, 2027, 2028, 2029]


def costs_export(client, year: int) -> tuple[dict[tuple[str, str], Decimal], Decimal]:
    """The costs page's CSV for ``year``: (agreement, service) → cost, and the total."""
    client.force_login(client.user)  # sessions follow the frozen clock: sign in again at each time
    response = client.get(reverse("services:costs"), {"year": year, "export": "csv"})
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    column = f"Cost {financial_year_label(year)} (£)"
    total = next(D(r[column]) for r in rows if r["Agreement"] == "Total")
    lines = {(r["Agreement"], r["Service"]): D(r[column]) for r in rows if r["Agreement"] != "Total"}
    return lines, total


def figures_for_year(client, year: int) -> dict:
    """Every page's figure for the financial year ``year``, read with the clock in that year."""
    with time_machine.travel(at_noon(dt.date(year, 11, 15)), tick=False):
        client.force_login(client.user)
        dashboard = client.get(reverse("dashboard"))
        costs_page = client.get(reverse("services:costs"), {"year": year})
        vfm = client.get(reverse("services:value_for_money"))
        lines, export_total = costs_export(client, year)
    assert dashboard.status_code == costs_page.status_code == vfm.status_code == 200
    return {
        "dashboard": dashboard.context["summary"].costs,
        "page": costs_page.context["totals"],
        "html": costs_page.content.decode(),
        "vfm": {(r.schedule.agreement.reference, r.schedule.service.name): r.council_cost for r in vfm.context["rows"]},
        "lines": lines,
        "export_total": export_total,
    }


def assert_agree(client, years=YEARS) -> dict[int, dict]:
    seen = {}
    for year in years:
        f = figures_for_year(client, year)
        page, dashboard = f["page"], f["dashboard"]
        # costs page total = its rows = its export = the dashboard, to the penny
        assert page.total.this_year == sum(r.this_year for r in page.schedules) == f["export_total"]
        assert sum(f["lines"].values()) == f["export_total"]
        assert dashboard.total.this_year == page.total.this_year, year
        assert dashboard.total.services == page.total.services
        assert [(line.label, line.this_year) for line in dashboard.by_department] == [
            (line.label, line.this_year) for line in page.by_department
        ]
        # value for money prices each service at the costs page's figure, and only those paid for
        for key, cost in f["vfm"].items():
            assert f["lines"][key] == cost, (year, key)
        assert set(f["vfm"]) == {key for key, cost in f["lines"].items() if cost}
        # each service paid for once a year
        paid = Counter(service for (_, service), cost in f["lines"].items() if cost)
        assert not [service for service, n in paid.items() if n > 1], year
        # the page shows the year it reports on, and the select agrees
        assert f'<option value="{year}" selected>' in f["html"]
        seen[year] = f
    return seen


def pack_cost_total(main: Agreement, year: int) -> Decimal:
    """The pack's cost section: what the ALMO pays in the year under all its live agreements."""
    with time_machine.travel(at_noon(dt.date(year + 1, 3, 20)), tick=False):
        content = pack_content(almo=main.almo, quarter=Quarter(year, 3))
    assert sum(line.this_year for line in content.costs) == content.cost_total_this_year
    return content.cost_total_this_year


def signed_in(client_as, demo_user, username):
    client = client_as(username)
    client.user = demo_user(username)
    return client


def test_demo_figures_agree_on_every_page(client_as, demo_user, demo_data):
    main = demo_data["main"]
    client = signed_in(client_as, demo_user, "coordinator")
    seen = assert_agree(client)
    # SLA-KNH-2025 (£9,055,000 a year, uplifted 2.5% a year) renews twice after March 2028
    assert seen[2025]["page"].total.this_year == D("9055000")
    assert seen[2028]["page"].total.this_year > 0 and seen[2029]["page"].total.this_year > 0
    for year in (2025, 2026):
        assert pack_cost_total(main, year) == seen[year]["page"].total.this_year


@pytest.fixture
def scenario(demo_data):
    """SLA-KNH-2027 replaces four services from 1 April 2027; notice on bulky waste (served
    1 October 2026) and on abandoned vehicles (1 November 2026); the Personnel cost varied to
    £450,000 from 1 January 2027 (approved in December 2026, applied when due)."""
    main = demo_data["main"]
    with time_machine.travel(at_noon(dt.date(2026, 10, 1)), tick=False):
        bulky = serve(main, "bulky-waste-collection", dt.date(2026, 10, 1))
    with time_machine.travel(at_noon(dt.date(2026, 11, 1)), tick=False):
        vehicles = serve(main, "removal-of-abandoned-vehicles", dt.date(2026, 11, 1))
    with time_machine.travel(at_noon(dt.date(2026, 12, 1)), tick=False):
        variation = approved_cost_variation(
            main, slug="personnel-and-hr-advice", new_cost="450000", effective=dt.date(2027, 1, 1)
        )
    successor = successor_agreement(main)
    return {"main": main, "successor": successor, "bulky": bulky, "vehicles": vehicles, "variation": variation}


def test_scenario_figures_agree_on_every_page(client_as, demo_user, scenario):
    main = scenario["main"]
    client = signed_in(client_as, demo_user, "coordinator")
    seen = assert_agree(client)

    # Notices: bulky waste (month-end alignment) stops on 31 January 2027, paid to that day
    bulky_effective = scenario["bulky"].effective_date
    assert bulky_effective == dt.date(2027, 1, 31)
    bulky = ("SLA-KNH-2025", "Bulky waste collection")
    bulky_2026 = seen[2026]["lines"][bulky]
    assert D(0) < bulky_2026 < seen[2025]["lines"][bulky]
    days = (bulky_effective - dt.date(2026, 4, 1)).days + 1  # 306 of 365 days
    rate = main.schedules.get(service__slug="bulky-waste-collection").year_costs.get(financial_year=2026).amount
    assert bulky_2026 == (rate * days / 365).quantize(D("0.01"))
    # bought again under the successor from April 2027, once
    assert seen[2027]["lines"].get(bulky, D(0)) == 0
    assert seen[2027]["lines"][("SLA-KNH-2027", "Bulky waste collection")] > 0

    # The successor replaces SLA-KNH-2025's four schedules from 1 April 2027: no double count
    for year in (2027, 2028):
        for (reference, service), cost in seen[year]["lines"].items():
            if reference == "SLA-KNH-2025" and service in (
                "Responsive repairs",
                "Payroll",
                "Possession and litigation",
            ):
                assert cost == 0, (year, service)
    repairs_2027 = seen[2027]["lines"][("SLA-KNH-2027", "Responsive repairs")]
    assert repairs_2027 == (main.schedules.get(service__slug="responsive-repairs").annual_cost * D("0.9")).quantize(
        D("1")
    )

    # The variation: the old rate to 31 December 2026, £450,000 a year from 1 January 2027
    personnel = ("SLA-KNH-2025", "Personnel and HR advice")
    old_rate = main.schedules.get(service__slug="personnel-and-hr-advice").year_costs.get(financial_year=2026).amount
    expected = old_rate * 275 / 365 + D("450000") * 90 / 365
    assert seen[2026]["lines"][personnel] == expected.quantize(D("0.01"))
    assert seen[2027]["lines"][personnel] == D("450000.00")

    # The pack's cost section matches the costs page, both agreements included
    for year in (2026, 2027):
        assert pack_cost_total(main, year) == seen[year]["page"].total.this_year


def test_scenario_exit_planner_agrees_with_the_costs_page(client_as, demo_user, scenario):
    """Served on 1 April, a service with a notice period inside the year costs the same on the
    planner (payable until notice takes effect + saving for the rest of the year) as on the costs page."""
    client = signed_in(client_as, demo_user, "coordinator")
    main = scenario["main"]
    for year in (2026, 2027):
        lines, _ = costs_export(client, year)
        for slug, name in [
            ("legal-advice-and-conveyancing", "Legal advice and conveyancing"),
            ("personnel-and-hr-advice", "Personnel and HR advice"),
        ]:
            schedule = main.schedules.get(service__slug=slug)
            with time_machine.travel(at_noon(dt.date(year, 4, 2)), tick=False):
                client.force_login(client.user)
                response = client.get(
                    reverse("services:exit_planner", args=[schedule.pk]), {"served_on": f"{year}-04-01"}
                )
            plan = response.context["plan"]
            assert plan.earliest_effective.year == year  # six months, month end: inside the year
            assert plan.cost_until_effective + plan.saving_rest_of_year == lines[("SLA-KNH-2025", name)], (year, slug)
            assert plan.full_year_saving == schedule_cost_from_page(client, year + 1, name)


def schedule_cost_from_page(client, year: int, service: str) -> Decimal:
    lines, _ = costs_export(client, year)
    return lines.get(("SLA-KNH-2025", service), D(0))


@pytest.mark.parametrize("day", [None, dt.date(2026, 8, 15)], ids=["last-quarter", "q1-across-the-year-end"])
def test_red_two_quarters_running_flags_the_same_standards_on_the_dashboard_in_the_pack_and_in_cases(
    client_as, demo_data, day
):
    """One rule (``reporting.rag.red_two_quarters_running``): the dashboard's escalations, the
    pack's "red two quarters running" and the cases opened automatically name the same standards."""
    main = demo_data["main"]
    day = day or dt.date(2026, 11, 27)
    quarter = Quarter.containing(day).previous()
    grass = main.schedules.get(standards__title="Grass cuts completed to schedule").standards.get(
        title="Grass cuts completed to schedule"
    )
    for q in (quarter, quarter.previous()):  # one more standard red in both quarters (across the year end in Q1)
        assert grass.results.filter(quarterly_return__financial_year=q.year, quarterly_return__quarter=q.number).update(
            rag="red"
        )
    with time_machine.travel(at_noon(day), tick=False):
        client = client_as("coordinator")
        response = client.get(reverse("dashboard"))
        flagged = response.context["returns"].escalations
        dashboard = {r.standard_id for r in flagged if r.quarterly_return.agreement == main}
        pack = {row.standard.pk for row in pack_content(almo=main.almo, quarter=quarter, today=day).red_twice}
        EscalationCase.objects.filter(agreement=main).delete()
        opened, _closed = cases_sync(agreement=main, quarter=quarter, today=day)
    assert response.context["returns"].quarter == quarter
    assert grass.pk in dashboard
    assert dashboard == pack == {case.standard_id for case in opened}
