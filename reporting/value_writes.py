"""Writes for value for money: benchmark evidence and market tests.

Each function validates with ``full_clean()`` and saves; permission checks are in the views
(``reporting.rules``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone

from agreements.models import Schedule
from services.models import Benchmark, MarketTest


def benchmark_add(
    *,
    schedule: Schedule,
    user,
    kind: str,
    amount: Decimal,
    basis: str,
    source: str,
    obtained_on: dt.date,
    unit_name: str = "",
    units_per_year: Decimal | None = None,
    quality_notes: str = "",
) -> Benchmark:
    """Record benchmark evidence for the schedule's service, on behalf of its agreement's ALMO."""
    if obtained_on and obtained_on > timezone.localdate():
        raise ValidationError({"obtained_on": "The date of the evidence cannot be in the future."})
    benchmark = Benchmark(
        service_id=schedule.service_id,
        almo_id=schedule.agreement.almo_id,
        kind=kind,
        amount=amount,
        basis=basis,
        unit_name=unit_name if basis == Benchmark.Basis.PER_UNIT else "",
        units_per_year=units_per_year if basis == Benchmark.Basis.PER_UNIT else None,
        source=source,
        obtained_on=obtained_on,
        quality_notes=quality_notes,
        entered_by=user,
    )
    benchmark.full_clean()
    benchmark.save()
    return benchmark


def market_test_record(
    *, schedule: Schedule, user, status: str, recorded_on: dt.date, reason: str, decision: str = ""
) -> MarketTest:
    if recorded_on and recorded_on > timezone.localdate():
        raise ValidationError({"recorded_on": "The date cannot be in the future."})
    test = MarketTest(
        service_id=schedule.service_id,
        almo_id=schedule.agreement.almo_id,
        status=status,
        decision=decision,
        recorded_on=recorded_on,
        reason=reason,
        recorded_by=user,
    )
    test.full_clean()
    test.save()
    return test
