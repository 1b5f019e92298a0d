"""Small trend charts for the pack, as inline SVG built from strings (fast, no JavaScript).

A measured standard: its figure over the last quarters (a line with a dot per quarter,
coloured by RAG) against its target (dashed). A milestone: one dot per quarter, met or not.

Every chart comes with words: ``Trend.alt`` is the chart's text alternative (the SVG's
``<title>``, which becomes the ``/Alt`` of its ``/Figure`` in the tagged PDF): the direction
of travel judged by the standard's direction (a lower-is-better figure going up is getting
worse), the first and last figures, the target, and every quarter's figure with its RAG.
``Trend.words`` and ``Trend.letters`` are the short visible forms printed under the chart,
so RAG is never shown by colour alone.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import escape

from agreements.models import Standard

WIDTH, HEIGHT, PAD = 96, 22, 3
COLOURS = {"red": "#d4351c", "amber": "#f47738", "green": "#00703c", "": "#b1b4b6"}
RAG_WORDS = {"red": "red", "amber": "amber", "green": "green", "": "no RAG"}
RAG_LETTERS = {"red": "R", "amber": "A", "green": "G", "": "–"}


@dataclass(frozen=True)
class Trend:
    svg: str  # inline SVG, already escaped; "" when there is nothing to draw
    alt: str  # the full text alternative
    words: str  # "Improving", "Getting worse", "No change", "Met", ...
    letters: str  # RAG by quarter, oldest first: "G G A R – R"


def direction_of_travel(standard: Standard, first, last) -> str:
    """ "Improving", "Getting worse" or "No change" from ``first`` to ``last``, by the standard's direction."""
    if first is None or last is None or first == last:
        return "No change"
    went_up = last > first
    better = went_up if standard.direction == Standard.Direction.HIGHER else not went_up
    return "Improving" if better else "Getting worse"


def trend(standard: Standard, points: list[tuple[str, tuple]]) -> Trend:
    """The chart and its words for ``points``: [(quarter label, (target, actual, outcome, rag))], oldest first."""
    letters = " ".join(RAG_LETTERS.get(values[3] or "", "–") for _label, values in points)
    if standard.kind == Standard.Kind.MILESTONE:
        return _milestone(standard, points, letters)
    values = [(label, t, a, rag or "") for label, (t, a, _o, rag) in points]
    actual = [(label, a, rag) for label, _t, a, rag in values if a is not None]
    span_text = f"{points[0][0]} to {points[-1][0]}" if points else ""
    if not actual:
        alt = f"{standard.title}: no figures reported from {span_text}."
        return Trend("", alt, "No figures yet", letters)
    first, last = actual[0][1], actual[-1][1]
    words = direction_of_travel(standard, first, last) if len(actual) > 1 else "One quarter only"
    better = "higher" if standard.direction == Standard.Direction.HIGHER else "lower"
    latest_target = next((t for _l, t, _a, _r in reversed(values) if t is not None), None)
    by_quarter = "; ".join(
        f"{label} {standard.format_value(a)}, {RAG_WORDS.get(rag, 'no RAG')}" for label, a, rag in actual
    )
    alt = (
        f"Trend of {standard.title} from {span_text} ({better} is better): {words.lower()}, "
        f"from {standard.format_value(first)} to {standard.format_value(last)}"
        + (f" against a target of {standard.format_value(latest_target)}" if latest_target is not None else "")
        + f". By quarter: {by_quarter}."
    )
    return Trend(_measured_svg(values, alt), alt, words, letters)


def _measured_svg(values, alt: str) -> str:
    figures = [float(v) for _l, t, a, _r in values for v in (t, a) if v is not None]
    low, high = min(figures), max(figures)
    if high - low < 1e-9:
        low, high = low - 1, high + 1
    span = high - low
    step = (WIDTH - 2 * PAD) / max(len(values) - 1, 1)

    def y(v):
        return round(HEIGHT - PAD - (float(v) - low) / span * (HEIGHT - 2 * PAD), 1)

    parts = []
    targets = [f"{round(PAD + i * step, 1)},{y(t)}" for i, (_l, t, _a, _r) in enumerate(values) if t is not None]
    if len(targets) > 1:
        parts.append(f'<polyline points="{" ".join(targets)}" fill="none" stroke="#505a5f" stroke-dasharray="3 2"/>')
    actuals = [(round(PAD + i * step, 1), y(a), r) for i, (_l, _t, a, r) in enumerate(values) if a is not None]
    if len(actuals) > 1:
        line = " ".join(f"{x},{yy}" for x, yy, _r in actuals)
        parts.append(f'<polyline points="{line}" fill="none" stroke="#0b0c0c" stroke-width="1.5"/>')
    for x, yy, rag in actuals:
        parts.append(f'<circle cx="{x}" cy="{yy}" r="2.4" fill="{COLOURS.get(rag, COLOURS[""])}"/>')
    return _svg("".join(parts), alt)


def _milestone(standard: Standard, points, letters: str) -> Trend:
    step = (WIDTH - 2 * PAD) / max(len(points) - 1, 1)
    parts, text, last = [], [], ""
    for i, (label, (_t, _a, outcome, rag)) in enumerate(points):
        x = round(PAD + i * step, 1)
        if outcome:
            last = "met" if outcome == "met" else "not met"
            parts.append(f'<circle cx="{x}" cy="{HEIGHT / 2}" r="3.2" fill="{COLOURS.get(rag or "", COLOURS[""])}"/>')
            text.append(f"{label} {last}, {RAG_WORDS.get(rag or '', 'no RAG')}")
        else:
            parts.append(f'<circle cx="{x}" cy="{HEIGHT / 2}" r="1.8" fill="{COLOURS[""]}"/>')
    if not text:
        alt = f"Milestone {standard.title}: not yet reported."
        return Trend(_svg("".join(parts), alt), alt, "Not yet due", letters)
    alt = f"Milestone {standard.title}: {last} at the last report. By quarter: {'; '.join(text)}."
    return Trend(_svg("".join(parts), alt), alt, last.capitalize(), letters)


def _svg(body: str, alt: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="trend" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img"><title>{escape(alt)}</title>{body}</svg>'
    )


def trend_svg(standard: Standard, points: list[tuple[str, tuple]]) -> tuple[str, str]:
    """(svg, text alternative): the chart and its alt text (used by the dashboard's trends)."""
    result = trend(standard, points)
    return result.svg, result.alt
