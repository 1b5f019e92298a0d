"""A board pack as a tagged PDF (PDF/UA-1), rendered by WeasyPrint in parts or in one pass.

``render_pack`` renders the pack in parts (``BOARD_PACK_RENDERER = "parts"``, the default):
each part a tagged PDF of its own, cached by a hash of its HTML (``reporting.packs.parts``),
merged with its structure tree by ``reporting.packs.merge``. Re-rendering a pack after one
department's return changed renders only the parts whose HTML changed.

In one pass (``BOARD_PACK_RENDERER = "one-pass"``), one document holds the cover, contents,
key, sections and annex, so WeasyPrint builds one structure tree in reading order, the
contents get their page numbers from ``target-counter()``, bookmarks come from the headings
(``bookmark-level``) and the running header and "Page n of N" footer are CSS margin boxes;
``reporting.packs.tagging`` then marks the margin boxes as artifacts. (Parts merged with pypdf
would lose the structure tree, hence the pikepdf merge.)

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
from weasyprint.text.fonts import FontConfiguration

from almo_sla.pdf import StaticFilesURLFetcher
from reporting.packs import merge, parts, tagging
from reporting.packs.records import SECTION_TITLES, PackContent

UA_CSS = Path(__file__).resolve().parents[2] / "templates" / "reporting" / "pdf" / "ua.css"
PACK_CSS = UA_CSS.with_name("pack.css")


@cache
def _ua_stylesheet() -> CSS:
    return CSS(string=UA_CSS.read_text(encoding="utf-8"))


@cache
def _pack_stylesheet() -> CSS:
    """pack.css parsed once per process for the parts (each would parse it again from its <style>)."""
    return CSS(string=PACK_CSS.read_text(encoding="utf-8"))


@cache
def _font_config() -> FontConfiguration:
    return FontConfiguration()


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
    stats: parts.RenderStats | None = None  # in parts: which were rendered, which reused


def section_template(key: str) -> str:
    if key not in SECTION_TITLES:
        raise ValueError(f"Unknown pack section: {key}")
    return f"reporting/pdf/_{key}.html"


def css_string(text: str) -> str:
    """Text safe inside a double-quoted CSS string (and inside a <style> element)."""
    text = str(text).replace("\\", "\\\\").replace('"', '\\"')
    text = text.replace("\r", " ").replace("\n", " ").replace("\f", " ")
    return text.replace("<", "\\3c ").replace(">", "\\3e ")


def _running_text(content: PackContent) -> dict:
    return {
        "pack": content,
        "css_title": css_string(content.title),
        "css_status": css_string(f"{content.status_label} · {content.agreement.reference}"),
        "css_footer": css_string(f"{content.agreement.council} · produced {content.produced_on:%-d %B %Y}"),
    }


def pack_html(content: PackContent) -> str:
    """The whole pack as one HTML document (also what Chromium prints in the benchmark)."""
    return render_to_string(
        "reporting/pdf/full.html",
        {
            **_running_text(content),
            "contents": [{"key": key, "title": title} for key, title in content.sections],
            "sections": [(key, section_template(key)) for key, _title in content.sections],
        },
    )


full_html = pack_html  # the benchmark's name for it


def render_pack(content: PackContent) -> PackPdf:
    """Render ``content`` as a tagged PDF/UA-1 document (in parts or in one pass: ``BOARD_PACK_RENDERER``)."""
    if settings.BOARD_PACK_TEST_DELAY:  # fault tests only: time to kill a worker mid-render
        time.sleep(settings.BOARD_PACK_TEST_DELAY)
    if settings.BOARD_PACK_RENDERER == "one-pass":
        return render_pack_one_pass(content)
    return render_pack_in_parts(content)


def _render(html: str):
    return PackHTML(string=html, url_fetcher=StaticFilesURLFetcher()).render()


def _render_with_pack_css(html: str):
    """A part: pack.css already parsed, fonts configured once per process."""
    return PackHTML(string=html, url_fetcher=StaticFilesURLFetcher()).render(
        stylesheets=[_pack_stylesheet()], font_config=_font_config()
    )


def _render_part(source: parts.PartSource) -> merge.Part:
    return parts.document_part(source, _render_with_pack_css(source.html))


# The cover is one page and the contents one more, whatever the pack (checked when rendered).
FRONT_PAGES = 2


def render_pack_in_parts(content: PackContent) -> PackPdf:
    """Render each part (or take it from the cache), then the cover and contents with the parts'
    page numbers, then the running heads; merge them with their structure trees."""
    stats = parts.RenderStats()
    running = _running_text(content)
    body = [parts.render_part(source, _render_part, stats) for source in parts.body_parts(content, section_template)]
    front_pages = FRONT_PAGES
    for _attempt in range(3):
        starts: dict[str, int] = {"contents": 2}
        number = front_pages + 1
        for part in body:
            for key, index in part.anchors.items():
                starts.setdefault(key, number + index)
            number += part.pages
        source = parts.PartSource(parts.FRONT, parts.front_html(content, starts, running))
        front = parts.render_part(source, _render_part, stats)  # the same pages, day and status: reused
        front.anchors = {}  # its entries' ids are only there to make their links; the sections' own win
        if front.pages == front_pages:
            break
        front_pages = front.pages
    else:
        raise RuntimeError("The cover and contents did not settle on a page count.")
    total = front.pages + sum(part.pages for part in body)
    heads_source = parts.PartSource(parts.HEADS, parts.heads_html(total, running))
    heads = parts.render_part(heads_source, _render_heads, stats)
    merged = merge.merge([front, *body], heads=heads.pdf)
    pdf = tagging.finish_open(merged, heads_are_artifacts=True)
    bookmarks = [(label, level, index + 1) for label, level, index, _x, _y in merged.bookmark_list]
    return PackPdf(pdf=pdf, pages=total, starts=merged.starts, bookmarks=bookmarks, stats=stats)


def _render_heads(source: parts.PartSource) -> merge.Part:
    document = _render_with_pack_css(source.html)
    pdf = document.write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True)
    return merge.Part(key=source.key, pdf=pdf, pages=len(document.pages), bookmarks=[])


def render_pack_one_pass(content: PackContent) -> PackPdf:
    """Render ``content`` as one tagged PDF/UA-1 document."""
    document = _render(pack_html(content))
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
