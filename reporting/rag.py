"""RAG: the one home of red / amber / green — how a result is judged, the worst of several,
labels and colours (screen and PDF), and "red two quarters running", the trigger for escalation.

Return pages, the dashboard, value for money, board packs and escalation call these; none
re-derives them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.db import models

from agreements.models import Standard
from services.periods import Quarter


class Rag(models.TextChoices):
    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"


class MilestoneOutcome(models.TextChoices):
    MET = "met", "Met"
    NOT_MET = "not_met", "Not met"


NOT_RATED = ""
#: Worst first; "not rated" last.
RAG_ORDER = [Rag.RED, Rag.AMBER, Rag.GREEN, NOT_RATED]
RAG_LABELS = {Rag.RED: "Red", Rag.AMBER: "Amber", Rag.GREEN: "Green", NOT_RATED: "Not rated"}
#: GOV.UK tag modifier per RAG (``govuk-tag--red`` …), on screen.
RAG_TAG_COLOURS = {Rag.RED: "red", Rag.AMBER: "yellow", Rag.GREEN: "green", NOT_RATED: "grey"}
#: One palette for charts and PDFs: GOV.UK red, orange, green and mid grey.
RAG_HEX = {Rag.RED: "#d4351c", Rag.AMBER: "#f47738", Rag.GREEN: "#00703c", NOT_RATED: "#b1b4b6"}
_SEVERITY = {Rag.RED: 3, Rag.AMBER: 2, Rag.GREEN: 1}


def rag_label(rag: str) -> str:
    return RAG_LABELS.get(rag or NOT_RATED, RAG_LABELS[NOT_RATED])


def rag_for(
    standard: Standard,
    target: Decimal | None,
    actual: Decimal | None,
    milestone_outcome: str = "",
    delivered_on: dt.date | None = None,
) -> str:
    """Red, amber or green for a figure against its target, direction and tolerance.

    Measured: on or better than target is green; short by no more than the amber tolerance
    is amber; worse is red. Milestone: met on or before its due date is green; met late is
    amber while no more than the amber tolerance (in days) late, red beyond it; not met is
    red. Blank when there is nothing to judge yet.
    """
    if standard.kind == Standard.Kind.MILESTONE:
        if milestone_outcome == MilestoneOutcome.NOT_MET:
            return Rag.RED
        if milestone_outcome != MilestoneOutcome.MET:
            return NOT_RATED
        if delivered_on is None or standard.due_date is None or delivered_on <= standard.due_date:
            return Rag.GREEN
        days_late = (delivered_on - standard.due_date).days
        return Rag.AMBER if days_late <= (standard.amber_tolerance or 0) else Rag.RED
    if target is None or actual is None:
        return NOT_RATED
    shortfall = target - actual if standard.direction == Standard.Direction.HIGHER else actual - target
    if shortfall <= 0:
        return Rag.GREEN
    if shortfall <= standard.amber_tolerance:
        return Rag.AMBER
    return Rag.RED


def worst_rag(rags: Iterable[str]) -> str:
    """The worst of several RAGs (red over amber over green); blank when none was judged."""
    judged = [r for r in rags if r in _SEVERITY]
    return max(judged, key=_SEVERITY.__getitem__) if judged else NOT_RATED


def red_two_quarters_running(rags: Mapping[Quarter, str], quarter: Quarter) -> bool:
    """The escalation trigger: a standard red in ``quarter`` and red in the quarter before it.

    ``rags`` is the standard's RAG by quarter. The quarter before Q1 is Q4 of the financial
    year before, so a run carries across the year end. A quarter with no result (its return
    missing, or the figure not rated) is not red, so it breaks the run: nothing is escalated
    on a missing return alone. The dashboard, the board pack and the automatic escalation
    cases all ask this function.
    """
    return rags.get(quarter) == Rag.RED and rags.get(quarter.previous()) == Rag.RED
