"""A pack rendered in parts (issue 15): the parts' structure trees merge into one, bookmarks and
contents links land on the merged pages, and a part whose HTML did not change is not rendered
again (a department's changed return; the terms appendix shared by two packs of one agreement)."""

import re
import uuid
from io import BytesIO
from unittest import mock

import pikepdf
import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from pypdf import PdfReader

from reporting import demo
from reporting.models import StandardResult
from reporting.packs import merge, parts, render
from reporting.packs.content import pack_content
from services.models import Almo
from services.periods import Quarter

KNH = "kirkby-neighbourhood-homes"
pytestmark = pytest.mark.django_db


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def part_htmls(content) -> dict[str, str]:
    return {source.key: source.html for source in parts.body_parts(content, render.section_template)}


@pytest.fixture(scope="module")
def renders(django_db_setup, django_db_blocker):
    """With an empty cache of parts: the demo pack; the same pack after one department's return
    changed; the previous quarter's pack of the same agreement. WeasyPrint's renders are counted."""
    cache = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": f"parts-{uuid.uuid4()}"}
    rendered_html: list[str] = []
    real = render._render_with_pack_css

    def counting(html):
        rendered_html.append(html)
        return real(html)

    found = {}
    with (
        django_db_blocker.unblock(),
        override_settings(
            CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}, "board_packs": cache},
            BOARD_PACK_RENDERER="parts",
        ),
        mock.patch.object(render, "_render_with_pack_css", counting),
    ):
        if not Almo.objects.filter(slug=KNH).exists():  # a transactional test flushed the session's demo data
            demo.seed()
        almo = Almo.objects.get(slug=KNH)
        quarter = Quarter.containing(timezone.localdate()).previous()

        content = pack_content(almo=almo, quarter=quarter)
        found["first"] = (content, render.render_pack(content), list(rendered_html))

        # one department's return changes: one figure of a department in the second group of departments
        department = content.departments[parts.DEPARTMENTS_PER_PART]
        with transaction.atomic():
            result = (
                StandardResult.objects.filter(
                    quarterly_return__agreement__almo=almo,
                    quarterly_return__financial_year=quarter.year,
                    quarterly_return__quarter=quarter.number,
                    quarterly_return__department__name=department.name,
                    actual__isnull=False,
                )
                .order_by("pk")
                .first()
            )
            StandardResult.objects.filter(pk=result.pk).update(actual=result.actual + 7)
            changed = pack_content(almo=almo, quarter=quarter)
            rendered_html.clear()
            found["changed"] = (changed, render.render_pack(changed), list(rendered_html), department.name)
            transaction.set_rollback(True)

        before = pack_content(almo=almo, quarter=quarter.previous())
        rendered_html.clear()
        found["previous quarter"] = (before, render.render_pack(before), list(rendered_html))
    return found


@pytest.fixture(scope="module")
def merged(renders):
    _content, result, _html = renders["first"]
    pdf = pikepdf.open(BytesIO(result.pdf))
    yield pdf
    pdf.close()


def _kids(node):
    kids = node.get("/K")
    kids = list(kids) if isinstance(kids, pikepdf.Array) else [] if kids is None else [kids]
    return [k for k in kids if isinstance(k, pikepdf.Dictionary)]


def test_the_merged_pack_has_one_structure_tree_reaching_every_pages_marked_content(renders, merged):
    assert merged.pdf_version == "1.7"  # PDF/UA-1 is ISO 32000-1
    root = merged.Root.StructTreeRoot
    [document] = _kids(root)
    assert document.S == "/Document" and document.P.objgen == root.objgen
    elements, stack = {}, [document]
    while stack:
        node = stack.pop()
        for kid in _kids(node):
            if kid.get("/Type") in ("/MCR", "/OBJR"):
                continue
            assert kid.P.objgen == node.objgen  # every element's parent is the one it hangs from
            elements[kid.objgen] = kid
            stack.append(kid)
    pages = {page.obj.objgen for page in merged.pages}
    assert all(element.Pg.objgen in pages for element in elements.values() if "/Pg" in element)
    nums = root.ParentTree.Nums
    parent_tree = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
    assert int(root.ParentTreeNextKey) == max(parent_tree) + 1
    keys = [int(page.StructParents) for page in merged.pages]
    assert len(set(keys)) == len(keys)  # each page its own entry
    for number, page in enumerate(merged.pages):
        mcids = [int(m) for m in re.findall(rb"<</MCID (\d+)>>\s*BDC", page.Contents.read_bytes())]
        assert mcids, number  # every page, from every part, has tagged content
        by_mcid = parent_tree[int(page.StructParents)]
        for mcid in mcids:
            element = by_mcid[mcid]
            assert element.objgen in elements, (number, mcid)
        for annotation in page.get("/Annots", []):
            element = parent_tree[int(annotation.StructParent)]  # the link, or a span inside it
            assert element.objgen in elements and "/Link" in (element.S, element.P.S), number
    # the departments of later parts sit inside the performance section, as in the one-pass render
    sections = [kid for kid in _kids(document) if kid.S == "/Sect"]
    performance = [s for s in sections if any(k.get("/S") == "/H1" for k in _kids(s))]
    content = renders["first"][0]
    divisions = [k for s in performance for k in _kids(s) if k.get("/S") == "/Div"]
    assert len(divisions) >= len(content.departments)


def test_bookmarks_and_contents_links_land_on_the_right_pages(renders):
    content, result, _html = renders["first"]
    reader = PdfReader(BytesIO(result.pdf))
    pages = [squash(page.extract_text()) for page in reader.pages]

    def walk(items):
        for item in items:
            if isinstance(item, list):
                yield from walk(item)
            else:
                yield item

    bookmarks = list(walk(reader.outline))
    assert len(bookmarks) > len(content.sections) + len(content.departments)
    for item in bookmarks:
        page = reader.get_destination_page_number(item)
        assert squash(item.title) in pages[page], (item.title, page + 1)
    # each contents entry links to its section's first page
    destinations = reader.named_destinations
    links = [annotation.get_object() for annotation in reader.pages[1].get("/Annots", [])]
    targets = {str(link["/Dest"]) for link in links}
    assert targets == {key for key, _title in content.sections}
    for key, title in content.sections:
        page = reader.get_destination_page_number(destinations[key])
        assert page + 1 == result.starts[key] and title in pages[page]
        assert re.search(rf"{re.escape(title)} \.[. ]* {page + 1}\b", pages[1]), title


def test_a_changed_return_renders_again_only_the_parts_whose_html_changed(renders):
    content, first, first_html = renders["first"]
    changed, again, again_html, department = renders["changed"]
    before, after = part_htmls(content), part_htmls(changed)
    assert len(first_html) == len(before) + 2  # every part, the cover and contents, the running heads
    differ = {key for key in after if before.get(key) != after[key]}
    rendered = {key for key, html in after.items() if html in again_html}
    assert rendered == differ == set(again.stats.rendered) - {parts.FRONT, parts.HEADS}
    # the page count did not move, so the cover and contents and the running heads are the same HTML too
    assert again.pages == first.pages and {parts.FRONT, parts.HEADS} <= set(again.stats.reused)
    assert len(again_html) == len(differ)
    assert "performance-2" in differ and department in after["performance-2"]  # the department's group
    assert {"performance", "key", "departures", "notice", "terms"} <= set(again.stats.reused)
    assert len(differ) <= len(after) // 2


def test_the_terms_appendix_is_reused_by_another_pack_of_the_same_agreement_version(renders):
    content, _result, _html = renders["first"]
    before, result, rendered = renders["previous quarter"]
    assert before.agreement.pk == content.agreement.pk and before.quarter != content.quarter
    assert part_htmls(before)["terms"] == part_htmls(content)["terms"]
    assert "terms" in result.stats.reused and "terms" not in result.stats.rendered
    assert part_htmls(before)["terms"] not in rendered
    text = squash(" ".join(page.extract_text() for page in PdfReader(BytesIO(result.pdf)).pages))
    assert "Appendix: the agreement's current terms" in text and before.title in text


def test_a_failing_cache_costs_a_render_not_the_pack(monkeypatch):
    class Broken:
        def get(self, key):
            raise OSError("read-only file system")

        def set(self, key, value, timeout):
            raise OSError("read-only file system")

    monkeypatch.setattr(parts, "_cache", Broken)
    made = []

    def fake_render(source):
        made.append(source.key)
        return merge.Part(key=source.key, pdf=b"%PDF", pages=1, bookmarks=[])

    stats = parts.RenderStats()
    part = parts.render_part(parts.PartSource("terms", "<p>terms</p>"), fake_render, stats)
    assert part.pages == 1 and made == ["terms"] and stats.rendered == ["terms"]
