"""Demo benchmark evidence, market tests and a notice served, so value for money and exit
planning have something to show. Idempotent (keyed on source and service)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

from agreements.models import Agreement, ServiceNotice
from agreements.notices import earliest_effective_date
from services.models import Benchmark, MarketTest

BENCHMARKS = [
    # service slug, kind, amount, source, obtained, quality notes
    (
        "payroll",
        "alternative_quote",
        D("176000"),
        "Northshire Payroll Bureau Ltd",
        dt.date(2026, 6, 12),
        "Firm quote for 640 employees, including pensions returns; excludes year-end P60 printing.",
    ),
    (
        "payroll",
        "peer_cost",
        D("205000"),
        "Westdale Homes (ALMO, 21,000 homes)",
        dt.date(2026, 5, 3),
        "From their published accounts; covers 590 staff.",
    ),
    (
        "payroll",
        "published",
        D("198000"),
        "CIPFA payroll benchmarking club 2025/26",
        dt.date(2026, 4, 20),
        "Median cost per employee × 640 employees.",
    ),
    (
        "financial-accounting-and-hra-accounts",
        "peer_cost",
        D("415000"),
        "Eastborough Council Housing Services",
        dt.date(2026, 3, 30),
        "Similar stock size; includes HRA closure and budget monitoring.",
    ),
    (
        "financial-accounting-and-hra-accounts",
        "alternative_quote",
        D("452000"),
        "Regional accountancy shared service",
        dt.date(2026, 7, 1),
        "Indicative quote, subject to TUPE.",
    ),
]


def seed_value_for_money(agreement: Agreement) -> None:
    coordinator = agreement.coordinator
    schedules = {s.service.slug: s for s in agreement.schedules.select_related("service")}
    for slug, kind, amount, source, obtained, notes in BENCHMARKS:
        schedule = schedules.get(slug)
        if schedule is None:
            continue
        Benchmark.objects.update_or_create(
            service=schedule.service,
            almo=agreement.almo,
            source=source,
            defaults={
                "kind": kind,
                "amount": amount,
                "basis": "per_year",
                "obtained_on": obtained,
                "quality_notes": notes,
                "entered_by": coordinator,
            },
        )
    payroll = schedules.get("payroll")
    if payroll is not None:
        MarketTest.objects.update_or_create(
            service=payroll.service,
            almo=agreement.almo,
            recorded_on=dt.date(2026, 7, 15),
            defaults={
                "status": "under_review",
                "reason": "Two cheaper quotes received; board asked for a review.",
                "recorded_by": coordinator,
            },
        )
    bulky = schedules.get("bulky-waste-collection")
    if bulky is not None and not bulky.notices.exists():
        served = dt.date(2026, 10, 1)
        ServiceNotice.objects.create(
            schedule=bulky,
            served_on=served,
            effective_date=earliest_effective_date(served, bulky.notice_period_months, agreement.notice_alignment),
            served_by=coordinator,
            reason="The ALMO's own estate team will collect bulky waste from 2027.",
        )
