"""HTML to PDF with WeasyPrint, one section at a time.

Each section is a document of its own so that sections can be rendered by different
workers (``reporting.tasks``); ``reporting.packs.merge`` puts them back together with the
cover, contents, running header, "Page n of N" footer and bookmarks. No resource is
fetched from outside the service: ``almo_sla.pdf.StaticFilesURLFetcher`` serves only our
static files and refuses everything else (no SSRF).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from functools import cache
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import CSS, HTML

UA_CSS = Path(__file__).resolve().parents[2] / "templates" / "reporting" / "pdf" / "ua.css"

from almo_sla.pdf import StaticFilesURLFetcher
from reporting.packs.content import SECTION_TITLES, SECTIONS, PackContent


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
class RenderedPart:
    """A rendered section: its PDF, page count and bookmarks [(label, level, page index)]."""

    key: str
    pdf: bytes
    pages: int
    bookmarks: list[tuple[str, int, int]]


def section_template(key: str) -> str:
    if key not in SECTION_TITLES:
        raise ValueError(f"Unknown pack section: {key}")
    return f"reporting/pdf/_{key}.html"


# Long sections are cut into parts of this many departments, so that a big pack spreads
# across workers; the merge puts the parts back in order.
DEPARTMENTS_PER_PART = 25


def _department_chunks(content: PackContent, key: str) -> list:
    if key == "performance":
        items = content.departments
    elif key == "terms":
        by_department: dict[int, list] = {}
        for schedule in content.schedules:
            by_department.setdefault(schedule.service.department_id, []).append(schedule)
        items = list(by_department.values())
    else:
        return [None]
    return [items[i : i + DEPARTMENTS_PER_PART] for i in range(0, len(items), DEPARTMENTS_PER_PART)] or [[]]


def part_keys(content: PackContent) -> list[str]:
    """The pack's parts in order: "summary", ..., "performance.0", "performance.1", ..."""
    keys = []
    for key, _title in SECTIONS:
        chunks = _department_chunks(content, key)
        keys += [key] if len(chunks) == 1 else [f"{key}.{n}" for n in range(len(chunks))]
    return keys


def split_part_key(part_key: str) -> tuple[str, int]:
    key, _, chunk = part_key.partition(".")
    section_template(key)
    return key, int(chunk or 0)


def section_html(content: PackContent, part_key: str) -> str:
    key, chunk = split_part_key(part_key)
    context = {"pack": content, "section_template": section_template(key), "chunk": chunk}
    chunks = _department_chunks(content, key)
    if chunks != [None]:
        if chunk >= len(chunks):
            raise ValueError(f"No part {part_key} in this pack.")
        if key == "performance":
            context["departments"] = chunks[chunk]
        else:
            context["schedules"] = [schedule for group in chunks[chunk] for schedule in group]
    return render_to_string("reporting/pdf/part.html", context)


def front_html(content: PackContent, starts: dict[str, int]) -> str:
    contents = [{"key": "contents", "title": "Contents", "page": 2}] + [
        {"key": key, "title": title, "page": starts[key]} for key, title in SECTIONS
    ]
    return render_to_string("reporting/pdf/front.html", {"pack": content, "contents": contents[1:]})


def full_html(content: PackContent) -> str:
    """The whole pack as one HTML document (the reference printed by Chromium in the benchmark)."""
    contents = [{"key": key, "title": title} for key, title in SECTIONS]
    return render_to_string(
        "reporting/pdf/full.html",
        {"pack": content, "css_title": css_string(content.title), "contents": contents, "sections": [(key, section_template(key)) for key, _ in SECTIONS]},
    )


def css_string(text: str) -> str:
    """Text safe inside a double-quoted CSS string (and inside a <style> element)."""
    text = str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    return text.replace("<", "\\3c ").replace(">", "\\3e ")


def overlay_html(*, title: str, status: str, footer: str, pages: int) -> str:
    """One page per page of the pack, carrying only its running header and "Page n of N" footer."""
    return render_to_string(
        "reporting/pdf/overlay.html",
        {"title": title, "status": status, "footer": footer, "pages": range(1, pages + 1), "total": pages},
    )


def html_to_pdf(html: str, key: str = "") -> RenderedPart:
    document = PackHTML(string=html, url_fetcher=StaticFilesURLFetcher()).render()
    bookmarks = []

    def walk(nodes, level):
        for label, (page, _x, _y), children, _state in nodes:
            bookmarks.append((label, level, page))
            walk(children, level + 1)

    walk(document.make_bookmark_tree(), 1)
    pdf = document.write_pdf()
    return RenderedPart(key=key, pdf=pdf, pages=len(document.pages), bookmarks=bookmarks)


def render_section(content: PackContent, part_key: str) -> RenderedPart:
    if settings.BOARD_PACK_TEST_DELAY:  # fault tests only: time to kill a worker mid-render
        time.sleep(settings.BOARD_PACK_TEST_DELAY)
    return html_to_pdf(section_html(content, part_key), part_key)
