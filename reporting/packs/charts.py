"""Small trend charts for the pack, as inline SVG built from strings (fast, no JavaScript).

A measured standard: its figure over the last quarters (a line with a dot per quarter,
coloured by RAG) against its target (dashed). A milestone: one dot per quarter, met or not.
"""

from __future__ import annotations

from django.utils.html import escape

from agreements.models import Standard

WIDTH, HEIGHT, PAD = 120, 30, 4
COLOURS = {"red": "#d4351c", "amber": "#f47738", "green": "#00703c", "": "#b1b4b6"}


def trend_svg(standard: Standard, points: list[tuple[str, tuple]]) -> tuple[str, str]:
    """(svg, text alternative) for ``points``: [(quarter label, (target, actual, outcome, rag))]."""
    if standard.kind == Standard.Kind.MILESTONE:
        return _milestone(points)
    values = [(label, t, a, rag) for label, (t, a, _o, rag) in points]
    figures = [float(v) for _l, t, a, _r in values for v in (t, a) if v is not None]
    if not any(a is not None for _l, _t, a, _r in values):
        return "", "No figures yet"
    low, high = min(figures), max(figures)
    if high - low < 1e-9:
        low, high = low - 1, high + 1
    span = high - low
    step = (WIDTH - 2 * PAD) / max(len(values) - 1, 1)

    def y(v):
        return round(HEIGHT - PAD - (float(v) - low) / span * (HEIGHT - 2 * PAD), 1)

    parts = []
    targets = [(round(PAD + i * step, 1), y(t)) for i, (_l, t, _a, _r) in enumerate(values) if t is not None]
    if len(targets) > 1:
        parts.append(
            '<polyline points="{}" fill="none" stroke="#505a5f" stroke-width="1" stroke-dasharray="3 2"/>'.format(
                " ".join(f"{x},{yy}" for x, yy in targets)
            )
        )
    actuals = [(round(PAD + i * step, 1), y(a), r) for i, (_l, _t, a, r) in enumerate(values) if a is not None]
    if len(actuals) > 1:
        parts.append(
            '<polyline points="{}" fill="none" stroke="#0b0c0c" stroke-width="1.5"/>'.format(
                " ".join(f"{x},{yy}" for x, yy, _r in actuals)
            )
        )
    for x, yy, rag in actuals:
        parts.append(f'<circle cx="{x}" cy="{yy}" r="2.6" fill="{COLOURS.get(rag or "", COLOURS[""])}"/>')
    text = "; ".join(
        f"{label}: {standard.format_value(a) or 'no figure'}" + (f" ({rag})" if rag else "")
        for label, _t, a, rag in values
        if a is not None
    )
    return _svg("".join(parts), text), text


def _milestone(points):
    step = (WIDTH - 2 * PAD) / max(len(points) - 1, 1)
    parts, text = [], []
    for i, (label, (_t, _a, outcome, rag)) in enumerate(points):
        x = round(PAD + i * step, 1)
        if outcome:
            parts.append(f'<circle cx="{x}" cy="{HEIGHT / 2}" r="3.5" fill="{COLOURS.get(rag, COLOURS[""])}"/>')
            text.append(f"{label}: {'met' if outcome == 'met' else 'not met'}")
        else:
            parts.append(f'<circle cx="{x}" cy="{HEIGHT / 2}" r="2" fill="{COLOURS[""]}"/>')
    alt = "; ".join(text) or "Not yet due"
    return _svg("".join(parts), alt), alt


def _svg(body: str, text: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="trend" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(text)}">{body}</svg>'
    )
