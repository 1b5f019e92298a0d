"""The records a board pack is made of: plain data, read once from the database by
``reporting.packs.content`` and laid out by the templates."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from agreements.models import Agreement, Schedule, ServiceNotice, Standard
from reporting.complaints.selectors import ComplaintCounts
from reporting.improvement.report import ImprovementSection
from reporting.scrutiny.selectors import ChallengeCounts
from services.models import Almo
from services.periods import Quarter, financial_year_label

# The sections of a pack, in order: key, title.
SECTIONS = [
    ("key", "How to read this pack"),
    ("summary", "Executive summary"),
    ("performance", "Performance by department and service"),
    ("departures", "Departures from standard"),
    ("improvement", "Improvement plan and escalation"),
    ("costs", "Costs and value for money"),
    ("notice", "Notice periods"),
    ("terms", "Appendix: the agreement's current terms"),
]
ANNEX = ("annex", "Annex: every exception in full")
SECTION_TITLES = dict([*SECTIONS, ANNEX])

# How many of each list of exceptions the executive summary shows (twice as many open
# remedial actions); the rest are counted there and listed in full in the annex.
SUMMARY_LIMIT = 5
# Up to this many departments the summary shows the returns table; beyond, counts.
RETURNS_IN_SUMMARY = 12


@dataclass
class ReturnLine:
    department: str
    due_date: dt.date
    progress: str
    submitted_on: dt.date | None
    days_late: int


@dataclass
class ResultRow:
    standard: Standard
    service: str
    department: str
    target: str
    actual: str
    rag: str
    trend: str  # inline SVG, already escaped
    trend_text: str  # the chart's text alternative
    trend_words: str = ""  # "Improving", "Getting worse", ...
    rag_letters: str = ""  # RAG by quarter as text, oldest first
    red_two_quarters_running: bool = False  # by reporting.rag.red_two_quarters_running: escalate to the board
    shortfall: float = 0.0  # how far short of target, as a share of it: orders the worst first
    commentary: str = ""  # the officers' commentary on this quarter's figure, as typed (escaped when shown)


@dataclass
class ServiceBlock:
    name: str
    rows: list[ResultRow] = field(default_factory=list)


@dataclass
class DepartmentBlock:
    name: str
    return_progress: str
    services: list[ServiceBlock] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


@dataclass
class DepartureLine:
    department: str
    service: str
    standard: str
    what_happened: str
    cases: int
    reason: str
    remedial_action: str
    owner: str
    target_date: dt.date
    resolved: bool
    quarter: str
    overdue: bool


@dataclass
class CostLine:
    department: str
    services: list[str]
    last_year: Decimal | None
    this_year: Decimal
    change: Decimal | None
    change_percent: Decimal | None
    red_or_amber: int


@dataclass
class CreditLine:
    """A schedule's service credits for the pack's year (``reporting.cases.credits``)."""

    department: str
    service: str
    charged: Decimal
    credited: Decimal
    capped: bool

    @property
    def net(self) -> Decimal:
        return self.charged - self.credited


@dataclass
class NoticeLine:
    department: str
    service: str
    months: int
    earliest_effective: dt.date
    give_notice_by: dt.date | None
    served: ServiceNotice | None


@dataclass
class PackContent:
    title: str
    almo: Almo
    agreement: Agreement
    quarter: Quarter
    previous_quarter: Quarter
    produced_on: dt.date
    is_final: bool
    rag_counts: list[dict]
    red_now: list[ResultRow]
    red_twice: list[ResultRow]
    late_returns: list[ReturnLine]
    missing_returns: list[ReturnLine]
    open_actions: list[DepartureLine]
    notices_served: list[NoticeLine]
    departments: list[DepartmentBlock]
    departures: list[DepartureLine]
    costs: list[CostLine]
    cost_total_this_year: Decimal
    cost_total_last_year: Decimal | None
    value_for_money_notes: list[dict]
    notice: list[NoticeLine]
    term: object
    schedules: list[Schedule]
    quarter_labels: list[str]
    improvement: ImprovementSection | None = None
    # Issue 14: the tenant scrutiny panel's challenges and complaints about council services, in the quarter
    challenges: ChallengeCounts | None = None
    escalated_challenges: list = field(default_factory=list)
    complaints: ComplaintCounts | None = None
    # Issue 13: service credits for critical standards, where the agreement switches them on
    service_credits: list[CreditLine] = field(default_factory=list)
    summary_limit: int = SUMMARY_LIMIT

    # The executive summary stays short whatever the council's size: the worst few of each
    # list (the lists are sorted worst first), with a count of the rest, which are in the annex.
    def _top(self, items):
        return items[: self.summary_limit]

    @property
    def red_twice_top(self):
        return self._top(self.red_twice)

    @property
    def red_now_top(self):
        return self._top(self.red_now)

    @property
    def missing_top(self):
        return self._top(self.missing_returns)

    @property
    def late_top(self):
        return self._top(self.late_returns)

    @property
    def notices_top(self):
        return self._top(self.notices_served)

    @property
    def open_actions_top(self):
        return self.open_actions[: self.summary_limit * 2]

    @property
    def returns_in_summary(self) -> bool:
        """The returns table (a row per department) fits the summary only for a small council."""
        return len(self.departments) <= RETURNS_IN_SUMMARY

    @property
    def return_progress_counts(self) -> list[tuple[str, int]]:
        counts: dict[str, int] = {}
        for department in self.departments:
            counts[department.return_progress] = counts.get(department.return_progress, 0) + 1
        return sorted(counts.items(), key=lambda item: (-item[1], item[0]))

    @property
    def has_annex(self) -> bool:
        lists = (self.red_twice, self.red_now, self.missing_returns, self.late_returns, self.notices_served)
        return (
            any(len(items) > self.summary_limit for items in lists)
            or len(self.open_actions) > self.summary_limit * 2
            or not self.returns_in_summary
        )

    @property
    def sections(self) -> list[tuple[str, str]]:
        """The pack's sections in order: (key, title); the annex only when the summary left something out."""
        return SECTIONS + ([ANNEX] if self.has_annex else [])

    @property
    def status_label(self) -> str:
        return "Final" if self.is_final else "Draft"

    @property
    def year_label(self) -> str:
        return financial_year_label(self.quarter.year)

    @property
    def last_year_label(self) -> str:
        return financial_year_label(self.quarter.year - 1)
