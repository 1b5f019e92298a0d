"""Creates the demo data from ``reporting.demo.data``; idempotent (keyed on slugs and references)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils.text import slugify

from agreements.models import Agreement, Schedule, ScheduleYearCost, Standard, StandardTarget
from reporting.demo.data import ALMOS, COUNCIL, DEPARTMENTS, PASSWORD, USERS
from reporting.demo.drafting import seed_drafting
from reporting.demo.returns import seed_returns_history
from reporting.demo.value import seed_value_for_money
from services.models import Almo, Council, Department, Profile, Service

__all__ = ["PASSWORD", "seed", "usernames"]


@dataclass
class SeedResult:
    departments: int
    services: int
    agreements: int
    users: int


def usernames() -> list[str]:
    return [u[0] for u in USERS]


def seed(*, value_for_money: bool = True) -> SeedResult:
    """``value_for_money=False`` leaves out the demo benchmarks, market test and notice (tests start without them)."""
    council, _ = Council.objects.update_or_create(slug=COUNCIL["slug"], defaults={"name": COUNCIL["name"]})
    almos = {}
    for spec in ALMOS:
        almos[spec["slug"]], _ = Almo.objects.update_or_create(
            slug=spec["slug"],
            defaults={"council": council, "name": spec["name"], "homes_managed": spec["homes_managed"]},
        )
    departments: dict[str, Department] = {}
    services: list[tuple[Service, tuple, list]] = []
    for name, is_housing, service_specs in DEPARTMENTS:
        department, _ = Department.objects.update_or_create(
            council=council, slug=slugify(name), defaults={"name": name, "is_housing": is_housing}
        )
        departments[name] = department
        for sname, kind, category, hra, description, terms, standards in service_specs:
            service, _ = Service.objects.update_or_create(
                department=department,
                slug=slugify(sname),
                defaults={
                    "name": sname,
                    "kind": kind,
                    "category": category,
                    "hra_funded": hra,
                    "description": description,
                },
            )
            services.append((service, terms, standards))

    users = _seed_users(almos, departments)
    main = _seed_agreement(
        reference="SLA-KNH-2025",
        title="Strategic and support services 2025 to 2028",
        council=council,
        almo=almos["kirkby-neighbourhood-homes"],
        coordinator=users["coordinator"],
        status=Agreement.Status.ACTIVE,
        start=dt.date(2025, 4, 1),
        end=dt.date(2028, 3, 31),
        services=services,
        notice_alignment=Agreement.NoticeAlignment.MONTH_END,
        renewal_term_months=12,
        max_renewals=2,
    )
    east_services = [s for s in services if s[0].department.name in ("Legal Services", "Finance", "Human Resources")]
    east_services += [s for s in services if s[0].slug == "removal-of-abandoned-vehicles"]
    east = _seed_agreement(
        reference="SLA-KEH-2026",
        title="Support services 2026 to 2029 (draft)",
        council=council,
        almo=almos["kirkby-east-homes"],
        coordinator=users["east.coordinator"],
        status=Agreement.Status.DRAFT,
        start=dt.date(2026, 4, 1),
        end=dt.date(2029, 3, 31),
        services=east_services,
    )
    seed_returns_history(main)
    seed_drafting(main=main, east=east, users=users)
    from reporting.demo_improvement import seed_improvement

    seed_improvement(main=main, credits=value_for_money)

    from reporting.demo_tenants import seed_tenants  # issue 14: third ALMO, panel, council officer, complaints

    seed_tenants(council=council, main=main, services=services, seed_agreement=_seed_agreement, password=PASSWORD)
    if value_for_money:
        seed_value_for_money(main)
    return SeedResult(
        departments=len(departments), services=len(services), agreements=len([main, east]), users=len(users)
    )


def _seed_users(almos, departments):
    User = get_user_model()
    users = {}
    for username, first, last, role, almo_slug, department_name, superuser in USERS:
        user, created = User.objects.get_or_create(username=username)
        user.first_name, user.last_name = first, last
        user.email = f"{username}@example.gov.uk"
        user.is_superuser = user.is_staff = superuser
        if created or not user.has_usable_password():
            user.set_password(PASSWORD)
        user.save()
        Profile.objects.update_or_create(
            user=user,
            defaults={
                "role": role,
                "almo": almos.get(almo_slug) if almo_slug else None,
                "department": departments.get(department_name) if department_name else None,
            },
        )
        users[username] = user
    return users


UPLIFT = Decimal("1.025")


def _seed_agreement(*, reference, title, council, almo, coordinator, status, start, end, services, **terms):
    agreement, _ = Agreement.objects.update_or_create(
        reference=reference,
        defaults={
            **terms,
            "title": title,
            "council": council,
            "almo": almo,
            "coordinator": coordinator,
            "status": status,
            "start_date": start,
            "end_date": end,
        },
    )
    for service, terms, standard_specs in services:
        notice, cost, basis, share, frequency = terms
        schedule, _ = Schedule.objects.update_or_create(
            agreement=agreement,
            service=service,
            defaults={
                "expected_service_level": service.description,
                "reporting_what": "Performance against each standard, and every departure from standard "
                "with its reason and remedial action.",
                "reporting_frequency": frequency,
                "reporting_to": f"{almo.name} coordinator; quarterly summary to the Parent Board",
                "notice_period_months": notice,
                "annual_cost": cost,
                "cost_basis": basis,
                "staff_time_share": share,
            },
        )
        amount = cost
        for year in range(start.year, end.year):
            ScheduleYearCost.objects.update_or_create(
                schedule=schedule,
                financial_year=year,
                defaults={"amount": amount, "note": "" if year == start.year else "2.5% annual uplift"},
            )
            amount = (amount * UPLIFT).quantize(Decimal("1"))
        for position, spec in enumerate(standard_specs):
            if spec[0] == "measured":
                _, title_, unit, direction, tolerance, targets = spec
                standard, _ = Standard.objects.update_or_create(
                    schedule=schedule,
                    title=title_,
                    defaults={
                        "kind": Standard.Kind.MEASURED,
                        "unit": unit,
                        "direction": direction,
                        "amber_tolerance": tolerance,
                        "position": position,
                    },
                )
                for year, value in targets.items():
                    StandardTarget.objects.update_or_create(
                        standard=standard, effective_from=dt.date(year, 4, 1), defaults={"value": value}
                    )
            else:
                _, title_, deliverable, due = spec
                Standard.objects.update_or_create(
                    schedule=schedule,
                    title=title_,
                    defaults={
                        "kind": Standard.Kind.MILESTONE,
                        "deliverable": deliverable,
                        "due_date": due,
                        "position": position,
                    },
                )
    return agreement
