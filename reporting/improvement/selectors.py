"""Reads for improvement plans, narrowed to what the user may see; a fixed number of queries per page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from agreements.models import Standard
from almo_sla.access import can
from reporting import charts
from reporting.improvement.models import (
    Improvement,
    ImprovementPlan,
    ImprovementStatus,
    IndicatorTarget,
    KeyTheme,
    PerformanceIndicator,
    Priority,
    Risk,
    SteeringGroup,
    plan_of,
)
from reporting.models import StandardResult
from services.periods import financial_year_label
from services.roles import Role, almo_id_of, council_id_of, role_of

TREND_QUARTERS = 6


def plan_can(user, perm: str, plan: ImprovementPlan) -> bool:
    """The plan rule (reporting/improvement/rules.py), state predicates included, for administrators too."""
    return can(user, perm, plan)


def plan_list(*, user) -> QuerySet[ImprovementPlan]:
    """The plans ``reporting.view_improvementplan`` lets the user read, as a queryset."""
    role = role_of(user)
    qs = ImprovementPlan.objects.select_related("almo").annotate(
        theme_count=Count("themes", distinct=True), improvement_count=Count("themes__improvements", distinct=True)
    )
    if role == Role.ADMINISTRATOR:
        return qs
    if role in (Role.COORDINATOR, Role.BOARD_MEMBER, Role.PANEL_MEMBER) and almo_id_of(user) is not None:
        return qs.filter(almo_id=almo_id_of(user))
    if role == Role.COUNCIL_OFFICER and council_id_of(user) is not None:
        return qs.filter(almo__council_id=council_id_of(user))
    return qs.none()


def plan_get(*, user, pk: int, perm: str = "reporting.view_improvementplan") -> ImprovementPlan:
    plan = ImprovementPlan.objects.select_related("almo", "approved_by").filter(pk=pk).first()
    return check(user=user, plan=plan, perm=perm)


def check(*, user, plan: ImprovementPlan | None, perm: str):
    """404 unless the user may see the plan; 403 unless they may do ``perm`` on it now."""
    if plan is None or not can(user, "reporting.view_improvementplan", plan):
        raise Http404("No such plan.")
    if not plan_can(user, perm, plan):
        raise PermissionDenied
    return plan


_PLAN_PATHS = {
    KeyTheme: "plan__almo",
    Improvement: "theme__plan__almo",
    Risk: "theme__plan__almo",
    PerformanceIndicator: "theme__plan__almo",
    SteeringGroup: "plan__almo",
}


def part_get(*, user, model, pk: int, perm: str = "reporting.view_improvementplan", **filters):
    """A part of a plan (theme, improvement, task, ...) if the user may see its plan (404) and do ``perm`` (403)."""
    path = _PLAN_PATHS.get(model)
    qs = model.objects.all()
    if path is None:
        # tasks, resources, revisions, members, quick wins: through their parent
        path = {"improvement": "improvement__theme__plan__almo", "group": "group__plan__almo", "plan": "plan__almo"}[
            next(f for f in ("improvement", "group", "plan") if hasattr(model, f))
        ]
    obj = qs.select_related(path).filter(pk=pk, **filters).first()
    if obj is None:
        raise Http404("Not found.")
    check(user=user, plan=plan_of(obj), perm=perm)
    return obj


# --- Linked standards: RAG and trend --------------------------------------------------------


@dataclass
class StandardStatus:
    standard: Standard
    latest_rag: str
    latest_label: str
    trend: charts.Trend | None


def standard_statuses(standards: list[Standard]) -> list[StandardStatus]:
    """Latest RAG and trend (last quarters) of each standard: one query."""
    if not standards:
        return []
    rows = (
        StandardResult.objects.filter(standard__in=standards, quarterly_return__status__in=("submitted", "accepted"))
        .select_related("quarterly_return")
        .order_by("quarterly_return__financial_year", "quarterly_return__quarter")
    )
    by_standard: dict[int, list[StandardResult]] = {}
    for row in rows:
        by_standard.setdefault(row.standard_id, []).append(row)
    statuses = []
    for standard in standards:
        results = by_standard.get(standard.pk, [])[-TREND_QUARTERS:]
        rated = [r for r in results if r.rag]
        statuses.append(
            StandardStatus(
                standard=standard,
                latest_rag=rated[-1].rag if rated else "",
                latest_label=rated[-1].quarterly_return.period.label if rated else "",
                trend=charts.trend(standard, charts.quarterly_results(results), key=f"standard-{standard.pk}")
                if results
                else None,
            )
        )
    return statuses


def improvement_standards(improvement: Improvement) -> list[Standard]:
    """Standards the improvement is meant to move: its own, and those its theme's indicators measure."""
    own = list(improvement.standards.all())
    via = [i.standard for i in improvement.theme.indicators.all() if i.standard_id]
    seen, out = set(), []
    for s in own + via:
        if s.pk not in seen:
            seen.add(s.pk)
            out.append(s)
    return out


def improvements_for_schedule(*, user, schedule) -> list[tuple[Standard, list[Improvement]]]:
    """For a schedule page: each standard with the improvements working on it that the user may see."""
    plans = plan_list(user=user).values("pk")
    standards = list(schedule.standards.all())
    ids = [s.pk for s in standards]
    improvements = list(
        Improvement.objects.filter(theme__plan__in=plans)
        .filter(Q(standards__in=ids) | Q(theme__indicators__standard__in=ids))
        .select_related("theme__plan")
        .prefetch_related(
            "standards",
            Prefetch("theme__indicators", queryset=PerformanceIndicator.objects.only("theme_id", "standard_id")),
        )
        .distinct()
    )
    out = []
    for standard in standards:
        working = [
            i
            for i in improvements
            if any(s.pk == standard.pk for s in i.standards.all())
            or any(ind.standard_id == standard.pk for ind in i.theme.indicators.all())
        ]
        if working:
            out.append((standard, working))
    return out


# --- Plan pages -----------------------------------------------------------------------------


def plan_themes(plan: ImprovementPlan) -> list[KeyTheme]:
    """Themes with their improvements, indicators (with targets), risks and steering groups."""
    return list(
        plan.themes.order_by("number")
        .prefetch_related(
            Prefetch(
                "improvements",
                queryset=Improvement.objects.order_by("reference", "pk").prefetch_related("date_revisions"),
            ),
            Prefetch(
                "indicators",
                queryset=PerformanceIndicator.objects.select_related("standard").prefetch_related(
                    Prefetch("targets", queryset=IndicatorTarget.objects.order_by("financial_year"))
                ),
            ),
            "risks",
        )
        .annotate(risk_count=Count("risks", distinct=True))
    )


@dataclass
class HeatMap:
    """Counts of scored risks on the 5 × 5 likelihood × impact grid, and of high/low-impact ones."""

    rows: list[dict] = field(
        default_factory=list
    )  # impact 5..1: {"impact": n, "cells": [{"likelihood", "count", "score", "band"}]}
    high: int = 0
    low: int = 0
    scored: int = 0


def band(score: int) -> str:
    if score >= 15:
        return "red"
    if score >= 8:
        return "amber"
    return "green"


def heat_map(risks: list[Risk]) -> HeatMap:
    counts: dict[tuple[int, int], int] = {}
    hm = HeatMap()
    for risk in risks:
        if risk.score is not None:
            counts[(risk.likelihood, risk.impact)] = counts.get((risk.likelihood, risk.impact), 0) + 1
            hm.scored += 1
        elif risk.impact_level == Risk.Impact.HIGH:
            hm.high += 1
        elif risk.impact_level == Risk.Impact.LOW:
            hm.low += 1
    for impact in range(5, 0, -1):
        hm.rows.append(
            {
                "impact": impact,
                "cells": [
                    {
                        "likelihood": lk,
                        "count": counts.get((lk, impact), 0),
                        "score": lk * impact,
                        "band": band(lk * impact),
                    }
                    for lk in range(1, 6)
                ],
            }
        )
    return hm


def plan_risks(plan: ImprovementPlan) -> list[Risk]:
    return list(Risk.objects.filter(theme__plan=plan).select_related("theme").order_by("theme__number", "pk"))


@dataclass
class PlanProgress:
    overdue: list[Improvement]
    slipped: list[Improvement]
    counts: dict[str, int]


def plan_progress(themes: list[KeyTheme], today: dt.date) -> PlanProgress:
    improvements = [i for t in themes for i in t.improvements.all()]
    counts = {value: 0 for value, _ in ImprovementStatus.choices}
    for i in improvements:
        counts[i.shown_status(today)] += 1
    return PlanProgress(
        overdue=[i for i in improvements if i.is_overdue(today)],
        slipped=[i for i in improvements if i.has_slipped and i.status != ImprovementStatus.DONE],
        counts=counts,
    )


def missing_risk_assessments(themes: list[KeyTheme]) -> list[KeyTheme]:
    return [t for t in themes if t.priority == Priority.ONE and not t.risk_count]


def improvement_detail(*, user, pk: int) -> Improvement:
    improvement = (
        Improvement.objects.select_related(
            "theme__plan__almo",
            "created_by",
            "source_departure__result__quarterly_return__department",
            "source_departure__result__quarterly_return__agreement",
            "source_departure__result__standard",
            "source_case__agreement",
            "source_schedule__service",
            "source_schedule__agreement",
        )
        .prefetch_related(
            "tasks",
            "resources",
            "date_revisions__recorded_by",
            "progress__by",
            Prefetch("standards", queryset=Standard.objects.select_related("schedule__service")),
            Prefetch(
                "theme__indicators", queryset=PerformanceIndicator.objects.select_related("standard__schedule__service")
            ),
        )
        .filter(pk=pk)
        .first()
    )
    if improvement is None:
        raise Http404("No such improvement.")
    check(user=user, plan=improvement.theme.plan, perm="reporting.view_improvementplan")
    return improvement


def source_is_readable(*, user, improvement: Improvement) -> bool:
    """Whether the user may open what the improvement came from (the panel reads plans, not every source)."""
    if improvement.source_departure_id:
        return can(user, "reporting.view_quarterlyreturn", improvement.source_departure.result.quarterly_return)
    if improvement.source_case_id:
        return can(user, "reporting.view_escalationcase", improvement.source_case)
    if improvement.source_schedule_id:
        return can(user, "reporting.view_schedule_value", improvement.source_schedule)
    return False


def standard_choices(plan: ImprovementPlan) -> QuerySet[Standard]:
    """Standards an improvement or indicator of the plan may link to: those of the ALMO's agreements."""
    return (
        Standard.objects.filter(schedule__agreement__almo_id=plan.almo_id)
        .select_related("schedule__service", "schedule__agreement")
        .order_by("schedule__agreement__reference", "schedule__service__name", "position")
    )


@dataclass
class IndicatorRow:
    indicator: PerformanceIndicator
    baseline: str
    cells: list[str]  # one per year of the table, with its footnote mark
    link: StandardStatus | None = None


@dataclass
class IndicatorTable:
    years: list[int]
    year_labels: list[str]
    rows: list[IndicatorRow]
    footnotes: list[tuple[str, str]]  # (mark, text)


MARKS = ["*", "†", "‡", "§", "‖", "¶"]


def indicator_table(indicators: list[PerformanceIndicator]) -> IndicatorTable:
    """The Salford-style table: baseline, then one column per year; footnotes marked * † ‡."""
    years = sorted({t.financial_year for i in indicators for t in i.targets.all()})
    footnotes: list[tuple[str, str]] = []

    def mark(text: str) -> str:
        for m, t in footnotes:
            if t == text:
                return m
        m = MARKS[len(footnotes) % len(MARKS)] * (1 + len(footnotes) // len(MARKS))
        footnotes.append((m, text))
        return m

    rows = []
    for indicator in indicators:
        by_year = {t.financial_year: t for t in indicator.targets.all()}
        cells = []
        for year in years:
            target = by_year.get(year)
            if target is None:
                cells.append("")
            else:
                cells.append(indicator.format(target.value) + (mark(target.note) if target.note else ""))
        baseline = (
            indicator.format(indicator.baseline)
            if indicator.baseline is not None
            else (indicator.baseline_note or "N/A")
        )
        if indicator.footnote:
            baseline += mark(indicator.footnote)
        rows.append(IndicatorRow(indicator=indicator, baseline=baseline, cells=cells))
    return IndicatorTable(
        years=years, year_labels=[financial_year_label(y) for y in years], rows=rows, footnotes=footnotes
    )
