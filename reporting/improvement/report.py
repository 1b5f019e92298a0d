"""What a plan progress report and the board pack's "Improvement plan" section say.

Both read everything here in a fixed number of queries; the templates only lay it out.
Order, as boards ask: overdue and slipped improvements first, then the themes by priority
band, then the risks at or above the plan's threshold (with the heat map's numbers).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone

from reporting.cases.models import EscalationCase
from reporting.improvement.models import (
    Improvement,
    ImprovementPlan,
    ImprovementStatus,
    KeyTheme,
    ProgressComment,
    Risk,
    TargetDateRevision,
)
from reporting.improvement.selectors import HeatMap, heat_map, plan_progress, plan_risks, plan_themes
from services.models import Almo
from services.periods import Quarter

STATUS_TAGS = {
    ImprovementStatus.NOT_STARTED: "grey",
    ImprovementStatus.ON_TRACK: "green",
    ImprovementStatus.AT_RISK: "amber",
    ImprovementStatus.LATE: "red",
    ImprovementStatus.DONE: "blue",
}


@dataclass
class ImprovementLine:
    improvement: Improvement
    status: str
    status_label: str
    tag: str
    days_late: int
    revisions: list[TargetDateRevision]
    latest: ProgressComment | None


@dataclass
class ThemeBlock:
    theme: KeyTheme
    improvements: list[ImprovementLine]
    indicators: list
    risks: list[Risk]
    footnotes: list[str] = field(default_factory=list)

    @property
    def late_or_at_risk(self) -> int:
        return sum(
            1 for line in self.improvements if line.status in (ImprovementStatus.LATE, ImprovementStatus.AT_RISK)
        )

    @property
    def done(self) -> int:
        return sum(1 for line in self.improvements if line.status == ImprovementStatus.DONE)


@dataclass
class PlanReportContent:
    plan: ImprovementPlan
    produced_on: dt.date
    counts: list[tuple[str, str, int]]
    total: int
    overdue: list[ImprovementLine]
    slipped: list[ImprovementLine]
    bands: list[tuple[str, list[ThemeBlock]]]
    risks_above: list[Risk]
    risk_count: int
    heat: HeatMap
    missing_risks: list[KeyTheme]
    groups: list
    quick_wins: list

    @property
    def title(self) -> str:
        return f"{self.plan.title}: progress report"


def _line(improvement: Improvement, today: dt.date) -> ImprovementLine:
    status = improvement.shown_status(today)
    progress = list(improvement.progress.all())
    return ImprovementLine(
        improvement=improvement,
        status=status,
        status_label=ImprovementStatus(status).label,
        tag=STATUS_TAGS[status],
        days_late=max(0, (today - improvement.target_date).days) if improvement.is_overdue(today) else 0,
        revisions=list(improvement.date_revisions.all()),
        latest=progress[0] if progress else None,
    )


def plan_report_content(*, plan: ImprovementPlan, today: dt.date | None = None) -> PlanReportContent:
    today = today or timezone.localdate()
    themes = list(
        plan.themes.order_by("number").prefetch_related(
            Prefetch(
                "improvements",
                queryset=Improvement.objects.order_by("reference", "pk").prefetch_related(
                    "date_revisions", Prefetch("progress", queryset=ProgressComment.objects.order_by("-at", "-pk"))
                ),
            ),
        )
    )
    with_indicators = {t.pk: t for t in plan_themes(plan)}
    risks = plan_risks(plan)
    blocks: dict[int, ThemeBlock] = {}
    for theme in themes:
        indicators = list(with_indicators[theme.pk].indicators.all())
        footnotes = [i.footnote for i in indicators if i.footnote]
        blocks[theme.pk] = ThemeBlock(
            theme=theme,
            improvements=[_line(i, today) for i in theme.improvements.all()],
            indicators=indicators,
            risks=[r for r in risks if r.theme_id == theme.pk],
            footnotes=footnotes,
        )
    lines = [line for b in blocks.values() for line in b.improvements]
    progress = plan_progress(themes, today)
    return PlanReportContent(
        plan=plan,
        produced_on=today,
        counts=[(value, label, progress.counts[value]) for value, label in ImprovementStatus.choices],
        total=len(lines),
        overdue=sorted([li for li in lines if li.days_late], key=lambda li: -li.days_late),
        slipped=[li for li in lines if li.improvement.has_slipped and li.improvement.status != ImprovementStatus.DONE],
        bands=[
            ("Priority One", [blocks[t.pk] for t in themes if t.priority == 1]),
            ("Priority Two", [blocks[t.pk] for t in themes if t.priority == 2]),
        ],
        risks_above=sorted([r for r in risks if r.is_above(plan.risk_threshold)], key=lambda r: -(r.score or 0)),
        risk_count=len(risks),
        heat=heat_map(risks),
        missing_risks=[
            with_indicators[t.pk] for t in themes if t.priority == 1 and not with_indicators[t.pk].risk_count
        ],
        groups=list(plan.steering_groups.prefetch_related("members", "themes")),
        quick_wins=list(plan.quick_wins.all()),
    )


def plan_report_pdf(*, plan: ImprovementPlan, today: dt.date | None = None) -> tuple[bytes, int]:
    """The plan's progress report as a tagged PDF (PDF/UA-1) and its page count."""
    content = plan_report_content(plan=plan, today=today)
    from weasyprint import HTML  # loaded where PDFs are made, not with the URLs (tests/test_startup.py)

    from almo_sla.pdf import StaticFilesURLFetcher

    html = render_to_string("reporting/improvement/pdf/report.html", {"report": content})
    # only the service's own static files, and nothing else (no SSRF): a WeasyPrint URLFetcher
    document = HTML(string=html, url_fetcher=StaticFilesURLFetcher()).render(pdf_variant="pdf/ua-1", pdf_tags=True)
    return document.write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True), len(document.pages)


# --- The board pack's section -----------------------------------------------------------------------


@dataclass
class CaseLine:
    case: EscalationCase
    step: str
    due_on: dt.date | None
    overdue: bool


@dataclass
class ImprovementSection:
    """The "Improvement plan" section of an ALMO's quarterly pack."""

    plans: list[PlanReportContent]
    open_cases: list[CaseLine]
    overdue_steps: int

    @property
    def is_empty(self) -> bool:
        return not self.plans and not self.open_cases


def improvement_section(*, almo: Almo, quarter: Quarter, today: dt.date | None = None) -> ImprovementSection:
    """The ALMO's approved plans (as at the pack's date) and its open escalation cases."""
    today = today or timezone.localdate()
    plans = ImprovementPlan.objects.filter(almo=almo, status=ImprovementPlan.Status.APPROVED).select_related("almo")
    contents = [plan_report_content(plan=p, today=today) for p in plans.order_by("title")]
    cases = (
        EscalationCase.objects.filter(
            agreement__almo=almo, status=EscalationCase.Status.OPEN, opened_on__lte=max(today, quarter.end)
        )
        .select_related("standard", "department", "agreement__almo", "agreement__council")
        .prefetch_related("steps")
        .order_by("opened_on", "pk")
    )
    lines = []
    for case in cases:
        waiting = [s for s in sorted(case.steps.all(), key=lambda s: (s.started_on, s.pk)) if not s.outcome]
        step = waiting[-1] if waiting else None
        lines.append(
            CaseLine(
                case=case,
                step=f"Step {step.position}: {step.title}" if step else "",
                due_on=step.due_on if step else None,
                overdue=bool(step and step.is_overdue(today)),
            )
        )
    return ImprovementSection(plans=contents, open_cases=lines, overdue_steps=sum(1 for c in lines if c.overdue))
