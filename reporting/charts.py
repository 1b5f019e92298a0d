"""The one trend chart: a standard's quarterly figures as inline SVG built from strings (no
JavaScript), drawn the same way on web pages and, smaller, as the board pack's sparklines.

- Up is always better: for a standard where a lower figure is better the scale is turned
  over, so a line going up is improving whichever way the standard points. Milestones are
  placed by RAG (green at the top, red at the bottom).
- The dashed line is the target; each dot is coloured from the one RAG palette,
  ``reporting.rag.RAG_HEX`` (the same colours on screen and in the PDF).
- Every chart comes with words. ``Trend.alt`` is the text alternative (the SVG's
  ``<title>``: the accessible name on screen, and the ``/Alt`` of its ``/Figure`` in the
  tagged PDF): the direction of travel judged by the standard's direction, the first and last
  figures, the target, and every quarter's figure with its RAG. ``Trend.words`` and
  ``Trend.letters`` are the short visible forms printed under the chart, so RAG is never
  shown by colour alone; ``Trend.points`` are the figures for a table beside it.

The SVG is marked safe here, once: it is built from numbers and fixed strings, and its only
text, the alternative, is escaped.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from agreements.models import Standard
from reporting.rag import NOT_RATED, RAG_HEX, MilestoneOutcome, Rag, rag_label

RAG_WORDS = {Rag.RED: "red", Rag.AMBER: "amber", Rag.GREEN: "green", NOT_RATED: "no RAG"}
RAG_LETTERS = {Rag.RED: "R", Rag.AMBER: "A", Rag.GREEN: "G", NOT_RATED: "–"}
INK, GREY, LINE = "#0b0c0c", "#505a5f", "#b1b4b6"


@dataclass(frozen=True)
class Size:
    """How big the chart is drawn: a page's chart or the pack's sparkline."""

    name: str
    width: int
    height: int
    pad: float
    dot: float  # radius of a quarter's dot
    line: float  # width of the figure's line
    outline: float  # width of the dark ring round each dot (contrast against white)


PAGE = Size("page", 240, 60, 10, 6, 2, 1)
SPARKLINE = Size("sparkline", 96, 22, 3, 2.4, 1.5, 0.4)


@dataclass(frozen=True)
class Quarterly:
    """One quarter's result, as the chart needs it."""

    label: str  # "2026/27 Q2"
    target: Decimal | None = None
    actual: Decimal | None = None
    outcome: str = ""  # milestone outcome
    rag: str = NOT_RATED


@dataclass(frozen=True)
class Point:
    """One quarter as drawn and as written; ``y`` is None when the quarter has no dot."""

    label: str
    value: str  # "82%", "Met", "Not reported"
    target: str
    rag: str  # "Green", "Not rated"
    x: float
    y: float | None


@dataclass(frozen=True)
class Trend:
    svg: str  # inline SVG, marked safe; "" when there is nothing to draw
    alt: str  # the full text alternative
    words: str  # "Improving", "Getting worse", "No change", "Met", ...
    letters: str  # RAG by quarter, oldest first: "G G A R – R"
    points: list[Point]
    size: Size


def quarterly_results(results: Iterable) -> list[Quarterly]:
    """``StandardResult`` rows (oldest first) as the chart's quarters."""
    return [
        Quarterly(
            label=r.quarterly_return.period.label,
            target=r.target_value,
            actual=r.actual,
            outcome=r.milestone_outcome,
            rag=r.rag or NOT_RATED,
        )
        for r in results
    ]


def direction_of_travel(standard: Standard, first, last) -> str:
    """ "Improving", "Getting worse" or "No change" from ``first`` to ``last``, by the standard's direction."""
    if first is None or last is None or first == last:
        return "No change"
    went_up = last > first
    better = went_up if standard.direction == Standard.Direction.HIGHER else not went_up
    return "Improving" if better else "Getting worse"


def trend(standard: Standard, quarters: Sequence[Quarterly], *, size: Size = PAGE, key: str = "") -> Trend:
    """The chart of ``standard`` over ``quarters`` (oldest first) and its words, drawn at ``size``.

    ``key`` names the chart's title element (``trend-title-<key>``) where a page shows several.
    """
    letters = " ".join(RAG_LETTERS.get(q.rag or NOT_RATED, "–") for q in quarters)
    step = (size.width - 2 * size.pad) / max(len(quarters) - 1, 1)
    xs = [round(size.pad + i * step, 1) for i in range(len(quarters))]
    if standard.kind == Standard.Kind.MILESTONE:
        return _milestone(standard, quarters, xs, letters, size, key)
    return _measured(standard, quarters, xs, letters, size, key)


def _measured(standard, quarters, xs, letters, size, key) -> Trend:
    figures = [float(v) for q in quarters for v in (q.target, q.actual) if v is not None]
    low, high = (min(figures), max(figures)) if figures else (0.0, 1.0)
    if high - low < 1e-9:
        low, high = low - 1, high + 1

    def y(value) -> float:
        share = (float(value) - low) / (high - low)
        if standard.direction == Standard.Direction.LOWER:
            share = 1 - share  # up is better
        return round(size.height - size.pad - share * (size.height - 2 * size.pad), 1)

    points = [
        Point(
            label=q.label,
            value=standard.format_value(q.actual) if q.actual is not None else "Not reported",
            target=standard.format_value(q.target),
            rag=rag_label(q.rag),
            x=x,
            y=y(q.actual) if q.actual is not None else None,
        )
        for q, x in zip(quarters, xs, strict=True)
    ]
    actual = [q for q in quarters if q.actual is not None]
    span = f"{quarters[0].label} to {quarters[-1].label}" if quarters else ""
    if not actual:
        alt = f"{standard.title}: no figures reported from {span}."
        return Trend("", alt, "No figures yet", letters, points, size)
    first, last = actual[0].actual, actual[-1].actual
    better = "higher" if standard.direction == Standard.Direction.HIGHER else "lower"
    target = next((q.target for q in reversed(quarters) if q.target is not None), None)
    against = f" against a target of {standard.format_value(target)}" if target is not None else ""
    if len(actual) > 1:
        words = direction_of_travel(standard, first, last)
        summary = f"{words.lower()}, from {standard.format_value(first)} to {standard.format_value(last)}"
    else:
        words = "One quarter only"
        summary = f"one quarter only, {standard.format_value(last)}"
    by_quarter = "; ".join(
        f"{q.label} {standard.format_value(q.actual)}, {RAG_WORDS.get(q.rag or NOT_RATED, 'no RAG')}" for q in actual
    )
    alt = (
        f"RAG trend for {standard.title} from {span} ({better} is better): {summary}{against}."
        f" By quarter: {by_quarter}."
    )

    parts = []
    targets = [f"{x},{y(q.target)}" for q, x in zip(quarters, xs, strict=True) if q.target is not None]
    if len(targets) > 1:
        parts.append(f'<polyline points="{" ".join(targets)}" fill="none" stroke="{GREY}" stroke-dasharray="3 2"/>')
    drawn = [(p, q.rag) for p, q in zip(points, quarters, strict=True) if p.y is not None]
    if len(drawn) > 1:
        line = " ".join(f"{p.x},{p.y}" for p, _rag in drawn)
        parts.append(f'<polyline points="{line}" fill="none" stroke="{INK}" stroke-width="{size.line}"/>')
    parts += [_dot(p.x, p.y, rag, size.dot, size) for p, rag in drawn]
    return Trend(_svg("".join(parts), alt, size, key), alt, words, letters, points, size)


RAG_HEIGHT = {Rag.GREEN: 0.0, Rag.AMBER: 0.5, Rag.RED: 1.0}  # share of the way down: green at the top


def _milestone(standard, quarters, xs, letters, size, key) -> Trend:
    outcomes = dict(MilestoneOutcome.choices)
    parts, text, points, last = [], [], [], ""
    for q, x in zip(quarters, xs, strict=True):
        rag = q.rag or NOT_RATED
        y = round(size.pad + RAG_HEIGHT.get(rag, 0.5) * (size.height - 2 * size.pad), 1)
        if q.outcome:
            last = "met" if q.outcome == MilestoneOutcome.MET else "not met"
            parts.append(_dot(x, y, rag, size.dot * 1.3, size))
            text.append(f"{q.label} {last}, {RAG_WORDS.get(rag, 'no RAG')}")
        else:
            parts.append(f'<circle cx="{x}" cy="{y}" r="{round(size.dot * 0.75, 1)}" fill="{RAG_HEX[NOT_RATED]}"/>')
        points.append(Point(q.label, outcomes.get(q.outcome, "Not reported"), "", rag_label(rag), x, y))
    if not text:
        alt = f"Milestone {standard.title}: not yet reported."
        return Trend(_svg("".join(parts), alt, size, key), alt, "Not yet due", letters, points, size)
    alt = f"Milestone {standard.title}: {last} at the last report. By quarter: {'; '.join(text)}."
    return Trend(_svg("".join(parts), alt, size, key), alt, last.capitalize(), letters, points, size)


def _dot(x, y, rag: str, radius: float, size: Size) -> str:
    fill = RAG_HEX.get(rag or NOT_RATED, RAG_HEX[NOT_RATED])
    ring = f'stroke="{INK}" stroke-width="{size.outline}"'
    return f'<circle cx="{x}" cy="{y}" r="{round(radius, 1)}" fill="{fill}" {ring}/>'


def _svg(body: str, alt: str, size: Size, key: str) -> SafeString:
    title_id = f"trend-title-{escape(key)}" if key else ""
    labelled = f' aria-labelledby="{title_id}"' if key else ""
    title = f'<title id="{title_id}">' if key else "<title>"
    return mark_safe(  # noqa: S308 - numbers and fixed strings; the only text, the alternative, is escaped
        f'<svg xmlns="http://www.w3.org/2000/svg" class="trend trend--{size.name}" width="{size.width}" '
        f'height="{size.height}" viewBox="0 0 {size.width} {size.height}" role="img" focusable="false"{labelled}>'
        f"{title}{escape(alt)}</title>{body}</svg>"
    )
