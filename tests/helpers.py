"""Scenarios shared by several test modules (imported by the tests that use them, not by conftest)."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from decimal import Decimal

from agreements import notice_writes, services
from agreements.models import Agreement, Schedule, ScheduleYearCost, Variation, VariationChange

LONDON = zoneinfo.ZoneInfo("Europe/London")
SUCCESSOR_SERVICES = ["responsive-repairs", "payroll", "possession-and-litigation", "bulky-waste-collection"]


def at_noon(day: dt.date) -> dt.datetime:
    """Noon in London on ``day``: a time to freeze the clock at."""
    return dt.datetime(day.year, day.month, day.day, 12, 0, tzinfo=LONDON)


def successor_agreement(main: Agreement, *, status=Agreement.Status.AGREED, supersede: bool = True) -> Agreement:
    """SLA-KNH-2027: from 1 April 2027, covering four of SLA-KNH-2025's services at new prices.

    With ``supersede`` each schedule says it replaces SLA-KNH-2025's from 1 April 2027; without,
    the two agreements overlap for a year (SLA-KNH-2025 runs to 31 March 2028).
    """
    successor = Agreement.objects.create(
        council=main.council,
        almo=main.almo,
        title="Service level agreement 2027 to 2030",
        reference="SLA-KNH-2027",
        status=status,
        start_date=dt.date(2027, 4, 1),
        end_date=dt.date(2030, 3, 31),
        coordinator=main.coordinator,
        council_signatory=main.council_signatory,
        almo_signatory=main.almo_signatory,
        notice_alignment=main.notice_alignment,
    )
    for slug in SUCCESSOR_SERVICES:
        earlier = main.schedules.get(service__slug=slug)
        new_cost = (earlier.annual_cost * Decimal("0.9")).quantize(Decimal("1"))
        schedule = Schedule.objects.create(
            agreement=successor,
            service=earlier.service,
            expected_service_level=earlier.expected_service_level,
            notice_period_months=earlier.notice_period_months,
            annual_cost=new_cost,
            supersedes=earlier if supersede else None,
            supersedes_from=dt.date(2027, 4, 1) if supersede else None,
        )
        ScheduleYearCost.objects.create(schedule=schedule, financial_year=2028, amount=new_cost * Decimal("1.02"))
    return successor


def approved_cost_variation(main: Agreement, *, slug: str, new_cost: str, effective: dt.date) -> Variation:
    """A variation of the annual cost of ``slug``'s schedule approved by both signatories (applied when due)."""
    variation = services.variation_propose(
        agreement=main,
        user=main.coordinator,
        reason="Scope reduced by joint agreement.",
        effective_date=effective,
        schedule=main.schedules.get(service__slug=slug),
        field=VariationChange.Field.ANNUAL_COST,
        new_value=new_cost,
    )
    for user in (main.council_signatory, main.almo_signatory):
        services.variation_decide(variation=variation, user=user, approve=True, revision=variation.revision)
    variation.refresh_from_db()
    return variation


def serve(main: Agreement, slug: str, served_on: dt.date):
    return notice_writes.notice_serve(
        schedule=main.schedules.get(service__slug=slug),
        user=main.coordinator,
        served_on=served_on,
        reason="The ALMO will buy it elsewhere.",
    )
