"""Published performance: only accepted figures of published quarters reach the public page and the open data."""

import csv
import io
from decimal import Decimal

import pytest
import tablib
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from agreements.models import Standard
from reporting.models import QuarterlyReturn, StandardResult
from reporting.public import plain
from reporting.public.models import PublishedQuarter
from reporting.public.services import quarter_publish
from services.periods import Quarter

READY = Quarter(2026, 1)  # every return accepted, not yet published in the demo
OUTSTANDING = Quarter(2026, 2)  # some returns overdue or sent back
PUBLISHED = Quarter(2025, 1)
MARK = Decimal("77.7")  # a figure no demo result has


CARS = "Abandoned cars removed within 24 hours of report"
ICT = "Service desk calls answered within 60 seconds"  # ICT's 2026/27 Q2 return was sent back


def cars_result(almo, quarter, title=CARS) -> StandardResult:
    return StandardResult.objects.get(
        quarterly_return__agreement__almo=almo,
        quarterly_return__financial_year=quarter.year,
        quarterly_return__quarter=quarter.number,
        standard__title=title,
    )


def mark(almo, quarter, title=CARS) -> StandardResult:
    result = cars_result(almo, quarter, title)
    result.actual, result.rag = MARK, "red"
    result.save()
    return result


def public_text(client, almo) -> str:
    pages = [reverse("reporting:public_performance", args=[almo.slug])]
    pages += [reverse("reporting:public_performance_quarter", args=[almo.slug, q.slug]) for q in (PUBLISHED,)]
    body = "".join(client.get(url).content.decode() for url in pages)
    body += client.get(reverse("reporting:public_open_data", args=[almo.slug, "csv"])).content.decode()
    ods = tablib.Dataset().load(
        client.get(reverse("reporting:public_open_data", args=[almo.slug, "ods"])).content, format="ods"
    )
    return body + ods.export("csv")


def test_unpublished_and_unaccepted_figures_never_leak(client, demo_data):
    almo = demo_data["main"].almo
    mark(almo, READY)  # accepted but not published
    unaccepted = mark(almo, OUTSTANDING, ICT)
    assert unaccepted.quarterly_return.status != QuarterlyReturn.Status.ACCEPTED
    # a published quarter whose return is no longer accepted (reopened by an administrator) is withheld too
    reopened = mark(almo, PUBLISHED)
    QuarterlyReturn.objects.filter(pk=reopened.quarterly_return_id).update(status=QuarterlyReturn.Status.SENT_BACK)
    # another ALMO's published figure never shows on this ALMO's page
    south = PublishedQuarter.objects.exclude(almo=almo).first()
    mark(south.almo, south.period)
    text = public_text(client, almo)
    assert "77.7" not in text
    assert "2026/27" not in text  # no quarter of this year is published yet
    assert "Abandoned cars removed within 24 hours of report" in text  # other published figures are there


def test_publishing_makes_the_quarter_public_and_keeps_earlier_ones(client, demo_data, demo_user):
    almo = demo_data["main"].almo
    mark(almo, READY)
    before = PublishedQuarter.objects.filter(almo=almo).count()
    quarter_publish(almo=almo, quarter=READY, by=demo_user("coordinator"))
    assert PublishedQuarter.objects.filter(almo=almo).count() == before + 1
    page = client.get(reverse("reporting:public_performance", args=[almo.slug])).content.decode()
    assert "How council services performed in 2026/27 Q1" in page
    assert "77.7 hours on average, target 24 hours — not met" in page
    assert f'href="{reverse("reporting:public_performance_quarter", args=[almo.slug, PUBLISHED.slug])}"' in page
    rows = list(
        csv.DictReader(
            io.StringIO(client.get(reverse("reporting:public_open_data", args=[almo.slug, "csv"])).content.decode())
        )
    )
    mine = [r for r in rows if r["Financial year"] == "2026/27" and r["Standard"].startswith("Abandoned cars")]
    assert [r["Actual"] for r in mine] == ["77.7"] and mine[0]["RAG"] == "Red"


def test_a_quarter_with_returns_not_accepted_cannot_be_published(demo_data, demo_user):
    almo = demo_data["main"].almo
    with pytest.raises(ValidationError) as error:
        quarter_publish(almo=almo, quarter=OUTSTANDING, by=demo_user("coordinator"))
    message = " ".join(error.value.message_dict["quarter"])
    assert "Democratic Services" in message and "ICT Services" in message
    with pytest.raises(ValidationError):  # already published
        quarter_publish(almo=almo, quarter=PUBLISHED, by=demo_user("coordinator"))
    with pytest.raises(PermissionDenied):  # another ALMO's coordinator
        quarter_publish(almo=almo, quarter=READY, by=demo_user("east.coordinator"))


def test_publish_view_offers_only_ready_quarters(client_as, demo_data):
    almo = demo_data["main"].almo
    client = client_as("coordinator")
    url = reverse("reporting:public_publish", args=[almo.slug])
    html = client.get(url).content.decode()
    assert 'value="2026-27-Q1"' in html and 'value="2026-27-Q2"' not in html
    assert "Democratic Services (draft)" in html and "ICT Services (sent back)" in html
    response = client.post(url, {"quarter": OUTSTANDING.slug})
    assert response.status_code == 200 and "from the list" in response.content.decode()  # the message names the field
    response = client.post(url, {"quarter": READY.slug})
    assert response.status_code == 302
    assert response.url == reverse("reporting:public_performance_quarter", args=[almo.slug, READY.slug])


def test_plain_english_sentence_and_trend():
    standard = Standard(
        title="Abandoned cars removed within 24 hours",
        kind="measured",
        unit="hours",
        direction="lower",
        amber_tolerance=Decimal("12"),
    )
    now = StandardResult(standard=standard, target_value=Decimal("24.00"), actual=Decimal("21.60"), rag="green")
    assert plain.sentence(now) == "Abandoned cars removed within 24 hours: 21.6 hours on average, target 24 hours — met"
    before = StandardResult(standard=standard, target_value=Decimal("24"), actual=Decimal("30"), rag="amber")
    assert plain.trend(now, before) == "Better than the previous quarter (30 hours)"
    assert plain.trend(before, now) == "Worse than the previous quarter (21.6 hours)"
    assert plain.trend(now, None) == "First published quarter for this standard"
    percent = Standard(title="Calls answered within 30 seconds", kind="measured", unit="percent", direction="higher")
    result = StandardResult(standard=percent, target_value=Decimal("80"), actual=Decimal("78"), rag="amber")
    assert plain.sentence(result) == "Calls answered within 30 seconds: 78%, target 80% — just missed"


def test_open_data_neutralises_formulas(client, demo_data):
    almo = demo_data["main"].almo
    result = cars_result(almo, PUBLISHED)
    Standard.objects.filter(pk=result.standard_id).update(title='=HYPERLINK("http://evil.example","x")')
    text = client.get(reverse("reporting:public_open_data", args=[almo.slug, "csv"])).content.decode()
    rows = list(csv.reader(io.StringIO(text)))
    cells = [cell for row in rows for cell in row if "HYPERLINK" in cell]
    assert cells and all(cell.startswith("'") for cell in cells if cell.startswith(("'=", "=")))
    assert not any(cell.startswith("=") for cell in cells)
    ods = tablib.Dataset().load(
        client.get(reverse("reporting:public_open_data", args=[almo.slug, "ods"])).content, format="ods"
    )
    assert all(not str(v).startswith("=") for row in ods for v in row)
    response = client.get(reverse("reporting:public_open_data", args=[almo.slug, "ods"]))
    assert response["Content-Type"] == "application/vnd.oasis.opendocument.spreadsheet"


def test_public_page_needs_no_sign_in_and_keeps_its_queries_pinned(client, demo_data, django_assert_max_num_queries):
    almo = demo_data["main"].almo
    with django_assert_max_num_queries(8):
        response = client.get(reverse("reporting:public_performance", args=[almo.slug]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Accessibility statement" in html and "Sign out" not in html
    assert "Commercially" not in html and "£" not in html  # no costs on the public page
    statement = client.get(reverse("reporting:public_accessibility")).content.decode()
    assert "WCAG 2.2" in statement and "Enforcement procedure" in statement


def test_unpublished_quarters_count_in_the_database_and_name_what_they_wait_for(demo_data, django_assert_num_queries):
    """Issue 17: the quarters to publish are counted in one grouped query (the dashboard asks on every view);
    the publish page adds one query naming the departments each quarter waits for, in name order."""
    from reporting.public.selectors import unpublished_quarters

    almo = demo_data["main"].almo
    returns = QuarterlyReturn.objects.filter(agreement__almo=almo)
    with django_assert_num_queries(2):
        quick = unpublished_quarters(almo=almo, with_waiting=False)
    with django_assert_num_queries(3):
        full = unpublished_quarters(almo=almo)
    published = {
        Quarter(y, q) for y, q in PublishedQuarter.objects.filter(almo=almo).values_list("financial_year", "quarter")
    }
    assert PUBLISHED in published
    expected = sorted({r.period for r in returns} - published, reverse=True)
    assert [p.quarter for p in quick] == [p.quarter for p in full] == expected
    by_quarter = {p.quarter: p for p in full}
    for item in full:
        in_quarter = returns.filter(financial_year=item.quarter.year, quarter=item.quarter.number)
        assert item.returns == in_quarter.count()
        assert item.accepted == in_quarter.filter(status=QuarterlyReturn.Status.ACCEPTED).count()
        waiting = in_quarter.exclude(status=QuarterlyReturn.Status.ACCEPTED).select_related("department")
        assert item.waiting == [
            f"{r.department.name} ({r.get_status_display().lower()})"
            for r in sorted(waiting, key=lambda r: (r.department.name, r.pk))
        ]
        assert not {p.quarter: p for p in quick}[item.quarter].waiting
    assert by_quarter[READY].ready and not by_quarter[OUTSTANDING].ready
    assert by_quarter[OUTSTANDING].waiting  # the sent-back ICT return, at least
