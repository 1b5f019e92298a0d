"""The rendered pack: its text comes from the database, its pages, contents and bookmarks add up."""

import re
from collections import Counter
from decimal import Decimal
from io import BytesIO

import pikepdf
import pytest
from django.utils import timezone
from pypdf import PdfReader

from agreements.models import ScheduleYearCost, ServiceNotice
from reporting import demo
from reporting.models import Departure, StandardResult
from reporting.packs.content import SECTIONS
from reporting.packs.services import build_to_file
from services.models import Almo
from services.periods import Quarter

KNH = "kirkby-neighbourhood-homes"
pytestmark = pytest.mark.django_db  # the database must be set up even when this module runs alone


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
            StandardResult.objects.filter(
                **in_quarter, quarterly_return__financial_year=quarter.year, quarterly_return__quarter=quarter.number
            ).values_list("rag", flat=True)
        )
        before = quarter.previous()
        rag_before = Counter(
            StandardResult.objects.filter(
                **in_quarter, quarterly_return__financial_year=before.year, quarterly_return__quarter=before.number
            ).values_list("rag", flat=True)
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
            ServiceNotice.objects.filter(schedule__agreement=content.agreement, withdrawn_on__isnull=True).values_list(
                "schedule__service__department__name", flat=True
            )
        )
        for cost in ScheduleYearCost.objects.filter(
            schedule__agreement=content.agreement, financial_year=quarter.year
        ).select_related("schedule__service__department"):
            if cost.schedule.service.department.name not in under_notice:
                costs[cost.schedule.service.department.name] += cost.amount
    reader = PdfReader(BytesIO(result.pdf))
    pages = [squash(page.extract_text()) for page in reader.pages]
    return {
        "result": result,
        "content": content,
        "reader": reader,
        "pages": pages,
        "text": " ".join(pages),
        "rag_now": rag_now,
        "rag_before": rag_before,
        "departures": departures,
        "costs": costs,
        "quarter": quarter,
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
    assert total == result.pages > len(SECTIONS) + 1
    assert "Page 1 of" not in built["pages"][0]  # the cover carries no header or footer
    for number, page in enumerate(built["pages"][1:], start=2):
        assert f"Page {number} of {total}" in page
        assert built["content"].title in page  # the running header


def test_contents_and_bookmarks_point_at_the_first_page_of_each_section(built):
    reader, starts, pages = built["reader"], built["result"].starts, built["pages"]
    top = [item for item in reader.outline if not isinstance(item, list)]
    sections = built["content"].sections
    assert [item.title for item in top] == ["Contents"] + [title for _key, title in sections]
    for (key, title), item in zip(sections, top[1:], strict=True):
        assert reader.get_destination_page_number(item) == starts[key] - 1
        assert title in pages[starts[key] - 1]
        assert re.search(rf"{re.escape(title)} \.[. ]* {starts[key]}\b", pages[1]), title  # the contents page
    performance = [t for _k, t in sections].index("Performance by department and service") + 1
    children = reader.outline[reader.outline.index(top[performance]) + 1]
    departments = [item.title for item in children]
    assert departments == [d.name for d in built["content"].departments]


def test_document_title_and_language_are_set(built):
    reader = built["reader"]
    assert reader.metadata.title == built["content"].title
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"
    assert reader.trailer["/Root"]["/ViewerPreferences"]["/DisplayDocTitle"]


def test_the_one_document_html_is_what_chromium_prints_for_the_benchmark(built):
    from reporting.packs.render import pack_html

    html = pack_html(built["content"])
    assert html.startswith("<!DOCTYPE html>") and '<html lang="en-GB">' in html
    for key, _title in SECTIONS:
        assert f'id="{key}"' in html


# --- PDF/UA-1: the pack is tagged, its running heads are artifacts, every chart has words ---


def walk(pdf):
    order, stack = [], list(reversed(_kids(pdf.Root.StructTreeRoot)))
    while stack:
        node = stack.pop()
        order.append(node)
        stack.extend(reversed(_kids(node)))
    return order


def _kids(node):
    kids = node.get("/K")
    kids = list(kids) if isinstance(kids, pikepdf.Array) else [] if kids is None else [kids]
    return [k for k in kids if isinstance(k, pikepdf.Dictionary) and k.get("/Type") not in ("/MCR", "/OBJR")]


@pytest.fixture(scope="module")
def tagged(built):
    pdf = pikepdf.open(BytesIO(built["result"].pdf))
    yield pdf
    pdf.close()


def test_the_pack_is_tagged_pdf_ua_1_with_title_and_language(built, tagged):
    root = tagged.Root
    assert "/StructTreeRoot" in root and root.MarkInfo.Marked is True
    meta = tagged.open_metadata()
    assert meta["pdfuaid:part"] == "1"
    assert meta["dc:title"] == built["content"].title
    assert str(root.Lang) == "en-GB" and root.ViewerPreferences.DisplayDocTitle is True
    assert root.PageMode == "/UseOutlines" and "/First" in root.Outlines
    kinds = {str(node.S) for node in walk(tagged)}
    assert {"/Document", "/H1", "/H2", "/Table", "/TH", "/TD", "/Figure", "/L", "/LI"} <= kinds


def test_every_chart_is_a_figure_whose_alt_states_the_trend_in_words(built, tagged):
    figures = [node for node in walk(tagged) if node.S == "/Figure"]
    rows = [
        row for dep in built["content"].departments for service in dep.services for row in service.rows if row.trend
    ]
    assert len(figures) == len(rows) > 20
    alts = [str(figure.Alt) for figure in figures]
    assert all(alt.strip() for alt in alts)
    measured = [alt for alt in alts if alt.startswith("RAG trend for")]  # the same words as on the web pages
    assert measured and all(
        re.search(r"\((higher|lower) is better\): (improving|getting worse|no change)", a) for a in measured
    )
    assert all("By quarter:" in alt for alt in alts if not alt.endswith("not yet reported."))


def test_running_headers_and_footers_are_artifacts_and_nothing_hangs_outside_the_tree(tagged):
    in_tree = {node.objgen for node in walk(tagged)}
    parent_tree = tagged.Root.StructTreeRoot.ParentTree.Nums
    arrays = {int(parent_tree[i]): parent_tree[i + 1] for i in range(0, len(parent_tree), 2)}
    for number, page in enumerate(tagged.pages):
        data = page.Contents.read_bytes()
        artifacts = data.count(b"/Artifact <</Type /Pagination>> BDC")
        if number == 0:
            assert artifacts == 0  # the cover has no running head
            continue
        assert artifacts >= 4, number  # title, status, producer and "Page n of N"
        mcids = [int(m) for m in re.findall(rb"<</MCID (\d+)>>\s*BDC", data)]
        elements = arrays[int(page.StructParents)]
        for mcid in mcids:
            element = elements[mcid]
            assert isinstance(element, pikepdf.Dictionary) and element.objgen in in_tree, (number, mcid)


def test_reading_order_heading_before_return_and_labels_with_their_values(built):
    text, content = built["text"], built["content"]
    for department in content.departments:
        heading = text.index(f"{department.name} Return: {department.return_progress}")
        assert heading > 0
    schedule = content.schedules[0]
    assert f"Notice period: {schedule.notice_period_months} month" in text
    assert f"Expected service level: {squash(schedule.expected_service_level)[:40]}" in text


def test_rag_is_text_as_well_as_colour_and_a_key_page_explains_it(built):
    starts, pages = built["result"].starts, built["pages"]
    key = pages[starts["key"] - 1]
    for words in (
        "RAG status",
        "Amber tolerance",
        "Housing Revenue Account",
        "Trend charts",
        "R red, A amber, G green",
    ):
        assert words in key, words
    performance = " ".join(pages[starts["performance"] - 1 : starts["departures"] - 1])
    for dep in built["content"].departments:
        for service in dep.services:
            for row in service.rows:
                assert f"{row.trend_words} · {row.rag_letters}" in performance
                assert len(row.rag_letters.split()) == 6


def test_look_at_the_pages(built, tmp_path):
    """pdftoppm draws every page: none is blank, and the cover is the pack's blue."""
    import shutil
    import subprocess

    from PIL import Image

    if not shutil.which("pdftoppm"):
        pytest.skip("poppler-utils is not installed")
    path = tmp_path / "pack.pdf"
    path.write_bytes(built["result"].pdf)
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(path), str(tmp_path / "page")], check=True)
    images = sorted(tmp_path.glob("page-*.png"))
    assert len(images) == built["result"].pages
    for image in images:
        extrema = Image.open(image).convert("L").getextrema()
        assert extrema[0] < 128, image.name  # something dark is drawn on every page
    cover = Image.open(images[0]).convert("RGB")
    assert cover.getpixel((2, 2)) == pytest.approx((29, 112, 184), abs=8)


def test_the_summary_stays_short_however_big_the_council(built):
    """The worst few of each list lead the summary, the rest are counted and listed in full in the annex."""
    import dataclasses

    from reporting.packs.render import pack_html

    content = built["content"]
    rows = [row for dep in content.departments for service in dep.services for row in service.rows]
    many = [dataclasses.replace(row, rag="red", shortfall=n / 100) for n, row in enumerate(rows)]
    many.sort(key=lambda row: -row.shortfall)
    big = dataclasses.replace(
        content,
        red_now=many,
        red_twice=many,
        departments=content.departments * 3,
        open_actions=content.open_actions * 5,
    )
    assert not content.has_annex and "annex" not in dict(content.sections)
    assert big.has_annex and big.sections[-1] == ("annex", "Annex: every exception in full")
    html = pack_html(big)
    summary = html[html.index('id="summary"') : html.index('id="performance"')]
    annex = html[html.index('id="annex"') :]
    assert summary.count("<li>") == 2 * big.summary_limit + len(content.missing_returns) + len(
        content.late_returns
    ) + len(content.notices_served)
    assert f"{big.summary_limit} of {len(many)} shown; all {len(many)} are listed in the annex." in summary
    assert squash(many[0].standard.title) in summary  # the worst first
    assert 'class="returns"' not in summary and f"{len(big.departments)} departments:" in summary
    assert annex.count(squash(many[-1].standard.title)) >= 1 and 'class="returns"' in annex
