"""Service credits: a share of the quarterly charge the council credits the ALMO when a
critical standard is red (and, if the agreement says so, amber), capped per year.

Off by default; only standards marked critical earn credits (credits tempt providers to
report green and turn trivial failures into claims, so the agreement names the few that
matter and states the cap). ``compute_credits`` is the rule, on plain numbers;
``service_credits`` reads one schedule's year and applies it.

- A quarter's charge is what the schedule costs for the days of the quarter it is in force
  (the agreement's start and end, and notice served, make partial years).
- Each critical standard red in a quarter earns ``red_percent`` of that quarter's charge,
  amber ``amber_percent``; a quarter never earns more than its charge.
- The year's credit is capped at ``annual_cap_percent`` of the year's charge, taken in
  quarter order: once the cap is reached later quarters earn nothing more.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from agreements.costs import cost_between
from agreements.models import Schedule
from reporting.cases.models import CriticalStandard, ServiceCreditScheme
from reporting.models import Rag, StandardResult
from services.periods import Quarter, financial_year_first_day

ZERO = Decimal("0")
PENNY = Decimal("0.01")
HUNDRED = Decimal("100")


def _pennies(value: Decimal) -> Decimal:
    return value.quantize(PENNY, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class CreditTerms:
    red_percent: Decimal
    amber_percent: Decimal
    annual_cap_percent: Decimal


@dataclass
class QuarterCredit:
    quarter: Quarter
    charge: Decimal
    rags: list[str]
    earned: Decimal
    credited: Decimal


@dataclass
class ServiceCredits:
    financial_year: int
    enabled: bool
    charged: Decimal
    credited: Decimal
    cap: Decimal
    capped: bool
    quarters: list[QuarterCredit]

    @property
    def net(self) -> Decimal:
        return self.charged - self.credited


def compute_credits(
    *, charges: list[Decimal], rags: list[list[str]], terms: CreditTerms
) -> tuple[list[Decimal], list[Decimal], Decimal]:
    """(earned per quarter, credited per quarter after the cap, the cap) for a year's quarters."""
    if len(charges) != len(rags):
        raise ValueError("One list of RAGs per quarter's charge.")
    cap = _pennies(sum(charges, ZERO) * terms.annual_cap_percent / HUNDRED)
    earned, credited, so_far = [], [], ZERO
    for charge, quarter_rags in zip(charges, rags, strict=True):
        percent = sum(
            (terms.red_percent if rag == Rag.RED else terms.amber_percent if rag == Rag.AMBER else ZERO)
            for rag in quarter_rags
        )
        quarter_earned = min(charge, _pennies(charge * percent / HUNDRED)) if charge > 0 else ZERO
        quarter_credited = max(ZERO, min(quarter_earned, cap - so_far))
        so_far += quarter_credited
        earned.append(quarter_earned)
        credited.append(quarter_credited)
    return earned, credited, cap


def quarter_charge(schedule: Schedule, quarter: Quarter) -> Decimal:
    """What the schedule costs for the days of ``quarter`` it is in force: the one cost rule
    (``agreements.costs``: term and renewals, notice served, variations, replacement).

    Worked as the year-to-date cost at the quarter's end less that at the end of the quarter
    before, so the four quarters add up to ``schedule_cost`` for the year to the penny (rounding
    each quarter on its own could add a penny, and the costs page and credits would disagree)."""
    first = financial_year_first_day(quarter.year)
    to_date = cost_between(schedule, first, quarter.end)
    if quarter.start == first:
        return to_date
    return to_date - cost_between(schedule, first, quarter.start - dt.timedelta(days=1))


def service_credits(schedule: Schedule, financial_year: int) -> ServiceCredits:
    """Charged, credited and net for the schedule in the financial year starting in ``financial_year``."""
    try:
        scheme = schedule.agreement.service_credit_scheme
    except ServiceCreditScheme.DoesNotExist:
        scheme = None
    rags: dict[int, list[str]] = {}
    if scheme is not None and scheme.enabled:
        rags = _critical_rags([schedule], financial_year).get(schedule.pk, {})
    return _year_credits(schedule, financial_year, scheme, rags)


def credits_by_schedule(schedules: Iterable[Schedule], financial_year: int) -> dict[int, ServiceCredits]:
    """For a page of schedules (loaded ``with_costs``): the credits of each schedule with a critical standard
    in an agreement whose credits are switched on, by schedule id; the same figures as ``service_credits``.
    Three queries at most (one when no agreement has credits on), however many schedules."""
    schedules = list(schedules)
    schemes = {
        scheme.agreement_id: scheme
        for scheme in ServiceCreditScheme.objects.filter(
            agreement_id__in={s.agreement_id for s in schedules}, enabled=True
        )
    }
    candidates = [s for s in schedules if s.agreement_id in schemes]
    if not candidates:
        return {}
    critical = set(
        CriticalStandard.objects.filter(standard__schedule__in=candidates).values_list(
            "standard__schedule_id", flat=True
        )
    )
    earning = [s for s in candidates if s.pk in critical]
    rags = _critical_rags(earning, financial_year) if earning else {}
    return {s.pk: _year_credits(s, financial_year, schemes[s.agreement_id], rags.get(s.pk, {})) for s in earning}


def _critical_rags(schedules: list[Schedule], financial_year: int) -> dict[int, dict[int, list[str]]]:
    """RAGs of the schedules' critical standards in submitted or accepted returns: schedule id -> quarter -> RAGs."""
    out: dict[int, dict[int, list[str]]] = {}
    results = StandardResult.objects.filter(
        standard__schedule__in=schedules,
        standard__critical__isnull=False,
        quarterly_return__financial_year=financial_year,
        quarterly_return__status__in=("submitted", "accepted"),
    ).values_list("standard__schedule_id", "quarterly_return__quarter", "rag")
    for schedule_id, number, rag in results:
        out.setdefault(schedule_id, {}).setdefault(number, []).append(rag)
    return out


def _year_credits(
    schedule: Schedule, financial_year: int, scheme: ServiceCreditScheme | None, rags_by_quarter: dict[int, list[str]]
) -> ServiceCredits:
    quarters = [Quarter(financial_year, n) for n in range(1, 5)]
    charges = [quarter_charge(schedule, q) for q in quarters]
    charged = sum(charges, ZERO)
    if scheme is None or not scheme.enabled:
        return ServiceCredits(
            financial_year=financial_year,
            enabled=False,
            charged=charged,
            credited=ZERO,
            cap=ZERO,
            capped=False,
            quarters=[QuarterCredit(q, c, [], ZERO, ZERO) for q, c in zip(quarters, charges, strict=True)],
        )
    rags = [rags_by_quarter.get(q.number, []) for q in quarters]
    terms = CreditTerms(scheme.red_percent, scheme.amber_percent, scheme.annual_cap_percent)
    earned, credited, cap = compute_credits(charges=charges, rags=rags, terms=terms)
    return ServiceCredits(
        financial_year=financial_year,
        enabled=True,
        charged=charged,
        credited=sum(credited, ZERO),
        cap=cap,
        capped=sum(earned, ZERO) > sum(credited, ZERO),
        quarters=[QuarterCredit(*row) for row in zip(quarters, charges, rags, earned, credited, strict=True)],
    )
