"""Performance in plain English for the public page: one sentence per standard, and its trend."""

from __future__ import annotations

from agreements.models import Standard
from reporting.models import Rag, StandardResult

_VERDICT = {Rag.GREEN: "met", Rag.AMBER: "just missed", Rag.RED: "not met"}


def verdict(result: StandardResult) -> str:
    return _VERDICT.get(result.rag, "not judged")


def _figure(standard: Standard, value) -> str:
    text = standard.format_value(value)
    if standard.unit in (Standard.Unit.HOURS, Standard.Unit.WORKING_DAYS):
        return f"{text} on average"
    return text


def sentence(result: StandardResult) -> str:
    """'Abandoned cars removed within 24 hours of report: 21.6 hours on average, target 24 hours — met'."""
    standard = result.standard
    if standard.kind == Standard.Kind.MILESTONE:
        due = f"due {standard.due_date:%-d %B %Y}" if standard.due_date else "milestone"
        return f"{standard.title} ({due}) — {verdict(result)}"
    if result.actual is None:
        return f"{standard.title}: no figure reported"
    target = f", target {standard.format_value(result.target_value)}" if result.target_value is not None else ""
    return f"{standard.title}: {_figure(standard, result.actual)}{target} — {verdict(result)}"


def trend(result: StandardResult, previous: StandardResult | None) -> str:
    """How this quarter compares with the previous published quarter, in words."""
    standard = result.standard
    if previous is None:
        return "First published quarter for this standard"
    if standard.kind == Standard.Kind.MILESTONE or result.actual is None or previous.actual is None:
        before = verdict(previous)
        return f"Last published quarter: {before}"
    if result.actual == previous.actual:
        return f"The same as the previous quarter ({standard.format_value(previous.actual)})"
    higher = result.actual > previous.actual
    better = higher if standard.direction == Standard.Direction.HIGHER else not higher
    word = "Better" if better else "Worse"
    return f"{word} than the previous quarter ({standard.format_value(previous.actual)})"
