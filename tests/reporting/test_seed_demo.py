from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Sum

from agreements.models import Agreement, Schedule, Standard, StandardTarget
from services.models import Department, Profile, Service

pytestmark = pytest.mark.django_db


def counts():
    return [
        m.objects.count() for m in (Department, Service, Agreement, Schedule, Standard, StandardTarget, Profile)
    ] + [get_user_model().objects.count()]


def test_seed_demo_builds_a_realistic_council_and_running_it_twice_duplicates_nothing():
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    first = counts()
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    assert counts() == first
    assert Department.objects.count() >= 10
    assert Service.objects.count() >= 20


def test_demo_terms_come_from_the_domain_notes(demo_data):
    main = demo_data["main"]
    cars = Schedule.objects.get(agreement=main, service__slug="removal-of-abandoned-vehicles")
    assert cars.notice_period_months == 3
    assert cars.standards.get().targets.get().value == Decimal("24")
    reception = Schedule.objects.get(agreement=main, service__slug="one-stop-shop-frontline-reception")
    assert reception.notice_period_months == 6
    safety = Schedule.objects.get(agreement=main, service__slug="community-safety-partnership")
    assert safety.reporting_frequency == "quarterly"
    assert safety.standards.filter(kind="milestone", due_date__month=9, due_date__day=30).count() == 2
    support = Schedule.objects.filter(
        agreement=main, service__department__name__in=["Legal Services", "Finance", "Human Resources"]
    ).aggregate(total=Sum("annual_cost"))["total"]
    assert support == Decimal("1700000")
    urgent = Standard.objects.get(schedule__agreement=main, title="Urgent repairs completed within time limits")
    assert list(urgent.targets.values_list("value", flat=True)) == [Decimal("85"), Decimal("90"), Decimal("96")]


def test_one_demo_user_per_role(demo_data):
    roles = set(Profile.objects.values_list("role", flat=True))
    assert roles == {choice for choice, _ in Profile.Role.choices}


def test_demo_value_for_money_flags_payroll_and_has_a_notice_served(demo_data):
    from agreements.cost_selectors import cost_schedules
    from agreements.models import ServiceNotice
    from reporting.demo.value import seed_value_for_money
    from reporting.value_for_money import DEFAULT_THRESHOLD, vfm_rows
    from reporting.value_selectors import benchmarks_for_schedules_query
    from services.models import Benchmark

    main = demo_data["main"]
    seed_value_for_money(main)
    seed_value_for_money(main)  # idempotent
    assert Benchmark.objects.filter(almo=main.almo).count() == 5
    notice = ServiceNotice.objects.get(schedule__agreement=main)
    assert (notice.schedule.service.slug, str(notice.effective_date)) == ("bulky-waste-collection", "2027-01-31")
    coordinator = main.coordinator
    schedules = cost_schedules(user=coordinator)
    rows = vfm_rows(
        schedules,
        benchmarks=benchmarks_for_schedules_query(schedules),
        rag_results=[],
        market_tests=[],
        year=2026,
        threshold=DEFAULT_THRESHOLD,
        quarters=[],
    )
    flagged = {r.schedule.service.slug for r in rows if r.above_threshold}
    assert flagged == {"payroll"}
