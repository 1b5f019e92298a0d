"""A proportionally larger synthetic council for benchmarks (``seed_demo --scale N``).

Scale 1 is the normal demo. Scale N adds a council of its own ("Scale N Metropolitan
Borough Council") with one ALMO (slug ``scale-N-homes``) and one active agreement
(``SLA-SCALE-N``) holding N copies of the demo's departments, services, standards,
targets and yearly costs, with the same returns history as the demo
(``reporting.demo.seed_returns_history``). Service slugs carry their department's slug, so
the demo's own services stay unique by slug. The catalogue is created with
``bulk_create`` (it needs no history); the returns go through the normal seeding, so
they look exactly like the demo's. Idempotent: a scale already seeded is only topped up.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.text import slugify

from agreements.models import Agreement, Schedule, ScheduleYearCost, Standard, StandardTarget
from reporting.demo import UPLIFT
from reporting.demo.data import DEPARTMENTS, PASSWORD
from reporting.demo.returns import seed_returns_history
from services.models import Almo, Council, Department, Profile, Service

START, END = dt.date(2025, 4, 1), dt.date(2028, 3, 31)


@dataclass
class ScaleResult:
    almo_slug: str
    departments: int
    services: int
    standards: int
    returns: int


def scale_slug(n: int) -> str:
    return f"scale-{n}-homes"


def seed_scale(n: int) -> ScaleResult:
    """Seed the synthetic council for scale ``n`` (>= 2)."""
    if n < 2:
        raise ValueError("Scale 1 is the normal demo; use 2 or more.")
    with transaction.atomic():
        agreement = Agreement.objects.filter(reference=f"SLA-SCALE-{n}").first() or _build(n)
        created = seed_returns_history(agreement)
    return ScaleResult(
        almo_slug=agreement.almo.slug,
        departments=Department.objects.filter(council=agreement.council).count(),
        services=agreement.schedules.count(),
        standards=Standard.objects.filter(schedule__agreement=agreement).count(),
        returns=created,
    )


def _build(n: int) -> Agreement:
    council = Council.objects.create(name=f"Scale {n} Metropolitan Borough Council", slug=f"scale-{n}")
    almo = Almo.objects.create(council=council, name=f"Scale {n} Homes", slug=scale_slug(n), homes_managed=27000 * n)
    User = get_user_model()
    coordinator, _ = User.objects.get_or_create(
        username=f"scale{n}.coordinator", defaults={"first_name": "Scale", "last_name": f"Coordinator {n}"}
    )
    coordinator.set_password(PASSWORD)
    coordinator.save()
    Profile.objects.update_or_create(user=coordinator, defaults={"role": Profile.Role.COORDINATOR, "almo": almo})
    agreement = Agreement.objects.create(
        council=council,
        almo=almo,
        title=f"Strategic and support services, scale {n}",
        reference=f"SLA-SCALE-{n}",
        status=Agreement.Status.ACTIVE,
        start_date=START,
        end_date=END,
        coordinator=coordinator,
        notice_alignment=Agreement.NoticeAlignment.MONTH_END,
        renewal_term_months=12,
        max_renewals=2,
    )

    departments = Department.objects.bulk_create(
        [
            Department(council=council, name=_copy(name, c), slug=slugify(_copy(name, c)), is_housing=is_housing)
            for c in range(1, n + 1)
            for name, is_housing, _services in DEPARTMENTS
        ]
    )
    specs = [spec for _c in range(n) for _name, _housing, service_specs in DEPARTMENTS for spec in [service_specs]]
    services, service_specs = [], []
    for department, dept_services in zip(departments, specs, strict=True):
        for sname, kind, category, hra, description, terms, standards in dept_services:
            services.append(
                Service(
                    department=department,
                    name=sname,
                    slug=f"{slugify(sname)}-{department.slug}",
                    kind=kind,
                    category=category,
                    hra_funded=hra,
                    description=description,
                )
            )
            service_specs.append((terms, standards))
    services = Service.objects.bulk_create(services)
    schedules = Schedule.objects.bulk_create(
        [
            Schedule(
                agreement=agreement,
                service=service,
                expected_service_level=service.description,
                reporting_what="Performance against each standard, and every departure from standard.",
                reporting_frequency=terms[4],
                reporting_to=f"{almo.name} coordinator; quarterly summary to the Parent Board",
                notice_period_months=terms[0],
                annual_cost=terms[1],
                cost_basis=terms[2],
                staff_time_share=terms[3],
            )
            for service, (terms, _standards) in zip(services, service_specs, strict=True)
        ]
    )
    costs, standards, targets = [], [], []
    for schedule, (terms, standard_specs) in zip(schedules, service_specs, strict=True):
        amount = terms[1]
        for year in range(START.year, END.year):
            costs.append(
                ScheduleYearCost(
                    schedule=schedule,
                    financial_year=year,
                    amount=amount,
                    note="" if year == START.year else "2.5% annual uplift",
                )
            )
            amount = (amount * UPLIFT).quantize(Decimal("1"))
        for position, spec in enumerate(standard_specs):
            if spec[0] == "measured":
                _, title, unit, direction, tolerance, yearly = spec
                standards.append(
                    (
                        Standard(
                            schedule=schedule,
                            kind=Standard.Kind.MEASURED,
                            title=title,
                            unit=unit,
                            direction=direction,
                            amber_tolerance=tolerance,
                            position=position,
                        ),
                        yearly,
                    )
                )
            else:
                _, title, deliverable, due = spec
                standards.append(
                    (
                        Standard(
                            schedule=schedule,
                            kind=Standard.Kind.MILESTONE,
                            title=title,
                            deliverable=deliverable,
                            due_date=due,
                            position=position,
                        ),
                        {},
                    )
                )
    ScheduleYearCost.objects.bulk_create(costs)
    created = Standard.objects.bulk_create([s for s, _ in standards])
    for standard, (_s, yearly) in zip(created, standards, strict=True):
        targets += [
            StandardTarget(standard=standard, effective_from=dt.date(y, 4, 1), value=v) for y, v in yearly.items()
        ]
    StandardTarget.objects.bulk_create(targets)
    return agreement


def _copy(name: str, copy: int) -> str:
    return name if copy == 1 else f"{name} {copy}"
