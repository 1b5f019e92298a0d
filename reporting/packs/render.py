"""A board pack as a tagged PDF (PDF/UA-1), rendered by WeasyPrint in one pass.

One document holds the cover, contents, key, sections and annex, so WeasyPrint builds one
structure tree in reading order, the contents get their page numbers from
``target-counter()``, bookmarks come from the headings (``bookmark-level``) and the running
header and "Page n of N" footer are CSS margin boxes: no second rendering pass and no
merge. Parts rendered apart and merged with pypdf would lose the structure tree; merging
structure trees costs more than the one-pass render saves (see ``benchmarks/board_pack.py``).
``reporting.packs.tagging`` then marks the margin boxes as artifacts.

No resource is fetched from outside the service: ``almo_sla.pdf.StaticFilesURLFetcher`` (a
WeasyPrint ``URLFetcher``) serves only our static files and refuses everything else (no SSRF).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import CSS, HTML

from almo_sla.pdf import StaticFilesURLFetcher
from reporting.packs import tagging
from reporting.packs.records import SECTION_TITLES, PackContent

UA_CSS = Path(__file__).resolve().parents[2] / "templates" / "reporting" / "pdf" / "ua.css"


@cache
def _ua_stylesheet() -> CSS:
    return CSS(string=UA_CSS.read_text(encoding="utf-8"))


class PackHTML(HTML):
    """HTML with a user-agent stylesheet cut down to what packs use (``ua.css``).

    Overrides WeasyPrint's ``_ua_stylesheets`` (weasyprint is pinned in requirements.txt):
    the cascade then matches a handful of rules per element instead of ~150.
    """

    def _ua_stylesheets(self, forms=False):
        return [_ua_stylesheet()]


@dataclass
class PackPdf:
    pdf: bytes
    pages: int
    starts: dict[str, int]  # section key -> first page number (1-based)
    bookmarks: list[tuple[str, int, int]]  # (label, level, page number)


def section_template(key: str) -> str:
    if key not in SECTION_TITLES:
        raise ValueError(f"Unknown pack section: {key}")
    return f"reporting/pdf/_{key}.html"


def css_string(text: str) -> str:
    """Text safe inside a double-quoted CSS string (and inside a <style> element)."""
    text = str(text).replace("\\", "\\\\").replace('"', '\\"')
    text = text.replace("\r", " ").replace("\n", " ").replace("\f", " ")
    return text.replace("<", "\\3c ").replace(">", "\\3e ")


def pack_html(content: PackContent) -> str:
    """The whole pack as one HTML document (also what Chromium prints in the benchmark)."""
    return render_to_string(
        "reporting/pdf/full.html",
        {
            "pack": content,
            "css_title": css_string(content.title),
            "css_status": css_string(f"{content.status_label} · {content.agreement.reference}"),
            "css_footer": css_string(f"{content.agreement.council} · produced {content.produced_on:%-d %B %Y}"),
            "contents": [{"key": key, "title": title} for key, title in content.sections],
            "sections": [(key, section_template(key)) for key, _title in content.sections],
        },
    )


full_html = pack_html  # the benchmark's name for it


def render_pack(content: PackContent) -> PackPdf:
    """Render ``content`` as a tagged PDF/UA-1 document."""
    if settings.BOARD_PACK_TEST_DELAY:  # fault tests only: time to kill a worker mid-render
        time.sleep(settings.BOARD_PACK_TEST_DELAY)
    document = PackHTML(string=pack_html(content), url_fetcher=StaticFilesURLFetcher()).render()
    starts: dict[str, int] = {}
    for number, page in enumerate(document.pages, start=1):
        for anchor in page.anchors:
            if anchor in SECTION_TITLES:
                starts.setdefault(anchor, number)
    bookmarks: list[tuple[str, int, int]] = []

    def walk(nodes, level):
        for label, (page, _x, _y), children, _state in nodes:
            bookmarks.append((label, level, page + 1))
            walk(children, level + 1)

    walk(document.make_bookmark_tree(), 1)
    pdf = document.write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True, uncompressed_pdf=True)
    return PackPdf(pdf=tagging.finish(pdf), pages=len(document.pages), starts=starts, bookmarks=bookmarks)
