"""Finishing a tagged (PDF/UA-1) pack with pikepdf.

WeasyPrint tags the pack (structure tree, ``/MarkInfo``, XMP ``pdfuaid:part`` 1, language,
title) but leaves the running header and footer of each page (its CSS margin boxes) as
marked content whose structure elements hang outside the tree: neither content a screen
reader should read on every page nor proper artifacts. Here that content becomes
``/Artifact`` (``/Type /Pagination``), its entries leave the parent tree, and the
catalogue opens on the bookmarks.
"""

from __future__ import annotations

import io
import re

import pikepdf

_MARKED = re.compile(rb"/(\w+)\s*<<\s*/MCID\s+(\d+)\s*>>\s*BDC")
ARTIFACT = b"/Artifact <</Type /Pagination>> BDC"


def _reachable(root: pikepdf.Dictionary) -> set[tuple[int, int]]:
    """Object ids of the structure elements reachable from the structure tree root."""
    seen: set[tuple[int, int]] = set()
    stack = list(_kids(root))
    while stack:
        node = stack.pop()
        if not isinstance(node, pikepdf.Dictionary) or not node.is_indirect:
            continue
        key = node.objgen
        if key in seen:
            continue
        seen.add(key)
        stack.extend(_kids(node))
    return seen


def _kids(node) -> list:
    kids = node.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def _parent_tree_pages(parent_tree: pikepdf.Dictionary) -> dict[int, pikepdf.Array]:
    """{StructParents key: array of structure elements by MCID} from a (flat or nested) number tree."""
    found: dict[int, pikepdf.Array] = {}
    stack = [parent_tree]
    while stack:
        node = stack.pop()
        nums = node.get("/Nums")
        if nums is not None:
            for i in range(0, len(nums), 2):
                value = nums[i + 1]
                if isinstance(value, pikepdf.Array):
                    found[int(nums[i])] = value
        stack.extend(node.get("/Kids", []))
    return found


def mark_running_heads_as_artifacts(pdf: pikepdf.Pdf) -> int:
    """Turn marked content outside the structure tree into pagination artifacts; returns how many."""
    tree = pdf.Root.get("/StructTreeRoot")
    if tree is None:
        raise ValueError("The PDF is not tagged.")
    reachable = _reachable(tree)
    by_page = _parent_tree_pages(tree.ParentTree)
    changed = 0
    for page in pdf.pages:
        key = page.obj.get("/StructParents")
        elements = by_page.get(int(key)) if key is not None else None
        if elements is None:
            continue
        orphans = {
            mcid
            for mcid, element in enumerate(elements)
            if isinstance(element, pikepdf.Dictionary) and element.objgen not in reachable
        }
        if not orphans:
            continue
        contents = page.obj.Contents
        streams = list(contents) if isinstance(contents, pikepdf.Array) else [contents]
        for stream in streams:
            data = stream.read_bytes()

            def replace(match, orphans=orphans):
                return ARTIFACT if int(match.group(2)) in orphans else match.group(0)

            new = _MARKED.sub(replace, data)
            if new != data:
                stream.write(new)
        changed += len(orphans)
        # The parent tree must not point at elements outside the tree: drop those entries.
        for mcid in orphans:
            elements[mcid] = None
    return changed


def finish(pdf_bytes: bytes) -> bytes:
    """The pack's PDF with its running headers and footers as artifacts, opening on its bookmarks."""
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        return finish_open(pdf)


def finish_open(pdf: pikepdf.Pdf, *, heads_are_artifacts: bool = False) -> bytes:
    """``finish`` for a PDF already open. A pack merged from parts has its running heads stamped
    on as artifacts already (``reporting.packs.merge``) and no margin boxes in its parts:
    ``heads_are_artifacts`` skips the search for them (a walk of the whole tree)."""
    if not heads_are_artifacts:
        mark_running_heads_as_artifacts(pdf)
    pdf.Root.PageMode = pikepdf.Name.UseOutlines
    out = io.BytesIO()
    # PDF/UA-1 is PDF 1.7 (ISO 32000-1): a pack merged into a new PDF would otherwise say 1.5
    pdf.save(out, compress_streams=True, object_stream_mode=pikepdf.ObjectStreamMode.generate, min_version="1.7")
    return out.getvalue()
