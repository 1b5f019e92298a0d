"""Regression tests for issue 10's findings: overlapping agreements, notices and variations in
costs, the exit planner, value for money, the costs page's year, and one access path."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from agreements import cost_selectors, services
from agreements.costs import schedule_cost
from agreements.exit_planning import exit_plan
from agreements.models import Agreement, AgreementVersion, Comment, Schedule
from agreements.overlaps import overlaps
from tests.helpers import approved_cost_variation, at_noon, serve, successor_agreement

pytestmark = pytest.mark.django_db
D = Decimal
TODAY = dt.date(2026, 11, 27)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(at_noon(TODAY), tick=False):
        yield


def loaded(schedule: Schedule) -> Schedule:
    return cost_selectors.with_costs(Schedule.objects.filter(pk=schedule.pk)).get()


# --- Overlapping agreements -------------------------------------------------------------------


def test_an_overlapping_agreement_is_refused_at_circulation_naming_the_overlap(demo_data):
    main = demo_data["main"]
    draft = successor_agreement(main, status=Agreement.Status.DRAFT, supersede=False)
    with pytest.raises(ValidationError) as refused:
        services.agreement_circulate(
            agreement=draft, user=main.coordinator, comment_deadline=TODAY + dt.timedelta(days=14)
        )
    messages = " ".join(refused.value.messages)
    assert "Responsive repairs is already bought under SLA-KNH-2025 until 31 March 2030" in messages
    assert "would also cover it from 1 April 2027" in messages
    assert {"Payroll", "Possession and litigation", "Bulky waste collection"} <= {
        o.schedule.service.name for o in overlaps(draft)
    }
    draft.refresh_from_db()
    assert draft.status == Agreement.Status.DRAFT and not draft.versions.exists()


def test_an_overlapping_agreement_is_refused_at_sign_off_and_at_approval(demo_data):
    main = demo_data["main"]
    draft = successor_agreement(main, status=Agreement.Status.DRAFT, supersede=False)
    with pytest.raises(ValidationError, match="already bought under SLA-KNH-2025"):
        services.agreement_send_for_signoff(agreement=draft, user=main.coordinator)
    # sent for sign-off while it did not overlap, then the other agreement became live
    Agreement.objects.filter(pk=main.pk).update(status=Agreement.Status.DRAFT)
    services.agreement_send_for_signoff(agreement=draft, user=main.coordinator)
    Agreement.objects.filter(pk=main.pk).update(status=Agreement.Status.ACTIVE)
    with pytest.raises(ValidationError, match="already bought under SLA-KNH-2025"):
        services.agreement_approve(
            agreement=draft, user=main.council_signatory, version_number=draft.versions.order_by("number").last().number
        )
    assert not draft.approvals.exists()


def test_a_schedule_that_replaces_the_earlier_one_from_a_date_is_accepted_and_costs_switch_there(demo_data):
    main = demo_data["main"]
    draft = successor_agreement(main, status=Agreement.Status.DRAFT, supersede=True)
    assert overlaps(draft) == []
    services.agreement_circulate(agreement=draft, user=main.coordinator, comment_deadline=TODAY + dt.timedelta(days=14))
    Agreement.objects.filter(pk=draft.pk).update(status=Agreement.Status.AGREED)
    old = loaded(main.schedules.get(service__slug="payroll"))
    new = loaded(draft.schedules.get(service__slug="payroll"))
    assert old.in_force() == (dt.date(2025, 4, 1), dt.date(2027, 3, 31))
    assert schedule_cost(old, 2026) > 0 and schedule_cost(old, 2027) == 0
    assert schedule_cost(new, 2026) == 0 and schedule_cost(new, 2027) == new.annual_cost


def test_a_draft_successor_does_not_cut_the_earlier_schedule_short(demo_data):
    main = demo_data["main"]
    successor_agreement(main, status=Agreement.Status.DRAFT, supersede=True)
    old = loaded(main.schedules.get(service__slug="payroll"))
    assert old.in_force()[1] == dt.date(2030, 3, 31)  # renewals included, until the successor is agreed


def test_the_replacement_must_be_the_same_service_of_the_same_almo(demo_data):
    main, east = demo_data["main"], demo_data["east"]
    successor = successor_agreement(main, status=Agreement.Status.DRAFT, supersede=True)
    schedule = successor.schedules.get(service__slug="payroll")
    schedule.supersedes = main.schedules.get(service__slug="legal-advice-and-conveyancing")
    with pytest.raises(ValidationError, match="Choose a schedule for Payroll"):
        schedule.full_clean()
    schedule.supersedes = main.schedules.get(service__slug="payroll")
    schedule.supersedes_from = dt.date(2027, 3, 1)  # before this agreement starts
    with pytest.raises(ValidationError, match="on or after this agreement starts"):
        schedule.full_clean()
    other = east.schedules.first()
    other.supersedes = main.schedules.get(service=other.service)
    other.supersedes_from = dt.date(2026, 6, 1)
    with pytest.raises(ValidationError, match="in another agreement of Kirkby East Homes"):
        other.full_clean()


# --- Notices, variations and renewals in what is paid -------------------------------------------


def test_a_served_notice_reduces_what_the_almo_pays_from_its_effective_date(demo_data):
    main = demo_data["main"]
    before = schedule_cost(loaded(main.schedules.get(service__slug="bulky-waste-collection")), 2026)
    notice = serve(main, "bulky-waste-collection", dt.date(2026, 10, 1))
    assert notice.effective_date == dt.date(2027, 1, 31)
    bulky = loaded(main.schedules.get(service__slug="bulky-waste-collection"))
    assert schedule_cost(bulky, 2026) == (before * 306 / 365).quantize(D("0.01"))  # 1 April to 31 January
    assert schedule_cost(bulky, 2027) == 0
    services_notice_withdrawn = notice.__class__.objects.filter(pk=notice.pk).update(withdrawn_on=TODAY)
    assert services_notice_withdrawn == 1
    assert schedule_cost(loaded(bulky), 2026) == before


def test_an_approved_future_variation_changes_the_cost_from_its_effective_date(demo_data):
    main = demo_data["main"]
    approved_cost_variation(main, slug="payroll", new_cost="200000", effective=dt.date(2027, 4, 1))
    payroll = loaded(main.schedules.get(service__slug="payroll"))
    assert payroll.annual_cost == D("240000")  # not applied yet: the terms change in April
    assert schedule_cost(payroll, 2026) == payroll.year_costs.get(financial_year=2026).amount
    assert schedule_cost(payroll, 2027) == D("200000.00")


def test_the_exit_planner_costs_renewal_terms_and_uses_approved_variations(demo_data):
    main = demo_data["main"]
    approved_cost_variation(main, slug="payroll", new_cost="200000", effective=dt.date(2028, 4, 1))
    payroll = loaded(main.schedules.get(service__slug="payroll"))
    # served in the first renewal term (April 2028 to March 2029): six months, month end
    plan = exit_plan(payroll, served_on=dt.date(2028, 5, 10), siblings=[])
    assert plan.term.label == "Renewal term 1"
    assert plan.earliest_effective == dt.date(2028, 11, 30)
    assert plan.cost_until_effective == (D("200000") * 205 / 365).quantize(D("0.01"))
    assert plan.saving_rest_of_year == (D("200000") * 121 / 365).quantize(D("0.01"))
    assert plan.full_year_saving == D("200000.00")  # the second renewal term costs too
    assert plan.saving_rest_of_year > 0


def test_a_service_under_notice_gets_the_notices_plan_not_a_what_if(client_as, demo_data):
    main = demo_data["main"]
    notice = serve(main, "bulky-waste-collection", dt.date(2026, 10, 1))
    bulky = main.schedules.get(service__slug="bulky-waste-collection")
    response = client_as("coordinator").get(
        reverse("services:exit_planner", args=[bulky.pk]), {"served_on": "2026-12-01"}
    )
    plan = response.context["plan"]
    assert (plan.served_on, plan.earliest_effective) == (notice.served_on, notice.effective_date)
    html = response.content.decode()
    assert "If notice is served on" not in html and "Work out the dates" not in html
    assert "The notice served on 1 October 2026" in html
    rate = schedule_cost(loaded(bulky), 2026, with_notice=False)  # the 2026/27 rate: in force all year without notice
    # paid from serving (1 October) to the day it takes effect (31 January): 123 days; the saving is
    # the rest of the year (59 days) — together the 182 days from serving to 31 March
    assert plan.cost_until_effective == (rate * 123 / 365).quantize(D("0.01"))
    assert plan.cost_until_effective + plan.saving_rest_of_year == (rate * 182 / 365).quantize(D("0.01"))


@pytest.mark.parametrize("served_on", ["0001-01-01", "9999-12-31"])
def test_the_exit_planner_refuses_impossible_dates_with_a_message(client_as, demo_data, served_on):
    legal = demo_data["main"].schedules.get(service__slug="legal-advice-and-conveyancing")
    response = client_as("coordinator").get(reverse("services:exit_planner", args=[legal.pk]), {"served_on": served_on})
    assert response.status_code == 200
    assert "Enter a date between 1 January 2000 and 31 December 2099" in response.content.decode()


# --- Value for money and the costs page ------------------------------------------------------------


def test_value_for_money_leaves_out_schedules_not_paid_for_this_year(client_as, demo_data):
    successor_agreement(demo_data["main"])  # agreed, starts April 2027
    rows = client_as("coordinator").get(reverse("services:value_for_money")).context["rows"]
    references = {row.schedule.agreement.reference for row in rows}
    assert references == {"SLA-KNH-2025"}
    assert all(row.council_cost > 0 for row in rows)


def test_the_costs_page_year_select_shows_the_year_the_page_shows_and_keeps_it(client_as, demo_data):
    client = client_as("coordinator")
    html = client.get(reverse("services:costs")).content.decode()
    assert '<option value="2026" selected>2026/27</option>' in html
    response = client.get(reverse("services:costs"), {"category": "environmental"})
    assert response.context["totals"].year == 2026  # filtering by category keeps the year
    assert '<option value="2026" selected>2026/27</option>' in response.content.decode()


def test_the_costs_page_counts_only_services_paid_for_in_the_year(client_as, demo_data):
    successor_agreement(demo_data["main"])  # four schedules not started in 2026/27
    totals = client_as("coordinator").get(reverse("services:costs")).context["totals"]
    assert totals.total.services == 21
    export = client_as("coordinator").get(reverse("services:costs"), {"export": "csv"}).content.decode("utf-8-sig")
    assert "SLA-KNH-2027" not in export  # nothing paid in 2026/27 or 2025/26


# --- One access path ----------------------------------------------------------------------------


def test_an_administrator_gets_no_bypass_of_the_commenting_rule(client_as, demo_data):
    """Only department officers with services in the version and the signatories comment."""
    main = demo_data["main"]
    Agreement.objects.filter(pk=main.pk).update(status=Agreement.Status.DRAFT)
    version = services.agreement_circulate(
        agreement=Agreement.objects.get(pk=main.pk),
        user=main.coordinator,
        comment_deadline=TODAY + dt.timedelta(days=7),
    )
    client = client_as("admin")
    page = client.get(version.get_absolute_url())
    assert page.status_code == 200 and not page.context["can_comment"]
    response = client.post(version.get_absolute_url(), {"body": "Administrators do not comment."})
    assert response.status_code == 403
    assert not Comment.objects.filter(version=version).exists()
    assert AgreementVersion.objects.filter(pk=version.pk).exists()


def test_department_officers_see_only_their_own_figures_on_the_service_page(client_as, demo_data):
    main, east = demo_data["main"], demo_data["east"]
    legal = main.schedules.get(service__slug="legal-advice-and-conveyancing")
    # the environment officer opens Legal Services' service page: no schedules, no costs
    html = client_as("environment.officer").get(reverse("services:service_detail", args=[legal.service_id])).content
    html = html.decode()
    assert "£360,000" not in html and "SLA-KEH-2026" not in html and "This service is not in any agreement" in html
    # the legal officer sees their own, including in the other ALMO's agreement they deliver under
    legal_html = client_as("legal.officer").get(reverse("services:service_detail", args=[legal.service_id])).content
    assert "SLA-KNH-2025" in legal_html.decode()
    assert east.schedules.filter(service=legal.service).exists()


def test_department_officers_see_only_their_own_totals_in_the_agreements_list_and_export(client_as, demo_data):
    main = demo_data["main"]
    own = sum(s.annual_cost for s in main.schedules.filter(service__department__name="Environmental Services"))
    client = client_as("environment.officer")
    rows = client.get(reverse("agreements:agreement_list")).context["table"].data.data
    row = next(a for a in rows if a.pk == main.pk)
    assert row.total_annual_cost == own and row.schedule_count == 3
    export = client.get(reverse("agreements:agreement_list"), {"_export": "csv"}).content.decode("utf-8-sig")
    line = next(r for r in csv.DictReader(io.StringIO(export)) if r["Reference"] == "SLA-KNH-2025")
    assert "9055000" not in ",".join(line.values())
    dashboard = client.get(reverse("dashboard")).context["summary"]
    assert next(a for a in dashboard.agreements if a.pk == main.pk).total_annual_cost == own
