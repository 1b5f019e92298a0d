"""Merging tagged (PDF/UA-1) parts of a board pack into one tagged PDF with pikepdf.

pypdf drops the structure tree when it merges; here each part's tree is kept:

- one ``/StructTreeRoot`` whose ``/Document`` element holds each part's top elements in
  order (their ``/P`` moved to it; a department's part goes inside the performance
  section's element, as in the one-pass render);
- one ``/ParentTree``: each part's keys (pages' ``/StructParents``, annotations'
  ``/StructParent``) moved up by the keys of the parts before it;
- ``/RoleMap`` and ``/ClassMap`` merged, named destinations merged (a later part's
  anchor wins, so the contents entries' links land on their sections);
- bookmarks rebuilt from the parts' headings with destinations on the merged pages;
- the running header and footer ("Page n of N") of each page, rendered once for the whole
  pack, stamped on the page as pagination artifacts;
- catalogue and metadata (title, ``/Lang``, ``/MarkInfo``, ``/ViewerPreferences``, XMP
  ``pdfuaid:part`` 1) from the first part, which is the only one that names the pack.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

import pikepdf
from pikepdf import Array, Dictionary, Name

from reporting.packs.tagging import ARTIFACT

_MARKED = re.compile(rb"/\w+\s*<<\s*/MCID\s+\d+\s*>>\s*BDC")
_NAME = re.compile(rb"/([^\s/\[\]<>(){}%]+)")
RESOURCE_KINDS = ("/Font", "/ExtGState", "/ColorSpace", "/Pattern", "/Shading", "/XObject", "/Properties")


@dataclass
class Part:
    """A part rendered apart: its PDF and what the merge needs to know about its pages."""

    key: str
    pdf: bytes
    pages: int
    bookmarks: list[tuple[str, int, int, float, float]]  # (label, depth from 1, page index, x, y)
    anchors: dict[str, int] = field(default_factory=dict)  # section key -> page index in the part
    nested: bool = False  # its elements go inside the previous part's last top element
    bookmark_base: int = 0  # added to its bookmarks' depth


@dataclass
class RunningHeads:
    """Each page's running header and footer as content (pagination artifacts) and its resources."""

    streams: list[bytes]
    resources: list[pikepdf.Dictionary]
    pdf: pikepdf.Pdf


def running_heads(pdf_bytes: bytes) -> RunningHeads:
    """Read the rendered running heads: every marked content becomes a pagination artifact and
    every resource name gets an ``H`` in front, so it cannot clash with the page's own."""
    pdf = pikepdf.open(io.BytesIO(pdf_bytes))
    streams, resources = [], []
    for page in pdf.pages:
        names: set[bytes] = set()
        res = page.obj.get("/Resources", Dictionary())
        renamed = Dictionary()
        for kind in RESOURCE_KINDS:
            if kind in res:
                renamed[kind] = Dictionary({f"/H{str(k)[1:]}": v for k, v in res[kind].items()})
                names.update(str(k)[1:].encode() for k in res[kind].keys())
        data = _MARKED.sub(ARTIFACT, page.obj.Contents.read_bytes())
        data = _NAME.sub(lambda m, names=names: b"/H" + m.group(1) if m.group(1) in names else m.group(0), data)
        streams.append(data)
        resources.append(renamed)
    return RunningHeads(streams=streams, resources=resources, pdf=pdf)


def _nums(tree: pikepdf.Dictionary) -> list[tuple[int, object]]:
    """The (key, value) pairs of a number tree, flat or nested."""
    found, stack = [], [tree]
    while stack:
        node = stack.pop()
        nums = node.get("/Nums")
        if nums is not None:
            found.extend((int(nums[i]), nums[i + 1]) for i in range(0, len(nums), 2))
        stack.extend(node.get("/Kids", []))
    return found


def _names(tree: pikepdf.Dictionary) -> list[tuple[str, object]]:
    found, stack = [], [tree]
    while stack:
        node = stack.pop()
        names = node.get("/Names")
        if names is not None:
            found.extend((str(names[i]), names[i + 1]) for i in range(0, len(names), 2))
        stack.extend(node.get("/Kids", []))
    return found


def _stamp(pdf: pikepdf.Pdf, page: pikepdf.Page, heads: RunningHeads, index: int) -> None:
    """The page's own content, then its running heads, in one content stream."""
    obj = page.obj
    contents = obj.Contents
    body = b"\n".join(s.read_bytes() for s in contents) if isinstance(contents, Array) else contents.read_bytes()
    resources = obj.get("/Resources")
    if resources is None:
        resources = obj.Resources = Dictionary()
    copied = pdf.copy_foreign(heads.pdf.make_indirect(heads.resources[index]))
    for kind, entries in copied.items():
        if kind not in resources:
            resources[kind] = Dictionary()
        target = resources[kind]
        for name, value in entries.items():
            if name not in target:
                target[name] = value
    obj.Contents = pdf.make_stream(b"q\n" + body + b"\nQ\nq\n" + heads.streams[index] + b"\nQ\n")


def merge(parts: list[Part], heads: bytes | None = None) -> pikepdf.Pdf:
    """One tagged PDF of ``parts`` in order (the first names the pack), with ``heads`` stamped on."""
    out = pikepdf.new()
    first = pikepdf.open(io.BytesIO(parts[0].pdf))
    tree_root = out.make_indirect(Dictionary(Type=Name.StructTreeRoot))
    document = out.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Document, K=Array(), P=tree_root))
    tree_root.K = Array([document])
    nums: list = []
    next_key = 0
    role_map, class_map = Dictionary(), Dictionary()
    dests: dict[str, object] = {}
    bookmarks: list[tuple[str, int, int, float, float]] = []
    starts: dict[str, int] = {}
    last_top = None
    opened = [first]
    for part in parts:
        src = first if part is parts[0] else pikepdf.open(io.BytesIO(part.pdf))
        if src is not first:
            opened.append(src)
        offset = len(out.pages)
        for page in src.pages:
            out.pages.append(page)
        if len(out.pages) - offset != part.pages:
            raise ValueError(f"Part {part.key}: {len(out.pages) - offset} pages, expected {part.pages}")
        source_tree = src.Root.get("/StructTreeRoot")
        if source_tree is None:
            raise ValueError(f"Part {part.key} is not tagged.")
        tree = out.copy_foreign(source_tree)
        # the part's top elements, under its /Document element
        tops = []
        for kid in _kids(tree):
            if kid.get("/S") == Name.Document:
                tops.extend(_kids(kid))
            else:
                tops.append(kid)
        parent = last_top if part.nested and last_top is not None else document
        for top in tops:
            top.P = parent
            parent.K.append(top)
        if not part.nested and tops:
            last_top = tops[-1]
        # parent tree keys move up past the parts before
        pairs = _nums(tree.ParentTree) if "/ParentTree" in tree else []
        for key, value in pairs:
            nums.append((key + next_key, value))
        for page in out.pages[offset:]:
            if "/StructParents" in page.obj:
                page.obj.StructParents = int(page.obj.StructParents) + next_key
            for annotation in page.obj.get("/Annots", []):
                if "/StructParent" in annotation:
                    annotation.StructParent = int(annotation.StructParent) + next_key
        next_key += max((key for key, _ in pairs), default=-1) + 1
        for source, target in (("/RoleMap", role_map), ("/ClassMap", class_map)):
            for name, value in tree.get(source, Dictionary()).items():
                target[name] = value
        names = src.Root.get("/Names")
        if names is not None and "/Dests" in names:
            for name, value in _names(names.Dests):
                dests[name] = out.copy_foreign(value if value.is_indirect else src.make_indirect(value))
        for label, depth, index, x, y in part.bookmarks:
            bookmarks.append((label, depth + part.bookmark_base, offset + index, x, y))
        for key, index in part.anchors.items():
            starts.setdefault(key, offset + index + 1)

    nums.sort(key=lambda pair: pair[0])
    tree_root.ParentTree = out.make_indirect(Dictionary(Nums=Array([item for pair in nums for item in pair])))
    tree_root.ParentTreeNextKey = next_key
    if role_map:
        tree_root.RoleMap = role_map
    if class_map:
        tree_root.ClassMap = class_map
    root = out.Root
    root.StructTreeRoot = tree_root
    root.MarkInfo = Dictionary(Marked=True)
    root.Lang = first.Root.get("/Lang", pikepdf.String("en-GB"))
    root.ViewerPreferences = Dictionary(DisplayDocTitle=True)
    if "/Metadata" in first.Root:
        root.Metadata = out.copy_foreign(first.Root.Metadata)
    out.docinfo = out.copy_foreign(first.docinfo)
    if dests:
        root.Names = Dictionary(
            Dests=Dictionary(
                Names=Array([item for name in sorted(dests) for item in (pikepdf.String(name), dests[name])])
            )
        )
    _outline(out, bookmarks)
    if heads is not None:
        stamps = running_heads(heads)
        if len(stamps.streams) != len(out.pages):
            raise ValueError(f"{len(stamps.streams)} running heads for {len(out.pages)} pages")
        for index, page in enumerate(out.pages):
            _stamp(out, page, stamps, index)
        opened.append(stamps.pdf)
    out.starts = starts  # type: ignore[attr-defined] - read by the renderer
    out.bookmark_list = bookmarks  # type: ignore[attr-defined]
    out._opened_parts = opened  # type: ignore[attr-defined] - kept open until the merged PDF is saved
    return out


def _kids(node) -> list:
    kids = node.get("/K")
    if kids is None:
        return []
    kids = list(kids) if isinstance(kids, Array) else [kids]
    return [kid for kid in kids if isinstance(kid, Dictionary)]


def _outline(pdf: pikepdf.Pdf, bookmarks: list[tuple[str, int, int, float, float]]) -> None:
    with pdf.open_outline() as outline:
        outline.root.clear()
        stack: list[tuple[int, list]] = [(0, outline.root)]
        for label, level, index, x, y in bookmarks:
            while stack[-1][0] >= level:
                stack.pop()
            item = pikepdf.OutlineItem(label, index, "XYZ", left=x, top=y)
            stack[-1][1].append(item)
            stack.append((level, item.children))
