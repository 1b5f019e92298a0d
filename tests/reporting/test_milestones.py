"""Issue 12, quarterly returns: milestones. Late delivery is amber within tolerance and red beyond
(the one RAG rule); a delivery date after the quarter's end is refused; a milestone met in an accepted
quarter is not asked for again; a milestone due before the agreement starts is refused when drafting."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Q

from agreements.models import Agreement, Standard
from reporting import services
from reporting.models import QuarterlyReturn, StandardResult
from reporting.rag import rag_for
from services.periods import Quarter
from tests.factories import StandardFactory, UserFactory

MET, NOT_MET = StandardResult.MilestoneOutcome.MET, StandardResult.MilestoneOutcome.NOT_MET
DUE = dt.date(2025, 9, 1)
MILESTONE = Standard(kind="milestone", deliverable="A strategy", due_date=DUE, amber_tolerance=Decimal("5"))


@pytest.mark.parametrize(
    ("delivered", "expected"),
    [
        (DUE - dt.timedelta(days=10), "green"),
        (DUE, "green"),
        (DUE + dt.timedelta(days=1), "amber"),
        (DUE + dt.timedelta(days=5), "amber"),
        (DUE + dt.timedelta(days=6), "red"),
        (DUE + dt.timedelta(days=40), "red"),
    ],
)
def test_a_milestone_delivered_after_its_due_date_is_amber_within_tolerance_then_red(delivered, expected):
    assert rag_for(MILESTONE, None, None, MET, delivered) == expected


def test_a_late_milestone_with_no_tolerance_is_red_and_not_met_is_red():
    strict = Standard(kind="milestone", deliverable="x", due_date=DUE, amber_tolerance=Decimal("0"))
    assert rag_for(strict, None, None, MET, DUE + dt.timedelta(days=1)) == "red"
    assert rag_for(strict, None, None, NOT_MET, None) == "red"


@pytest.fixture
def milestone(db):
    standard = StandardFactory(
        kind=Standard.Kind.MILESTONE,
        unit="",
        direction="",
        deliverable="A strategy",
        due_date=DUE,
        amber_tolerance=Decimal("5"),
    )
    Agreement.objects.filter(pk=standard.schedule.agreement_id).update(status=Agreement.Status.ACTIVE)
    return standard


def _open(quarter, standard):
    agreement = Agreement.objects.get(pk=standard.schedule.agreement_id)
    services.returns_open(quarter=quarter, agreement=agreement)
    return QuarterlyReturn.objects.get(agreement=agreement, financial_year=quarter.year, quarter=quarter.number)


def test_a_late_delivery_saved_on_a_return_is_not_green(milestone):
    ret = _open(Quarter(2025, 2), milestone)
    result = ret.results.get(standard=milestone)
    result.milestone_outcome, result.delivered_on = MET, DUE + dt.timedelta(days=20)
    services.return_save(quarterly_return=ret, user=UserFactory(), results=[result])
    result.refresh_from_db()
    assert result.rag == "red"


def test_a_delivery_date_after_the_quarter_end_is_refused(milestone):
    ret = _open(Quarter(2025, 2), milestone)  # July to September 2025
    result = ret.results.get(standard=milestone)
    result.milestone_outcome, result.delivered_on = MET, dt.date(2025, 10, 1)
    with pytest.raises(ValidationError) as caught:
        services.return_save(quarterly_return=ret, user=UserFactory(), results=[result])
    assert "30 September 2025" in caught.value.message_dict["delivered_on"][0]
    result.delivered_on = dt.date(2025, 9, 30)
    services.return_save(quarterly_return=ret, user=UserFactory(), results=[result])


def _accept_met(ret, milestone):
    user = UserFactory()
    result = ret.results.get(standard=milestone)
    result.milestone_outcome, result.delivered_on = MET, DUE
    services.return_save(quarterly_return=ret, user=user, results=[result])
    services.return_submit(quarterly_return=ret, user=user)
    services.return_accept(quarterly_return=ret, user=user)


def test_a_milestone_met_in_an_accepted_quarter_is_not_asked_for_again(milestone):
    _accept_met(_open(Quarter(2025, 2), milestone), milestone)
    q3 = _open(Quarter(2025, 3), milestone)
    assert not q3.results.filter(standard=milestone).exists()
    services.return_results_ensure(quarterly_return=q3)
    assert not q3.results.filter(standard=milestone).exists()


def test_a_milestone_met_but_not_yet_accepted_is_still_asked_for(milestone):
    q2 = _open(Quarter(2025, 2), milestone)
    result = q2.results.get(standard=milestone)
    result.milestone_outcome, result.delivered_on = MET, DUE
    services.return_save(quarterly_return=q2, user=UserFactory(), results=[result])
    services.return_submit(quarterly_return=q2, user=UserFactory())
    assert _open(Quarter(2025, 3), milestone).results.filter(standard=milestone).exists()


def test_accepting_a_met_milestone_drops_the_untouched_row_from_a_later_open_return(milestone):
    q2 = _open(Quarter(2025, 2), milestone)
    q3 = _open(Quarter(2025, 3), milestone)
    assert q3.results.filter(standard=milestone).exists()
    _accept_met(q2, milestone)
    assert not q3.results.filter(standard=milestone).exists()


def test_a_milestone_due_before_the_agreement_starts_is_refused_when_drafting(db):
    standard = StandardFactory.build(
        schedule=StandardFactory().schedule,
        kind=Standard.Kind.MILESTONE,
        unit="",
        direction="",
        deliverable="A strategy",
        due_date=dt.date(2025, 3, 31),  # the agreement starts on 1 April 2025
    )
    with pytest.raises(ValidationError) as caught:
        standard.full_clean()
    assert caught.value.message_dict["due_date"] == [
        "The milestone must be due on or after the agreement starts (1 April 2025)."
    ]
    standard.due_date = dt.date(2025, 4, 1)
    standard.full_clean()


def test_the_demo_never_asks_again_for_a_milestone_met_in_an_accepted_quarter(demo_data):
    met = StandardResult.objects.filter(
        standard__kind=Standard.Kind.MILESTONE, milestone_outcome=MET, quarterly_return__status="accepted"
    ).values_list("standard_id", "quarterly_return__financial_year", "quarterly_return__quarter")
    assert met, "the demo has milestones met in accepted quarters"
    for standard_id, year, number in met:
        later = StandardResult.objects.filter(standard_id=standard_id).filter(
            Q(quarterly_return__financial_year__gt=year)
            | Q(quarterly_return__financial_year=year, quarterly_return__quarter__gt=number)
        )
        assert not later.exists(), standard_id
