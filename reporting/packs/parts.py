"""A board pack rendered in parts, each part cached by a hash of its HTML (issue 15).

The parts, in order: the key, the executive summary, the performance section's heading with
its first group of departments, each further group of departments, departures, improvement, costs, notice
periods, the terms appendix and the annex; then the cover and contents, rendered last.

Page numbers are kept out of the cached parts, so a part's HTML (and its cache key) depends
on its own data only:

- no part names the pack, its date, its status or a page number: the running header and the
  "Page n of N" footer of every page are rendered once for the whole pack (a document of N
  pages that are only margin boxes, cached by its text and N) and stamped on the merged
  pages as pagination artifacts (``reporting.packs.merge``);
- the contents page is in the cover part, rendered after the other parts, once their lengths
  are known, with the page numbers written in. It is one page for any pack, so its length
  is known in advance (checked: rendered again if not).

So a change in one department's return re-renders that department's part and whatever else
shows the change (the summary, the annex, the costs' value-for-money notes), and reuses the
rest (the cover and contents and the running heads too, while the page count, the day and the
pack's status stay the same: they are cached by their HTML like any part); a part that grows by a page moves the later
parts' page numbers without re-rendering them. The terms appendix changes only with the
agreement, so packs of one agreement version share it (its key is its HTML).

Departments go ``DEPARTMENTS_PER_PART`` to a part; each group starts on a new page here (in
the one-pass render they all run on), so a pack in parts has a few more pages.
"""

from __future__ import annotations

import hashlib
import logging
import pickle
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.template.loader import render_to_string

from reporting.packs.merge import Part
from reporting.packs.records import SECTION_TITLES, PackContent

logger = logging.getLogger(__name__)

# Bump when the rendering changes in a way the HTML does not show (CSS files, fonts, the merge).
RENDERER_VERSION = "parts-1"
PDF_TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "reporting" / "pdf"
# The performance section's departments go this many to a part: a part starts a page, so one
# part per department would leave a part-empty page after each (220 departments at scale 20);
# a changed return re-renders its department's group.
DEPARTMENTS_PER_PART = 8
FRONT = "front"
HEADS = "heads"


@dataclass
class PartSource:
    key: str
    html: str
    nested: bool = False
    bookmark_base: int = 0


@dataclass
class RenderStats:
    """What a render did: parts rendered and parts reused (tests and the benchmark read it)."""

    rendered: list[str] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)


def _cache():
    return caches[settings.BOARD_PACK_CACHE]


@cache
def _renderer_digest() -> bytes:
    """What else a part's PDF depends on: this code's version, WeasyPrint's, and the stylesheets."""
    import weasyprint

    digest = hashlib.sha256(f"{RENDERER_VERSION}|{weasyprint.__version__}|".encode())
    for name in ("pack.css", "ua.css"):
        digest.update((PDF_TEMPLATES / name).read_bytes())
    return digest.digest()


def cache_key(html: str) -> str:
    return "board-pack-part:" + hashlib.sha256(_renderer_digest() + html.encode()).hexdigest()


def body_parts(content: PackContent, section_template) -> list[PartSource]:
    """Every part but the cover and contents, in order, as HTML."""
    parts = []
    for key, _title in content.sections:
        if key == "performance":
            size = DEPARTMENTS_PER_PART
            groups = [content.departments[i : i + size] for i in range(0, len(content.departments), size)] or [[]]
            parts.append(
                PartSource(
                    key,
                    render_to_string(
                        "reporting/pdf/part.html",
                        {"pack": content, "template": section_template(key), "departments": groups[0]},
                    ),
                )
            )
            for number, group in enumerate(groups[1:], start=2):
                parts.append(
                    PartSource(
                        f"performance-{number}",
                        render_to_string("reporting/pdf/part.html", {"pack": content, "departments": group}),
                        nested=True,
                        bookmark_base=1,
                    )
                )
        else:
            parts.append(
                PartSource(
                    key,
                    render_to_string("reporting/pdf/part.html", {"pack": content, "template": section_template(key)}),
                )
            )
    return parts


def front_html(content: PackContent, starts: dict[str, int], context: dict) -> str:
    contents = [{"key": key, "title": title, "page": starts[key]} for key, title in content.sections]
    return render_to_string("reporting/pdf/front.html", {**context, "contents": contents})


def heads_html(pages: int, context: dict) -> str:
    return render_to_string("reporting/pdf/heads.html", {**context, "pages": range(pages - 1)})


def render_part(source: PartSource, render_html, stats: RenderStats) -> Part:
    """The part from the cache, or rendered (tagged) and cached."""
    cache = _cache()
    key = cache_key(source.html)
    try:
        cached = cache.get(key)
    except Exception:  # noqa: BLE001 - a cache that fails costs a render, never the pack
        logger.warning("Board pack part cache unavailable (get)", exc_info=True)
        cached = None
    if cached is not None:
        stats.reused.append(source.key)
        part = pickle.loads(cached)
        part.key, part.nested, part.bookmark_base = source.key, source.nested, source.bookmark_base
        return part
    part = render_html(source)
    stats.rendered.append(source.key)
    try:
        cache.set(key, pickle.dumps(part, protocol=pickle.HIGHEST_PROTOCOL), settings.BOARD_PACK_CACHE_SECONDS)
    except Exception:  # noqa: BLE001
        logger.warning("Board pack part cache unavailable (set)", exc_info=True)
    return part


def document_part(source: PartSource, document) -> Part:
    """A ``Part`` of a rendered WeasyPrint document, written as tagged PDF/UA-1."""
    anchors: dict[str, int] = {}
    for number, page in enumerate(document.pages):
        for anchor in page.anchors:
            if anchor in SECTION_TITLES:
                anchors.setdefault(anchor, number)
    bookmarks: list[tuple[str, int, int, float, float]] = []

    def walk(nodes, depth):
        for label, (page, x, y), children, _state in nodes:
            bookmarks.append((label, depth, page, x, y))
            walk(children, depth + 1)

    walk(document.make_bookmark_tree(scale=0.75, transform_pages=True), 1)
    pdf = document.write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True)
    return Part(
        key=source.key,
        pdf=pdf,
        pages=len(document.pages),
        bookmarks=bookmarks,
        anchors=anchors,
        nested=source.nested,
        bookmark_base=source.bookmark_base,
    )
