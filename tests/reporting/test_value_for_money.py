"""Benchmark statistics, the same-basis adjustment, the threshold flag and the RAG-history join."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from agreements.models import Schedule
from reporting import value_selectors as selectors
from reporting import value_writes as writes
from reporting.value_for_money import (
    benchmark_stats,
    difference_from_median,
    is_above_threshold,
    recent_quarters,
    vfm_rows,
    worst_rag,
)
from services.models import Benchmark, MarketTest
from services.periods import Quarter

D = Decimal


def test_stats_of_an_odd_and_an_even_number_of_benchmarks():
    assert benchmark_stats([D("300"), D("100"), D("200")]) == (stats := benchmark_stats([D("100"), D("200"), D("300")]))
    assert (stats.count, stats.lowest, stats.median, stats.highest) == (3, D("100"), D("200"), D("300"))
    even = benchmark_stats([D("280000"), D("300000")])
    assert (even.lowest, even.median, even.highest) == (D("280000"), D("290000.00"), D("300000"))
    single = benchmark_stats([D("5.55")])
    assert single.lowest == single.median == single.highest == D("5.55")
    assert benchmark_stats([]) is None


@given(st.lists(st.decimals(min_value=1, max_value=10**7, places=2), min_size=1, max_size=20))
def test_the_median_lies_within_the_range(amounts):
    stats = benchmark_stats(amounts)
    assert stats.lowest <= stats.median <= stats.highest
    assert stats.count == len(amounts)


def test_difference_and_threshold():
    stats = benchmark_stats([D("280000"), D("300000")])
    assert difference_from_median(D("369000"), stats) == D("27.2")
    assert difference_from_median(D("261000"), stats) == D("-10.0")
    assert difference_from_median(D("1"), None) is None
    assert is_above_threshold(D("27.2"), D("10"))
    assert not is_above_threshold(D("10.0"), D("10"))  # "more than" the threshold
    assert not is_above_threshold(D("27.2"), D("30"))
    assert not is_above_threshold(None, D("0"))


def test_worst_rag():
    assert worst_rag(["green", "amber", ""]) == "amber"
    assert worst_rag(["green", "red", "amber"]) == "red"
    assert worst_rag(["", ""]) == ""


def test_recent_quarters_cross_the_financial_year():
    assert [q.label for q in recent_quarters(Quarter(2026, 2))] == [
        "2025/26 Q3",
        "2025/26 Q4",
        "2026/27 Q1",
        "2026/27 Q2",
    ]


def test_a_per_unit_benchmark_is_put_on_a_yearly_basis():
    per_hour = Benchmark(amount=D("150"), basis=Benchmark.Basis.PER_UNIT, unit_name="hour", units_per_year=D("2000"))
    assert per_hour.annual_equivalent == D("300000.00")
    assert Benchmark(amount=D("280000"), basis=Benchmark.Basis.PER_YEAR).annual_equivalent == D("280000")


@pytest.mark.django_db
class TestWithTheDemo:
    @pytest.fixture
    def legal(self, demo_data):
        return Schedule.objects.get(agreement=demo_data["main"], service__slug="legal-advice-and-conveyancing")

    def add(self, legal, user, amount, **extra):
        fields = dict(
            kind=Benchmark.Kind.PUBLISHED,
            amount=D(amount),
            basis=Benchmark.Basis.PER_YEAR,
            source="CIPFA benchmarking club",
            obtained_on=dt.date(2026, 9, 1),
        )
        return writes.benchmark_add(schedule=legal, user=user, **(fields | extra))

    def test_rows_join_benchmarks_rag_history_and_the_latest_market_test(self, legal, demo_user):
        coordinator = demo_user("coordinator")
        self.add(legal, coordinator, "280000")
        self.add(legal, coordinator, "150", basis=Benchmark.Basis.PER_UNIT, unit_name="hour", units_per_year=D("2000"))
        writes.market_test_record(
            schedule=legal,
            user=coordinator,
            status=MarketTest.Status.UNDER_REVIEW,
            recorded_on=dt.date(2026, 9, 1),
            reason="Inspection asked for it",
        )
        writes.market_test_record(
            schedule=legal,
            user=coordinator,
            status=MarketTest.Status.MARKET_TESTED,
            recorded_on=dt.date(2026, 10, 15),
            reason="Two quotes in",
        )
        quarters = recent_quarters(Quarter(2026, 2))
        qs = selectors.vfm_schedules(user=coordinator)
        rows = {
            r.schedule.service.slug: r
            for r in vfm_rows(
                list(qs),
                benchmarks=selectors.benchmarks_for_schedules_query(qs),
                rag_results=selectors.rag_results_for(qs, quarters),
                market_tests=selectors.market_tests_for_schedules_query(qs),
                year=2026,
                threshold=D("10"),
                quarters=quarters,
            )
        }
        row = rows["legal-advice-and-conveyancing"]
        assert row.council_cost == D("369000")
        assert (row.stats.lowest, row.stats.median, row.stats.highest) == (D("280000"), D("290000.00"), D("300000.00"))
        assert row.difference == D("27.2") and row.above_threshold
        assert row.market_test.status == MarketTest.Status.MARKET_TESTED
        assert [e.quarter for e in row.rag_history] == quarters
        # the RAG history is the worst result of the service's standards in each quarter, from the returns
        from reporting.models import StandardResult

        for entry in row.rag_history:
            rags = (
                StandardResult.objects.filter(
                    standard__schedule=legal,
                    quarterly_return__financial_year=entry.quarter.year,
                    quarterly_return__quarter=entry.quarter.number,
                )
                .exclude(rag="")
                .values_list("rag", flat=True)
            )
            assert entry.rag == worst_rag(rags)
        repairs = rows["responsive-repairs"]
        assert repairs.stats is None and not repairs.above_threshold and repairs.verdict == "No benchmark yet"
        assert repairs.latest_rag == "red"  # urgent repairs missed two quarters running

    def test_another_almos_benchmarks_do_not_count(self, legal, demo_data, demo_user):
        east_legal = Schedule.objects.get(agreement=demo_data["east"], service__slug="legal-advice-and-conveyancing")
        self.add(east_legal, demo_user("east.coordinator"), "100000")
        qs = selectors.vfm_schedules(user=demo_user("coordinator"))
        assert not selectors.benchmarks_for_schedules_query(qs).exists()

    def test_verdicts_read_cost_against_performance(self, legal, demo_user):
        from reporting.value_for_money import RagQuarter, VfmRow

        stats = benchmark_stats([D("100")])
        q = Quarter(2026, 2)
        dear_red = VfmRow(legal, D("200"), stats, D("100.0"), True, [RagQuarter(q, "red")])
        dear_green = VfmRow(legal, D("200"), stats, D("100.0"), True, [RagQuarter(q, "green")])
        cheap_red = VfmRow(legal, D("50"), stats, D("-50.0"), False, [RagQuarter(q, "red")])
        cheap_green = VfmRow(legal, D("50"), stats, D("-50.0"), False, [RagQuarter(q, "green"), RagQuarter(q, "")])
        assert [r.verdict for r in (dear_red, dear_green, cheap_red, cheap_green)] == [
            "Dear and failing",
            "Dear but performing",
            "Cheap but failing",
            "Value for money",
        ]

    def test_benchmark_rules(self, legal, demo_user):
        user = demo_user("coordinator")
        with pytest.raises(ValidationError) as error:
            self.add(legal, user, "150", basis=Benchmark.Basis.PER_UNIT)
        assert set(error.value.message_dict) == {"unit_name", "units_per_year"}
        with pytest.raises(ValidationError, match="more than £0"):
            self.add(legal, user, "0")
        with pytest.raises(ValidationError, match="future"):
            self.add(legal, user, "1000", obtained_on=dt.date(2099, 1, 1))
        benchmark = self.add(legal, user, "1000", unit_name="ignored", units_per_year=D("3"))
        assert (benchmark.unit_name, benchmark.units_per_year, benchmark.almo, benchmark.entered_by) == (
            "",
            None,
            legal.agreement.almo,
            user,
        )
        assert benchmark.history.count() == 1

    def test_market_test_decision_rules(self, legal, demo_user):
        user = demo_user("coordinator")
        with pytest.raises(ValidationError, match="Choose the decision"):
            writes.market_test_record(
                schedule=legal,
                user=user,
                status=MarketTest.Status.DECIDED,
                recorded_on=dt.date(2026, 11, 1),
                reason="x",
            )
        with pytest.raises(ValidationError, match="Only record a decision"):
            writes.market_test_record(
                schedule=legal,
                user=user,
                status=MarketTest.Status.UNDER_REVIEW,
                decision=MarketTest.Decision.STAY,
                recorded_on=dt.date(2026, 11, 1),
                reason="x",
            )
        decided = writes.market_test_record(
            schedule=legal,
            user=user,
            status=MarketTest.Status.DECIDED,
            decision=MarketTest.Decision.SERVE_NOTICE,
            recorded_on=dt.date(2026, 11, 1),
            reason="27% dearer",
        )
        assert decided.label == "Decision: serve notice"


@pytest.mark.django_db
def test_rows_from_costs_worked_out_already_match_rows_that_work_them_out(demo_data, demo_user):
    """Issue 17: the dashboard hands vfm_rows the costs cost_totals has just worked out rather than working
    each schedule's cost out twice; the rows (cost, part year, difference, threshold) are the same either way,
    including a schedule not paid for in the year."""
    from agreements.costs import cost_totals

    coordinator = demo_user("coordinator")
    qs = selectors.vfm_schedules(user=coordinator)
    schedules = list(qs)
    compared = {}
    for year in (2024, 2026, 2031):
        totals = cost_totals(schedules, year=year)
        common = dict(
            benchmarks=list(selectors.benchmarks_for_schedules_query(qs)),
            rag_results=[],
            market_tests=[],
            year=year,
            threshold=D("10"),
            quarters=[],
        )
        worked_out = vfm_rows(schedules, **common)
        handed = vfm_rows(
            schedules, **common, costs={r.schedule.pk: (r.this_year, r.days_this_year) for r in totals.schedules}
        )
        assert [(r.schedule.pk, r.council_cost, r.days_in_force, r.difference, r.above_threshold) for r in handed] == [
            (r.schedule.pk, r.council_cost, r.days_in_force, r.difference, r.above_threshold) for r in worked_out
        ]
        compared[year] = len(handed)
    assert compared[2026] >= 10, compared  # the demo's services this year, all compared
