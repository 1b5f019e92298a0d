"""Improvement plans: approval needs a risk assessment for every Priority One theme; target
dates keep every revision; indicators, risks and the heat map; links to agreement standards."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from reporting.improvement import selectors, services
from reporting.improvement.models import (
    Improvement,
    ImprovementPlan,
    ImprovementStatus,
    IndicatorTarget,
    PerformanceIndicator,
    Risk,
    TargetDateRevision,
)
from tests.reporting.improvement_helpers import draft_plan, improvement, knh_plan, theme

pytestmark = pytest.mark.django_db


def test_a_plan_is_approved_only_when_every_priority_one_theme_has_a_risk_assessment(demo_data, demo_user):
    user = demo_user("coordinator")
    plan = draft_plan(demo_data, user)
    one = theme(plan, 1, 1, "Infrastructure")
    theme(plan, 2, 2, "Voids")  # Priority Two needs none
    with pytest.raises(ValidationError) as err:
        services.plan_approve(plan=plan, user=user)
    assert "Key Theme 1 (Infrastructure) is Priority One and needs a risk assessment." in err.value.messages
    Risk.objects.create(theme=one, area="Cannot recruit", impact_level="H", consequences="c", mitigation="m")
    services.plan_approve(plan=plan, user=user)
    plan.refresh_from_db()
    assert plan.status == ImprovementPlan.Status.APPROVED and plan.approved_by == user
    with pytest.raises(ValidationError):
        services.plan_approve(plan=plan, user=user)


def test_a_plan_without_themes_cannot_be_approved(demo_data, demo_user):
    plan = draft_plan(demo_data, demo_user("coordinator"))
    assert services.plan_problems(plan) == ["The plan has no key themes yet."]


def test_every_target_date_revision_is_kept_with_its_reason_and_who_agreed(demo_data, demo_user):
    user = demo_user("coordinator")
    item = improvement(theme(draft_plan(demo_data, user)), user, target=dt.date(2030, 4, 1))
    assert item.original_target_date == dt.date(2030, 4, 1) and not item.has_slipped
    services.improvement_revise_target(
        improvement=item,
        user=user,
        new_date=dt.date(2030, 10, 1),
        reason="Bonus ballot postponed",
        agreed_by="Parent Board",
        agreed_on=dt.date(2026, 3, 10),
    )
    services.improvement_revise_target(
        improvement=item,
        user=user,
        new_date=dt.date(2031, 1, 4),
        reason="Contractor could not staff the team",
        agreed_by="Cabinet Lead Member",
        agreed_on=dt.date(2026, 9, 15),
    )
    item.refresh_from_db()
    revisions = list(item.date_revisions.order_by("pk"))
    assert [(r.from_date, r.to_date, r.agreed_by) for r in revisions] == [
        (dt.date(2030, 4, 1), dt.date(2030, 10, 1), "Parent Board"),
        (dt.date(2030, 10, 1), dt.date(2031, 1, 4), "Cabinet Lead Member"),
    ]
    assert item.target_date == dt.date(2031, 1, 4) and item.original_target_date == dt.date(2030, 4, 1)
    assert item.has_slipped and item.slipped_days == 278


@pytest.mark.parametrize(
    "change, field",
    [
        ({"reason": " "}, "reason"),
        ({"agreed_by": ""}, "agreed_by"),
        ({"new_date": dt.date(2030, 4, 1)}, "new_date"),
    ],
)
def test_a_revision_needs_a_reason_who_agreed_and_a_new_date(demo_data, demo_user, change, field):
    user = demo_user("coordinator")
    item = improvement(theme(draft_plan(demo_data, user)), user, target=dt.date(2030, 4, 1))
    args = {
        "new_date": dt.date(2030, 5, 1),
        "reason": "Why",
        "agreed_by": "Board",
        "agreed_on": dt.date(2026, 1, 1),
    } | change
    with pytest.raises(ValidationError) as err:
        services.improvement_revise_target(improvement=item, user=user, **args)
    assert field in err.value.message_dict
    assert not TargetDateRevision.objects.filter(improvement=item).exists()


def test_the_target_date_cannot_be_changed_by_editing_the_improvement(demo_data, demo_user):
    user = demo_user("coordinator")
    item = improvement(theme(draft_plan(demo_data, user)), user)
    item.target_date = dt.date(2031, 1, 1)
    with pytest.raises(ValidationError) as err:
        services.improvement_save(improvement=item, user=user)
    assert "target_date" in err.value.message_dict


def test_an_open_improvement_past_its_target_shows_as_late(demo_data, demo_user):
    user = demo_user("coordinator")
    item = improvement(theme(draft_plan(demo_data, user)), user, target=dt.date(2020, 1, 1), status="on_track")
    today = timezone.localdate()
    assert item.shown_status(today) == ImprovementStatus.LATE and item.is_overdue(today)
    services.improvement_progress(improvement=item, user=user, body="Finished", status=ImprovementStatus.DONE)
    item.refresh_from_db()
    assert item.shown_status(today) == ImprovementStatus.DONE and item.completed_on == today
    assert item.progress.get().body == "Finished"


def test_a_closed_plan_cannot_change(demo_data, demo_user):
    user = demo_user("coordinator")
    plan = knh_plan(demo_data)
    services.plan_close(plan=plan, user=user)
    item = Improvement.objects.filter(theme__plan=plan).first()
    with pytest.raises(ValidationError):
        services.improvement_progress(improvement=item, user=user, body="More", status="on_track")
    with pytest.raises(ValidationError):
        services.part_save(obj=plan.quick_wins.first(), user=user)


def test_a_risk_is_rated_high_or_low_or_scored_on_both_scales():
    with pytest.raises(ValidationError) as err:
        Risk(area="a", consequences="c", mitigation="m").clean()
    assert "impact_level" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        Risk(area="a", consequences="c", mitigation="m", likelihood=3).clean()
    assert "impact" in err.value.message_dict
    scored = Risk(area="a", likelihood=3, impact=4)
    assert scored.score == 12 and scored.is_above(12) and not scored.is_above(13)
    assert Risk(area="a", impact_level="H").is_above(25) and not Risk(area="a", impact_level="L").is_above(1)


def test_heat_map_counts_scored_risks_by_cell_and_high_low_separately():
    risks = [
        Risk(likelihood=4, impact=5),
        Risk(likelihood=4, impact=5),
        Risk(likelihood=1, impact=2),
        Risk(impact_level="H"),
        Risk(impact_level="L"),
        Risk(impact_level="H"),
    ]
    heat = selectors.heat_map(risks)
    cells = {(c["likelihood"], row["impact"]): (c["count"], c["band"]) for row in heat.rows for c in row["cells"]}
    assert cells[(4, 5)] == (2, "red") and cells[(1, 2)] == (1, "green") and cells[(3, 3)] == (0, "amber")
    assert sum(count for count, _band in cells.values()) == 3
    assert (heat.high, heat.low, heat.scored) == (2, 1, 3)
    assert [row["impact"] for row in heat.rows] == [5, 4, 3, 2, 1]


def test_the_demo_plan_has_salfords_eleven_themes_and_the_repairs_indicators(demo_data):
    plan = knh_plan(demo_data)
    themes = list(plan.themes.order_by("number"))
    assert [t.number for t in themes] == list(range(1, 12))
    assert [t.priority for t in themes] == [1] * 5 + [2] * 6
    assert all(t.risks.exists() for t in themes if t.priority == 1)
    urgent = PerformanceIndicator.objects.get(theme__plan=plan, code="BVPI 72")
    assert urgent.baseline == D("74.48")
    assert [t.value for t in urgent.targets.order_by("financial_year")] == [D("85"), D("90"), D("95"), D("95"), D("96")]
    assert urgent.standard.title == "Urgent repairs completed within time limits"
    hr = Improvement.objects.get(theme__plan=plan, reference="KT1")
    assert hr.lead_officer == "Human Resource Manager"
    assert hr.resources.get(post="Human Resource Team").percent_of_time == D("25")
    assert selectors.missing_risk_assessments(selectors.plan_themes(plan)) == []


def test_indicator_table_marks_footnotes_and_formats_units(demo_data):
    plan = knh_plan(demo_data)
    kt4 = plan.themes.get(number=4)
    table = selectors.indicator_table(list(kt4.indicators.prefetch_related("targets")))
    assert table.year_labels == ["2025/26", "2026/27", "2027/28", "2028/29", "2029/30"]
    rows = {r.indicator.code: r for r in table.rows}
    assert rows["BVPI 72"].baseline == "74.48%" and rows["BVPI 72"].cells[0] == "85%"
    assert rows["BVPI 73"].cells[0] == "25*" and rows["BVPI 73"].baseline == "17.8"
    assert rows["BVPI 185"].baseline == "N/A"
    assert table.footnotes[0][0] == "*" and "short-term decline" in table.footnotes[0][1]


def test_indicator_targets_are_replaced_on_save(demo_data, demo_user):
    user = demo_user("coordinator")
    plan = draft_plan(demo_data, user)
    indicator = PerformanceIndicator(
        theme=theme(plan), code="BVPI 68", title="Relet days", unit="days", direction="lower"
    )
    services.indicator_save(indicator=indicator, targets=[(2025, D("90"), ""), (2026, D("85"), "")], user=user)
    services.indicator_save(indicator=indicator, targets=[(2026, D("80"), "revised"), (2027, D("75"), "")], user=user)
    assert list(IndicatorTarget.objects.filter(indicator=indicator).values_list("financial_year", "value", "note")) == [
        (2026, D("80"), "revised"),
        (2027, D("75"), ""),
    ]
    with pytest.raises(ValidationError):
        services.indicator_save(indicator=indicator, targets=[(2026, D("1"), ""), (2026, D("2"), "")], user=user)


def test_an_improvement_links_only_to_standards_of_its_almo(demo_data, demo_user):
    user = demo_user("coordinator")
    plan = draft_plan(demo_data, user)
    east_standard = demo_data["east"].schedules.first().standards.first()
    item = Improvement(
        theme=theme(plan),
        reference="X",
        title="t",
        issue="i",
        outcome="o",
        lead_officer="l",
        target_date=dt.date(2030, 1, 1),
    )
    with pytest.raises(ValidationError):
        services.improvement_save(improvement=item, user=user, standards=[east_standard])


def test_linked_standards_show_their_latest_rag_and_trend(demo_data):
    item = Improvement.objects.get(theme__plan=knh_plan(demo_data), reference="KT4/1")
    statuses = selectors.standard_statuses(selectors.improvement_standards(item))
    urgent = next(s for s in statuses if s.standard.title == "Urgent repairs completed within time limits")
    assert urgent.latest_rag == "red" and len(urgent.trend.points) >= 2
