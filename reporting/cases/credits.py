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

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from agreements.costs import cost_between
from agreements.models import Schedule
from reporting.cases.models import ServiceCreditScheme
from reporting.models import Rag, StandardResult
from services.periods import Quarter

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
    (``agreements.costs``: term and renewals, notice served, variations, replacement)."""
    return cost_between(schedule, quarter.start, quarter.end)


def service_credits(schedule: Schedule, financial_year: int) -> ServiceCredits:
    """Charged, credited and net for the schedule in the financial year starting in ``financial_year``."""
    quarters = [Quarter(financial_year, n) for n in range(1, 5)]
    charges = [quarter_charge(schedule, q) for q in quarters]
    charged = sum(charges, ZERO)
    try:
        scheme = schedule.agreement.service_credit_scheme
    except ServiceCreditScheme.DoesNotExist:
        scheme = None
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
    by_quarter: dict[int, list[str]] = {n: [] for n in range(1, 5)}
    results = StandardResult.objects.filter(
        standard__schedule=schedule,
        standard__critical__isnull=False,
        quarterly_return__financial_year=financial_year,
        quarterly_return__status__in=("submitted", "accepted"),
    ).values_list("quarterly_return__quarter", "rag")
    for number, rag in results:
        by_quarter[number].append(rag)
    rags = [by_quarter[q.number] for q in quarters]
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
