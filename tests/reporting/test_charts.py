"""The one trend chart (``reporting/charts.py``): drawn up-is-better in either direction, coloured
from the one RAG palette, with its trend in words; the return page and the board pack draw a
standard with the same function and agree on which way is up."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal as D

import pytest
from django.utils import timezone

from agreements.models import Standard
from reporting import charts
from reporting.models import QuarterlyReturn
from reporting.packs.content import pack_content
from reporting.rag import RAG_HEX
from services.periods import Quarter

SIZES = [charts.PAGE, charts.SPARKLINE]
DOT = re.compile(r'<circle cx="([\d.]+)" cy="([\d.]+)"')


def measured(direction: str) -> Standard:
    return Standard(kind="measured", unit="percent", direction=direction, amber_tolerance=D("5"), title="A standard")


def dots(svg: str) -> list[tuple[float, float]]:
    return [(float(x), float(y)) for x, y in DOT.findall(svg)]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: s.name)
@pytest.mark.parametrize("direction, figures", [("higher", ("70", "80", "90")), ("lower", ("9", "6", "3"))])
def test_a_chart_goes_up_as_performance_gets_better_whichever_way_the_standard_points(size, direction, figures):
    quarters = [charts.Quarterly(f"2025/26 Q{i + 1}", D("5"), D(f)) for i, f in enumerate(figures)]
    chart = charts.trend(measured(direction), quarters, size=size)
    ys = [y for _x, y in dots(chart.svg)]
    assert len(ys) == 3 and ys[0] > ys[1] > ys[2]  # SVG y grows downwards: each dot is above the last
    assert chart.words == "Improving"
    assert f"({direction} is better): improving, from {figures[0]}% to {figures[-1]}%" in chart.alt


@pytest.mark.parametrize("size", SIZES, ids=lambda s: s.name)
def test_dots_are_coloured_from_the_one_rag_palette_and_the_letters_say_it(size):
    quarters = [
        charts.Quarterly("2025/26 Q1", D("80"), D("90"), rag="green"),
        charts.Quarterly("2025/26 Q2", D("80"), D("77"), rag="amber"),
        charts.Quarterly("2025/26 Q3", D("80"), D("60"), rag="red"),
        charts.Quarterly("2025/26 Q4", D("80")),
    ]
    chart = charts.trend(measured("higher"), quarters, size=size)
    fills = re.findall(r'<circle [^>]*fill="(#[0-9a-f]{6})"', chart.svg)
    assert fills == ["#00703c", "#f47738", "#d4351c"] == [RAG_HEX["green"], RAG_HEX["amber"], RAG_HEX["red"]]
    assert chart.letters == "G A R –"
    assert f"<title>{chart.alt}</title>" in chart.svg and 'role="img"' in chart.svg
    assert chart.alt.endswith("By quarter: 2025/26 Q1 90%, green; 2025/26 Q2 77%, amber; 2025/26 Q3 60%, red.")


def test_a_milestone_is_green_at_the_top_and_red_at_the_bottom():
    milestone = Standard(kind="milestone", deliverable="Strategy", title="Strategy", due_date=dt.date(2025, 9, 30))
    quarters = [
        charts.Quarterly("2025/26 Q1", outcome="not_met", rag="red"),
        charts.Quarterly("2025/26 Q2", outcome="met", rag="green"),
    ]
    for size in SIZES:
        chart = charts.trend(milestone, quarters, size=size)
        (_x1, red), (_x2, green) = dots(chart.svg)
        assert green < red
        assert chart.words == "Met" and "2025/26 Q1 not met, red; 2025/26 Q2 met, green" in chart.alt


@pytest.mark.django_db
def test_the_return_page_and_the_pack_draw_a_standard_with_the_same_function_and_agree(
    demo_data, client_as, monkeypatch
):
    """Both call ``reporting.charts.trend`` (the page at page size, the pack as a sparkline), and
    for the quarters both show, a better figure sits higher on both charts."""
    drawn: dict[tuple[int, str], charts.Trend] = {}
    real = charts.trend

    def spy(standard, quarters, **kwargs):
        chart = real(standard, quarters, **kwargs)
        drawn[standard.pk, chart.size.name] = chart
        return chart

    monkeypatch.setattr(charts, "trend", spy)
    main, quarter = demo_data["main"], Quarter.containing(timezone.localdate()).previous()
    titles = ["Urgent repairs completed within time limits", "Calls abandoned"]
    standards = {t: Standard.objects.get(schedule__agreement=main, title=t) for t in titles}
    assert {s.direction for s in standards.values()} == {"higher", "lower"}
    client = client_as("coordinator")
    for standard in standards.values():
        ret = QuarterlyReturn.objects.get(
            agreement=main, results__standard=standard, financial_year=quarter.year, quarter=quarter.number
        )
        assert client.get(ret.get_absolute_url()).status_code == 200
    pack_content(almo=main.almo, quarter=quarter)

    for title, standard in standards.items():
        page, sparkline = drawn[standard.pk, "page"], drawn[standard.pk, "sparkline"]
        better = f"({standard.direction} is better)"
        assert better in page.alt and better in sparkline.alt
        both = {p.label for p in page.points if p.y is not None}
        both &= {p.label for p in sparkline.points if p.y is not None}
        assert len(both) >= 3, title

        def heights(chart, both=both):
            return {p.label: p.y for p in chart.points if p.label in both}

        on_page, in_pack = heights(page), heights(sparkline)
        figure = {p.label: D(re.sub(r"[^\d.]", "", p.value)) for p in sparkline.points if p.label in both}
        for a in both:
            for b in both:
                if figure[a] == figure[b]:
                    continue
                a_better = (figure[a] > figure[b]) == (standard.direction == "higher")
                assert (on_page[a] < on_page[b]) == (in_pack[a] < in_pack[b]) == a_better, (title, a, b)
