"""Issue 12: officers' commentary on each standard reaches the board pack, printed under its row (escaped)."""

from django.template.loader import render_to_string
from django.utils import timezone

from reporting.models import StandardResult
from reporting.packs.content import pack_content
from services.models import Almo
from services.periods import Quarter


def test_the_quarters_commentary_is_printed_under_its_standard_in_the_pack(demo_data):
    almo = Almo.objects.get(pk=demo_data["main"].almo_id)
    quarter = Quarter.containing(timezone.localdate()).previous()
    result = (
        StandardResult.objects.filter(
            quarterly_return__agreement=demo_data["main"],
            quarterly_return__financial_year=quarter.year,
            quarterly_return__quarter=quarter.number,
        )
        .select_related("standard")
        .first()
    )
    result.commentary = "Two crews off sick in August; <b>agency cover</b> from 1 September."
    result.save(update_fields=["commentary"])
    before = StandardResult.objects.filter(
        standard=result.standard,
        quarterly_return__financial_year=quarter.previous().year,
        quarterly_return__quarter=quarter.previous().number,
    ).first()
    if before:
        before.commentary = "Last quarter's note"
        before.save(update_fields=["commentary"])

    content = pack_content(almo=almo, quarter=quarter)
    rows = [row for dep in content.departments for svc in dep.services for row in svc.rows]
    row = next(r for r in rows if r.standard.pk == result.standard_id)
    assert row.commentary == result.commentary
    html = render_to_string("reporting/pdf/_performance.html", {"pack": content})
    assert "Two crews off sick in August; &lt;b&gt;agency cover&lt;/b&gt; from 1 September." in html
    assert "<b>agency cover</b>" not in html and "Last quarter&#x27;s note" not in html
