"""The exit planner and serving notice: effective dates by alignment, the term actually in force,
'give notice by', cost still payable and the saving; date arithmetic at month ends, leap years
and financial-year boundaries."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from agreements import cost_selectors
from agreements import notice_writes as writes
from agreements import notices as notice
from agreements.exit_planning import exit_plan
from agreements.models import Agreement, Schedule, ServiceNotice

D = Decimal
ALIGNMENTS = [notice.ANY_DATE, notice.MONTH_END, notice.QUARTER_END, notice.FINANCIAL_YEAR_END]
pytestmark = pytest.mark.django_db


@pytest.fixture
def main(demo_data):
    return demo_data["main"]


def plan_for(main, slug, served_on, alignment=None):
    if alignment:
        Agreement.objects.filter(pk=main.pk).update(notice_alignment=alignment)
    schedule = cost_selectors.with_costs(Schedule.objects.filter(agreement=main, service__slug=slug)).get()
    return exit_plan(schedule, served_on=served_on, siblings=cost_selectors.department_siblings(schedule))


@pytest.mark.parametrize(
    "alignment, served_on, effective",
    [
        (notice.ANY_DATE, dt.date(2026, 11, 26), dt.date(2027, 5, 26)),
        (notice.MONTH_END, dt.date(2026, 11, 26), dt.date(2027, 5, 31)),
        (notice.QUARTER_END, dt.date(2026, 11, 26), dt.date(2027, 6, 30)),
        (notice.FINANCIAL_YEAR_END, dt.date(2026, 11, 26), dt.date(2028, 3, 31)),
        (notice.ANY_DATE, dt.date(2027, 8, 31), dt.date(2028, 2, 29)),  # leap year month end
        (notice.MONTH_END, dt.date(2027, 8, 30), dt.date(2028, 2, 29)),
        (notice.QUARTER_END, dt.date(2026, 9, 30), dt.date(2027, 3, 31)),  # lands on a quarter end
        (notice.FINANCIAL_YEAR_END, dt.date(2026, 9, 30), dt.date(2027, 3, 31)),  # lands on the year end
        (notice.FINANCIAL_YEAR_END, dt.date(2026, 10, 1), dt.date(2028, 3, 31)),  # one day later: a year later
    ],
)
def test_six_months_notice_on_legal_by_alignment(main, alignment, served_on, effective):
    plan = plan_for(main, "legal-advice-and-conveyancing", served_on, alignment)
    assert plan.notice_months == 6
    assert plan.earliest_effective == effective


def test_cost_payable_and_saving_for_the_rest_of_the_year(main):
    plan = plan_for(main, "legal-advice-and-conveyancing", dt.date(2026, 11, 26), notice.QUARTER_END)
    assert plan.earliest_effective == dt.date(2027, 6, 30)
    # 126 of 2026/27's 365 days at £369,000, then April to June 2027: 91 of 2027/28's 366 days at £378,225
    assert plan.cost_until_effective == (D("369000") * 126 / 365 + D("378225") * 91 / 366).quantize(D("0.01"))
    assert plan.saving_rest_of_year == (D("378225") * 275 / 366).quantize(D("0.01"))
    assert plan.saving_year_label == "2027/28"
    # payable + saving covers every day from serving notice to the year end, to the penny
    whole = D("369000") * 126 / 365 + D("378225")
    assert abs(plan.cost_until_effective + plan.saving_rest_of_year - whole) <= D("0.01")


def test_at_the_financial_year_end_the_saving_is_next_year(main):
    plan = plan_for(main, "legal-advice-and-conveyancing", dt.date(2026, 9, 30), notice.FINANCIAL_YEAR_END)
    assert plan.earliest_effective == dt.date(2027, 3, 31)
    assert plan.saving_rest_of_year == 0
    assert (plan.full_year_saving, plan.full_year_label) == (D("378225"), "2027/28")


def test_what_else_is_affected_is_the_departments_other_services(main):
    plan = plan_for(main, "legal-advice-and-conveyancing", dt.date(2026, 11, 26), notice.MONTH_END)
    assert [a.schedule.service.name for a in plan.affected] == ["Possession and litigation"]
    other = plan.affected[0]
    assert (other.notice_months, other.earliest_effective, other.this_year) == (6, dt.date(2027, 5, 31), D("123000"))
    cars = plan_for(main, "removal-of-abandoned-vehicles", dt.date(2026, 11, 26))
    assert {a.schedule.service.name for a in cars.affected} == {"Bulky waste collection", "Estate grounds maintenance"}


def test_give_notice_by_uses_the_term_actually_in_force(main):
    # initial term 1 April 2025 to 31 March 2028, then up to two renewals of 12 months
    plan = plan_for(main, "legal-advice-and-conveyancing", dt.date(2026, 11, 26), notice.QUARTER_END)
    assert plan.term.label == "Initial term" and plan.term.end == dt.date(2028, 3, 31)
    assert plan.give_notice_by == dt.date(2027, 9, 30) and plan.is_in_time_for_current_term
    # a day too late for the initial term: the plain date is for the end of the first renewal
    late = plan_for(main, "legal-advice-and-conveyancing", dt.date(2027, 10, 1))
    assert late.term.label == "Initial term"
    assert late.give_notice_by_term.label == "Renewal term 1" and late.give_notice_by_term.end == dt.date(2029, 3, 31)
    assert late.give_notice_by == dt.date(2028, 9, 30) and not late.is_in_time_for_current_term
    # during the first renewal, the renewal is the term in force (not the original end date)
    renewal = plan_for(main, "legal-advice-and-conveyancing", dt.date(2028, 6, 1))
    assert renewal.term.label == "Renewal term 1" and renewal.term.start == dt.date(2028, 4, 1)
    assert renewal.give_notice_by == dt.date(2028, 9, 30) and renewal.is_in_time_for_current_term
    # in the last renewal, after its give-notice-by date, there is no later term
    last = plan_for(main, "legal-advice-and-conveyancing", dt.date(2029, 12, 1))
    assert last.term.label == "Renewal term 2" and last.give_notice_by is None
    assert last.effective_after_term_end  # 6 months from December 2029 is after 31 March 2030


def test_open_ended_agreements_have_no_give_notice_by(main):
    Agreement.objects.filter(pk=main.pk).update(end_date=None)
    plan = plan_for(main, "legal-advice-and-conveyancing", dt.date(2026, 11, 26))
    assert plan.term.end is None and plan.give_notice_by is None and not plan.effective_after_term_end


@settings(max_examples=200, deadline=None)
@given(
    served_on=st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2040, 12, 31)),
    months=st.integers(min_value=0, max_value=24),
    alignment=st.sampled_from(ALIGNMENTS),
)
def test_effective_dates_are_aligned_late_enough_and_monotonic(served_on, months, alignment):
    effective = notice.earliest_effective_date(served_on, months, alignment)
    assert effective >= notice.add_months(served_on, months)
    assert notice.align(effective, alignment) == effective  # already on an allowed date
    if alignment == notice.QUARTER_END:
        assert (effective.month, (effective + dt.timedelta(days=1)).day) in {(3, 1), (6, 1), (9, 1), (12, 1)}
    if alignment == notice.FINANCIAL_YEAR_END:
        assert (effective.month, effective.day) == (3, 31)
    # serving a day later never makes notice take effect sooner
    assert notice.earliest_effective_date(served_on + dt.timedelta(days=1), months, alignment) >= effective


@settings(max_examples=150, deadline=None)
@given(
    start=st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2035, 12, 31)),
    term_months=st.integers(min_value=12, max_value=60),
    months=st.integers(min_value=1, max_value=12),
    alignment=st.sampled_from(ALIGNMENTS),
)
def test_give_notice_by_is_the_last_day_that_still_leaves_at_the_term_end(start, term_months, months, alignment):
    term_end = notice.add_months(start, term_months) - dt.timedelta(days=1)
    by = notice.give_notice_by(term_end, months, alignment)
    assume(by >= start)
    assert notice.earliest_effective_date(by, months, alignment) <= term_end
    assert notice.earliest_effective_date(by + dt.timedelta(days=1), months, alignment) > term_end


class TestServeNotice:
    def legal(self, main):
        return Schedule.objects.select_related("agreement", "service").get(
            agreement=main, service__slug="legal-advice-and-conveyancing"
        )

    def test_serving_records_who_when_and_the_effective_date(self, main, demo_user):
        Agreement.objects.filter(pk=main.pk).update(notice_alignment=notice.QUARTER_END)
        coordinator = demo_user("coordinator")
        served = writes.notice_serve(
            schedule=self.legal(main), user=coordinator, served_on=dt.date(2026, 11, 2), reason="Dearer than the market"
        )
        assert (served.served_by, served.served_on, served.effective_date) == (
            coordinator,
            dt.date(2026, 11, 2),
            dt.date(2027, 6, 30),
        )
        assert served.history.first().history_type == "+"
        with pytest.raises(ValidationError, match="already been served"):
            writes.notice_serve(schedule=self.legal(main), user=coordinator, served_on=dt.date(2026, 11, 3), reason="x")
        writes.notice_withdraw(notice=served, user=coordinator, withdrawn_on=dt.date(2026, 11, 20))
        assert ServiceNotice.objects.get(pk=served.pk).withdrawn_on == dt.date(2026, 11, 20)
        again = writes.notice_serve(
            schedule=self.legal(main), user=coordinator, served_on=dt.date(2026, 11, 21), reason="Decided after all"
        )
        assert again.effective_date == dt.date(2027, 6, 30)

    def test_notice_cannot_be_served_in_the_future_before_the_start_or_on_a_draft(self, main, demo_data, demo_user):
        user = demo_user("coordinator")
        with pytest.raises(ValidationError, match="future"):
            writes.notice_serve(schedule=self.legal(main), user=user, served_on=dt.date(2099, 1, 1), reason="x")
        with pytest.raises(ValidationError, match="before the agreement starts"):
            writes.notice_serve(schedule=self.legal(main), user=user, served_on=dt.date(2025, 3, 31), reason="x")
        with pytest.raises(ValidationError, match="reason"):
            writes.notice_serve(schedule=self.legal(main), user=user, served_on=dt.date(2026, 1, 5), reason="")
        east_legal = self.legal(demo_data["east"])
        with pytest.raises(ValidationError, match="agreed or active"):
            writes.notice_serve(schedule=east_legal, user=user, served_on=dt.date(2026, 1, 5), reason="x")
        assert not ServiceNotice.objects.exists()

    def test_withdrawal_rules(self, main, demo_user):
        user = demo_user("coordinator")
        served = writes.notice_serve(schedule=self.legal(main), user=user, served_on=dt.date(2025, 6, 2), reason="x")
        with pytest.raises(ValidationError, match="already taken effect"):
            writes.notice_withdraw(notice=served, user=user, withdrawn_on=served.effective_date)
        with pytest.raises(ValidationError, match="before it was served"):
            writes.notice_withdraw(notice=served, user=user, withdrawn_on=dt.date(2025, 6, 1))
        writes.notice_withdraw(notice=served, user=user, withdrawn_on=dt.date(2025, 7, 1))
        with pytest.raises(ValidationError, match="already been withdrawn"):
            writes.notice_withdraw(notice=served, user=user, withdrawn_on=dt.date(2025, 7, 2))
