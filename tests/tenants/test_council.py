"""The council's view across its ALMOs, and the yearly Tenant Satisfaction Measures summary."""

import datetime as dt
from decimal import Decimal

from django.urls import reverse

from agreements.models import Schedule, Variation, VariationChange
from reporting.council.selectors import administration_cost, service_comparison
from reporting.models import StandardResult
from reporting.tsm.selectors import tsm_summary
from services.models import Service

TODAY = dt.date(2026, 11, 27)


def test_comparison_sets_the_same_service_side_by_side(demo_data, demo_user):
    service = Service.objects.get(slug="removal-of-abandoned-vehicles")
    columns = {
        c.almo.slug: c for c in service_comparison(user=demo_user("council.officer"), service=service, today=TODAY)
    }
    assert set(columns) == {"kirkby-neighbourhood-homes", "kirkby-east-homes", "kirkby-south-homes"}
    knh, south = columns["kirkby-neighbourhood-homes"], columns["kirkby-south-homes"]
    assert (knh.schedule.notice_period_months, south.schedule.notice_period_months) == (3, 6)
    knh_year_cost = Schedule.objects.get(pk=knh.schedule.pk).year_costs.get(financial_year=2026).amount
    assert knh.cost == knh_year_cost
    assert [q.label for q, _ in knh.rag_history] == ["2025/26 Q3", "2025/26 Q4", "2026/27 Q1", "2026/27 Q2"]
    expected = (
        StandardResult.objects.filter(
            standard__schedule=knh.schedule, quarterly_return__financial_year=2026, quarterly_return__quarter=2
        )
        .values_list("rag", flat=True)
        .get()
    )
    assert knh.rag_history[-1][1] == expected
    assert columns["kirkby-east-homes"].schedule.agreement.status == "draft"


def test_comparison_only_covers_the_officers_council(demo_data, demo_user, client_as, django_assert_max_num_queries):
    service = Service.objects.get(slug="removal-of-abandoned-vehicles")
    client = client_as("council.officer")
    with django_assert_max_num_queries(21):
        response = client.get(reverse("reporting:council_compare") + f"?service={service.pk}")
    html = response.content.decode()
    assert "Kirkby South Homes" in html and "6 months" in html and "2026/27 Q2: " in html


def test_administration_counts_per_department_per_year(demo_data, demo_user):
    user = demo_user("council.officer")
    before = {r.department.name: r for r in administration_cost(user=user, year=2026)}
    legal = Schedule.objects.get(agreement=demo_data["main"], service__slug="legal-advice-and-conveyancing")
    variation = Variation.objects.create(
        agreement=demo_data["main"],
        number=77,
        reason="Fee review",
        effective_date=dt.date(2026, 12, 1),
        proposed_by=demo_user("coordinator"),
    )
    VariationChange.objects.create(
        variation=variation, schedule=legal, field="annual_cost", old_value="1", new_value="2"
    )
    after = {r.department.name: r for r in administration_cost(user=user, year=2026)}
    assert after["Legal Services"].variations == before["Legal Services"].variations + 1
    # three live agreements buy legal services; each sends four returns a year (2026/27 so far: three quarters)
    assert after["Legal Services"].agreements == 3
    assert after["Legal Services"].returns == 6  # two agreements with returns (KNH, KSH) × Q1–Q3
    assert after["ICT Services"].queries >= 1  # the ICT return sent back in the demo


def test_tsm_summary_year_figures(demo_data):
    almo = demo_data["main"].almo
    lines = tsm_summary(almo=almo, year=2025)
    gas = next(line for line in lines if line.code == "BS01")
    actuals = list(
        StandardResult.objects.filter(
            standard__title="Homes with a valid gas safety certificate",
            quarterly_return__agreement__almo=almo,
            quarterly_return__financial_year=2025,
            quarterly_return__status="accepted",
        ).values_list("actual", flat=True)
    )
    assert len(actuals) == 4
    mean = (sum(actuals) / 4).quantize(Decimal("0.1"))
    assert gas.year_value == f"{mean.normalize():f}%" and gas.note == "mean of 4 quarters"
    assert {line.code for line in lines} >= {"BS01", "RP02", "NM01", "CH01", "CH02"}
    ch01 = [line for line in lines if line.code == "CH01"]
    assert ch01[0].standard == "Stage 1 complaints" and "per 1,000 homes" in ch01[0].year_value
