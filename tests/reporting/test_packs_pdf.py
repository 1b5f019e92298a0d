"""The rendered pack: its text comes from the database, its pages, contents and bookmarks add up."""

import re
from collections import Counter
from decimal import Decimal
from io import BytesIO

import pytest
from django.utils import timezone
from pypdf import PdfReader

from agreements.models import ScheduleYearCost, ServiceNotice
from reporting.models import Departure, StandardResult
from reporting.packs.content import SECTIONS
from reporting.packs.services import build_to_file
from reporting import demo
from services.models import Almo
from services.periods import Quarter

KNH = "kirkby-neighbourhood-homes"


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker):
    """The demo pack for the last quarter ended, built once, and the figures it must show, read from the database."""
    with django_db_blocker.unblock():
        if not Almo.objects.filter(slug=KNH).exists():  # a transactional test flushed the session's demo data
            demo.seed()
        almo = Almo.objects.get(slug=KNH)
        quarter = Quarter.containing(timezone.localdate()).previous()
        result, content, _seconds = build_to_file(almo=almo, quarter=quarter)
        in_quarter = {"quarterly_return__agreement__almo": almo}
        rag_now = Counter(
            StandardResult.objects.filter(**in_quarter, quarterly_return__financial_year=quarter.year,
                                          quarterly_return__quarter=quarter.number).values_list("rag", flat=True)
        )
        before = quarter.previous()
        rag_before = Counter(
            StandardResult.objects.filter(**in_quarter, quarterly_return__financial_year=before.year,
                                          quarterly_return__quarter=before.number).values_list("rag", flat=True)
        )
        departures = list(
            Departure.objects.filter(
                result__quarterly_return__agreement__almo=almo,
                result__quarterly_return__financial_year=quarter.year,
                result__quarterly_return__quarter=quarter.number,
            ).values("what_happened", "reason", "remedial_action", "owner", "target_date")
        )
        # the year's recorded cost per department, for departments with no notice served (a notice
        # cuts the year short: tests/test_consistency.py checks those figures)
        costs: dict[str, Decimal] = Counter()
        under_notice = set(
            ServiceNotice.objects.filter(schedule__agreement=content.agreement, withdrawn_on__isnull=True)
            .values_list("schedule__service__department__name", flat=True)
        )
        for cost in ScheduleYearCost.objects.filter(
            schedule__agreement=content.agreement, financial_year=quarter.year
        ).select_related("schedule__service__department"):
            if cost.schedule.service.department.name not in under_notice:
                costs[cost.schedule.service.department.name] += cost.amount
    reader = PdfReader(BytesIO(result.pdf))
    pages = [squash(page.extract_text()) for page in reader.pages]
    return {
        "result": result, "content": content, "reader": reader, "pages": pages, "text": " ".join(pages),
        "rag_now": rag_now, "rag_before": rag_before, "departures": departures, "costs": costs, "quarter": quarter,
    }


def test_the_demo_quarter_has_something_to_report(built):
    assert built["departures"], "the demo's last quarter should have departures from standard"
    assert built["rag_now"]["red"] >= 1


def test_every_departure_of_the_quarter_is_in_the_pack_with_reason_action_owner_and_date(built):
    text = built["text"]
    for d in built["departures"]:
        for value in (d["what_happened"], d["reason"], d["remedial_action"], d["owner"]):
            assert squash(value) in text, value
        assert f"{d['target_date']:%-d %B %Y}" in text


def test_rag_counts_and_change_from_last_quarter_match_the_database(built):
    summary = built["pages"][built["result"].starts["summary"] - 1]
    for rag, label in (("red", "Red"), ("amber", "Amber"), ("green", "Green")):
        now, before = built["rag_now"][rag], built["rag_before"][rag]
        assert f"{now} {label}" in summary
        change = now - before
        words = f"up {change}" if change > 0 else f"down {-change}" if change < 0 else "no change"
        assert f"{words} from {built['quarter'].previous().label} ({before})" in summary


def test_costs_per_department_this_year_match_the_database(built, django_db_blocker):
    costs_page = " ".join(built["pages"][built["result"].starts["costs"] - 1 : built["result"].starts["notice"] - 1])
    for department, amount in built["costs"].items():
        assert department in costs_page
        assert f"£{amount:,.0f}" in costs_page, (department, amount)
    with django_db_blocker.unblock():
        notices = ServiceNotice.objects.filter(withdrawn_on__isnull=True).exists()
    if not notices:
        assert f"£{sum(built['costs'].values()):,.0f}" in costs_page


def test_exceptions_lead_the_summary(built):
    summary = built["pages"][built["result"].starts["summary"] - 1]
    assert "Red two quarters running (1)" in summary
    assert "Urgent repairs completed within time limits" in summary
    assert "Missing returns (1)" in summary and "Democratic Services" in summary


def test_page_count_and_page_n_of_n(built):
    reader, result = built["reader"], built["result"]
    total = len(reader.pages)
    assert total == result.pages > len(SECTIONS) + 2
    assert "Page 1 of" not in built["pages"][0]  # the cover carries no header or footer
    for number, page in enumerate(built["pages"][1:], start=2):
        assert f"Page {number} of {total}" in page
        assert built["content"].title in page  # the running header


def test_contents_and_bookmarks_point_at_the_first_page_of_each_section(built):
    reader, starts, pages = built["reader"], built["result"].starts, built["pages"]
    top = [item for item in reader.outline if not isinstance(item, list)]
    assert [item.title for item in top] == ["Contents"] + [title for _key, title in SECTIONS]
    for (key, title), item in zip(SECTIONS, top[1:], strict=True):
        assert reader.get_destination_page_number(item) == starts[key] - 1
        assert pages[starts[key] - 1].startswith(built["content"].title) or title in pages[starts[key] - 1]
        assert title in pages[starts[key] - 1]
        assert f"{title} {starts[key]}" in pages[1]  # the contents page
    children = reader.outline[reader.outline.index(top[2]) + 1]
    departments = [item.title for item in children]
    assert departments == [d.name for d in built["content"].departments]


def test_document_title_and_language_are_set(built):
    reader = built["reader"]
    assert reader.metadata.title == built["content"].title
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"
    assert reader.trailer["/Root"]["/ViewerPreferences"]["/DisplayDocTitle"]


def test_the_one_document_html_is_what_chromium_prints_for_the_benchmark(built):
    from reporting.packs.render import full_html

    html = full_html(built["content"])
    assert html.startswith("<!DOCTYPE html>") and '<html lang="en-GB">' in html
    for key, _title in SECTIONS:
        assert f'id="{key}"' in html
