"""A small RAG trend chart per standard, drawn as inline SVG by the template (no JavaScript)."""

from __future__ import annotations

from dataclasses import dataclass

from reporting.models import StandardResult

WIDTH, HEIGHT, PAD = 240, 60, 10
RAG_FILL = {"red": "#ca3535", "amber": "#ffdd00", "green": "#0f7a52", "": "#b1b4b6"}
RAG_STROKE = {"red": "#0b0c0c", "amber": "#0b0c0c", "green": "#0b0c0c", "": "#505a5f"}


@dataclass
class Point:
    x: float
    y: float
    label: str
    value: str
    target: str
    rag: str
    fill: str
    stroke: str


@dataclass
class Trend:
    points: list[Point]
    polyline: str
    description: str
    width: int = WIDTH
    height: int = HEIGHT


def trend_for(standard, results: list[StandardResult]) -> Trend:
    """Points for the standard's results, oldest first: higher on the chart is better (for "lower is better"
    standards the scale is turned over); milestones are placed by RAG; colour is RAG."""
    values = [r.actual for r in results if r.actual is not None] + [
        r.target_value for r in results if r.target_value is not None
    ]
    low, high = (min(values), max(values)) if values else (0, 1)
    span = (high - low) or 1
    step = (WIDTH - 2 * PAD) / max(len(results) - 1, 1)
    points = []
    for i, r in enumerate(results):
        if r.actual is not None:
            share = float((r.actual - low) / span)
            if standard.direction == "lower":
                share = 1 - share
            y = HEIGHT - PAD - share * (HEIGHT - 2 * PAD)
        else:
            y = {"green": PAD, "amber": HEIGHT / 2, "red": HEIGHT - PAD}.get(r.rag, HEIGHT / 2)
        value = (
            standard.format_value(r.actual)
            if r.actual is not None
            else (r.get_milestone_outcome_display() or "Not reported")
        )
        points.append(
            Point(
                x=round(PAD + i * step, 1),
                y=round(y, 1),
                label=r.quarterly_return.period.label,
                value=value,
                target=standard.format_value(r.target_value),
                rag=r.get_rag_display() or "Not rated",
                fill=RAG_FILL.get(r.rag, RAG_FILL[""]),
                stroke=RAG_STROKE.get(r.rag, RAG_STROKE[""]),
            )
        )
    description = f"RAG trend for {standard.title}: " + "; ".join(f"{p.label} {p.value} ({p.rag})" for p in points)
    return Trend(points=points, polyline=" ".join(f"{p.x},{p.y}" for p in points), description=description)
