"""Putting a pack together from separately rendered sections.

Sections rendered apart cannot know their page numbers (a CSS ``target-counter`` does not
cross documents), so the offsets are computed here: the cover and contents are rendered
last with each section's first page, a one-page-per-page overlay carries the running
header and "Page n of N" for the whole pack, and the bookmarks of each part are re-added
at their offset. The PDF carries the pack's title and language.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    TextStringObject,
)

from reporting.packs.content import SECTION_TITLES, SECTIONS, PackContent
from reporting.packs.render import RenderedPart, front_html, html_to_pdf, overlay_html, part_keys, split_part_key


@dataclass
class PackPdf:
    pdf: bytes
    pages: int
    starts: dict[str, int]  # section key -> first page number (1-based)


def ordered_parts(parts: list[RenderedPart]) -> list[RenderedPart]:
    """The parts in pack order (sections in order, each section's parts by number)."""
    order = {key: n for n, (key, _title) in enumerate(SECTIONS)}
    return sorted(parts, key=lambda part: (order[split_part_key(part.key)[0]], split_part_key(part.key)[1]))


def section_starts(parts: list[RenderedPart], front_pages: int) -> dict[str, int]:
    starts, page = {}, front_pages + 1
    for part in ordered_parts(parts):
        starts.setdefault(split_part_key(part.key)[0], page)
        page += part.pages
    return starts


def render_front(content: PackContent, parts: list[RenderedPart]) -> tuple[RenderedPart, dict[str, int]]:
    """Cover and contents, rendered until the page numbers they print are the ones they cause."""
    front_pages = 2
    for _ in range(5):
        starts = section_starts(parts, front_pages)
        front = html_to_pdf(front_html(content, starts), "front")
        if front.pages == front_pages:
            return front, starts
        front_pages = front.pages
    raise RuntimeError("The contents did not settle on a page count.")


def stamp(writer: PdfWriter, page, overlay_page, name: str) -> None:
    """Draw ``overlay_page`` over ``page`` as a form XObject.

    Cheaper than ``PageObject.merge_page`` (which parses and rewrites both content
    streams): the overlay's content is wrapped once and the page gains one ``Do``.
    """
    form = DecodedStreamObject()
    form.set_data(overlay_page.get_contents().get_data())
    form.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): ArrayObject(overlay_page.mediabox),
            NameObject("/Resources"): overlay_page["/Resources"].clone(writer),
        }
    )
    resources = page["/Resources"].get_object()
    xobjects = resources.get("/XObject")
    if xobjects is None:
        xobjects = DictionaryObject()
        resources[NameObject("/XObject")] = xobjects
    xobjects.get_object()[NameObject(name)] = writer._add_object(form)
    draw = DecodedStreamObject()
    draw.set_data(f"q {name} Do Q".encode())
    before = DecodedStreamObject()
    before.set_data(b"q")
    after_original = DecodedStreamObject()
    after_original.set_data(b"Q")
    contents = page.get("/Contents")
    existing = list(contents.get_object()) if isinstance(contents.get_object(), ArrayObject) else [contents]
    page[NameObject("/Contents")] = ArrayObject(
        [writer._add_object(before), *existing, writer._add_object(after_original), writer._add_object(draw)]
    )


def assemble(content: PackContent, parts: list[RenderedPart]) -> PackPdf:
    parts = ordered_parts(parts)
    missing = sorted(set(part_keys(content)) - {part.key for part in parts})
    if missing:
        raise ValueError(f"Parts missing from the pack: {', '.join(missing)}")
    front, starts = render_front(content, parts)
    total = front.pages + sum(part.pages for part in parts)
    overlay = PdfReader(
        io.BytesIO(
            html_to_pdf(
                overlay_html(
                    title=content.title,
                    status=f"{content.status_label} · {content.agreement.reference}",
                    footer=f"{content.agreement.council} · produced {content.produced_on:%-d %B %Y}",
                    pages=total,
                )
            ).pdf
        )
    )
    if len(overlay.pages) != total:
        raise RuntimeError(f"Header and footer overlay has {len(overlay.pages)} pages, the pack {total}.")

    writer = PdfWriter()
    for part in [front, *parts]:
        writer.append(PdfReader(io.BytesIO(part.pdf)), import_outline=False)
    for index in range(1, total):  # no header or footer on the cover
        stamp(writer, writer.pages[index], overlay.pages[index], f"/PackOverlay{index}")

    writer.add_outline_item(title="Contents", page_number=1)
    offset = front.pages
    parents: dict[int, object] = {}
    for part in parts:
        key, chunk = split_part_key(part.key)
        if chunk == 0:
            parents = {}
        for label, level, page in part.bookmarks:
            if level == 1:
                parents[1] = writer.add_outline_item(
                    title=SECTION_TITLES[key] if chunk == 0 and 1 not in parents else label,
                    page_number=offset + page,
                    is_open=False,
                )
            else:
                parents[level] = writer.add_outline_item(
                    title=label, page_number=offset + page, parent=parents.get(level - 1), is_open=False
                )
        offset += part.pages

    writer.add_metadata(
        {
            "/Title": content.title,
            "/Author": str(content.agreement.council),
            "/Subject": f"Quarterly board pack for {content.almo}, {content.quarter.label} ({content.status_label})",
            "/Creator": "almo-sla",
        }
    )
    root = writer._root_object
    root[NameObject("/Lang")] = TextStringObject("en-GB")
    root[NameObject("/ViewerPreferences")] = DictionaryObject({NameObject("/DisplayDocTitle"): BooleanObject(True)})
    root[NameObject("/PageMode")] = NameObject("/UseOutlines")
    out = io.BytesIO()
    writer.write(out)
    return PackPdf(pdf=out.getvalue(), pages=total, starts=starts)
