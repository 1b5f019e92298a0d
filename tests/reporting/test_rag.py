import datetime as dt
from decimal import Decimal as D

import pytest

from agreements.models import Standard
from reporting.models import QuarterlyReturn, StandardResult, rag_for
from reporting.rag import red_two_quarters_running
from services.periods import Quarter

HIGHER = Standard(kind="measured", unit="percent", direction="higher", amber_tolerance=D("5"))
LOWER = Standard(kind="measured", unit="hours", direction="lower", amber_tolerance=D("12"))
MILESTONE = Standard(kind="milestone", deliverable="Strategy", due_date=dt.date(2025, 9, 30))


@pytest.mark.parametrize(
    "standard, target, actual, expected",
    [
        (HIGHER, D("85"), D("85"), "green"),
        (HIGHER, D("85"), D("99"), "green"),
        (HIGHER, D("85"), D("80"), "amber"),
        (HIGHER, D("85"), D("79.9"), "red"),
        (LOWER, D("24"), D("20"), "green"),
        (LOWER, D("24"), D("36"), "amber"),
        (LOWER, D("24"), D("36.5"), "red"),
        (HIGHER, None, D("50"), ""),
        (HIGHER, D("85"), None, ""),
    ],
)
def test_rag_follows_target_direction_and_tolerance(standard, target, actual, expected):
    assert rag_for(standard, target, actual) == expected


def test_a_missed_milestone_is_red_and_a_met_one_green():
    assert rag_for(MILESTONE, None, None, StandardResult.MilestoneOutcome.NOT_MET) == "red"
    assert rag_for(MILESTONE, None, None, StandardResult.MilestoneOutcome.MET) == "green"
    assert rag_for(MILESTONE, None, None, "") == ""


def test_progress_of_an_unsubmitted_return_follows_its_dates():
    ret = QuarterlyReturn(financial_year=2025, quarter=2, due_date=dt.date(2025, 10, 21))
    assert ret.period == Quarter(2025, 2)
    assert ret.progress(dt.date(2025, 9, 30)) == "not_yet_due"
    assert ret.progress(dt.date(2025, 10, 1)) == "due"
    assert ret.progress(dt.date(2025, 10, 21)) == "due"
    assert ret.progress(dt.date(2025, 10, 22)) == "overdue"
    assert ret.is_late(dt.date(2025, 10, 22))
    ret.status = QuarterlyReturn.Status.SENT_BACK
    assert ret.progress(dt.date(2026, 1, 1)) == "sent_back"


@pytest.mark.django_db
def test_demo_history_flags_repairs_red_two_quarters_running(demo_data):
    results = StandardResult.objects.filter(
        standard__title="Urgent repairs completed within time limits",
        quarterly_return__agreement=demo_data["main"],
    ).order_by("quarterly_return__financial_year", "quarterly_return__quarter")
    rags = [r.rag for r in results if r.rag]
    assert rags[-2:] == ["red", "red"]
    assert all(r.departures.exists() for r in results if r.rag == "red")


@pytest.mark.parametrize(
    "rags, quarter, expected",
    [
        ({Quarter(2026, 2): "red", Quarter(2026, 1): "red"}, Quarter(2026, 2), True),
        # a run carries across the financial year end: Q4 2025/26 then Q1 2026/27
        ({Quarter(2026, 1): "red", Quarter(2025, 4): "red"}, Quarter(2026, 1), True),
        # a missing return (no result the quarter before) breaks the run
        ({Quarter(2026, 2): "red", Quarter(2025, 4): "red"}, Quarter(2026, 2), False),
        ({Quarter(2026, 2): "red", Quarter(2026, 1): ""}, Quarter(2026, 2), False),
        ({Quarter(2026, 2): "red", Quarter(2026, 1): "amber"}, Quarter(2026, 2), False),
        ({Quarter(2026, 2): "amber", Quarter(2026, 1): "red"}, Quarter(2026, 2), False),
        ({Quarter(2026, 1): "red"}, Quarter(2026, 2), False),
    ],
)
def test_red_two_quarters_running_means_this_quarter_and_the_one_before(rags, quarter, expected):
    assert red_two_quarters_running(rags, quarter) is expected
