"""HTML to PDF with WeasyPrint, one section at a time.

Each section is a document of its own so that sections can be rendered by different
workers (``reporting.tasks``); ``reporting.packs.merge`` puts them back together with the
cover, contents, running header, "Page n of N" footer and bookmarks. No resource is
fetched from outside the document: the URL fetcher refuses everything (no SSRF).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.template.loader import render_to_string
from weasyprint import HTML

from reporting.packs.content import SECTION_TITLES, SECTIONS, PackContent


def _refuse(url, *args, **kwargs):
    raise ValueError(f"Board packs load nothing from outside the document ({url}).")


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


def section_html(content: PackContent, key: str) -> str:
    return render_to_string("reporting/pdf/part.html", {"pack": content, "section_template": section_template(key)})


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
    document = HTML(string=html, url_fetcher=_refuse).render()
    bookmarks = []

    def walk(nodes, level):
        for label, (page, _x, _y), children, _state in nodes:
            bookmarks.append((label, level, page))
            walk(children, level + 1)

    walk(document.make_bookmark_tree(), 1)
    pdf = document.write_pdf()
    return RenderedPart(key=key, pdf=pdf, pages=len(document.pages), bookmarks=bookmarks)


def render_section(content: PackContent, key: str) -> RenderedPart:
    return html_to_pdf(section_html(content, key), key)
