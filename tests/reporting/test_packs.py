"""Requesting, rendering, failing, retrying and downloading board packs (tasks eager here)."""

import datetime as dt
from decimal import Decimal as D
from io import BytesIO

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from reporting.charts import SPARKLINE, Quarterly, trend
from reporting.models import BoardPack
from reporting.packs import services
from reporting.packs.content import SECTIONS, pack_quarters
from reporting.packs.storage import save_atomically
from reporting.tasks import render_board_pack
from services.models import Almo
from services.periods import Quarter
from tests.reporting.pack_factories import PDF, failed_pack, ready_pack

LAST_QUARTER = Quarter.containing(timezone.localdate()).previous()


@pytest.fixture
def knh(demo_data):
    return Almo.objects.get(slug="kirkby-neighbourhood-homes")


def request_pack(client, almo, quarter=LAST_QUARTER):
    return client.post(reverse("reporting:pack_list"), {"almo": almo.pk, "quarter": quarter.slug})


@pytest.mark.django_db
def test_board_member_requests_a_pack_and_downloads_it(
    client_as, knh, media, eager_celery, django_capture_on_commit_callbacks
):
    client = client_as("board.member")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = request_pack(client, knh)
    # the render was enqueued only once the request's transaction committed; rendered eagerly, it
    # then queued the "pack ready" e-mail to whoever asked for it
    assert len(callbacks) == 2
    pack = BoardPack.objects.get()
    [ready] = [m for m in mail.outbox if m.subject.startswith("Board pack ready")]
    assert ready.to == ["board.member@example.gov.uk"] and pack.get_absolute_url() in ready.body
    assert response.status_code == 302 and response.url == pack.get_absolute_url()
    pack.refresh_from_db()
    assert pack.status == BoardPack.Status.READY, pack.failure_reason
    assert pack.requested_by.username == "board.member" and pack.attempts == 1
    assert not list(media.rglob("*.part"))

    page = client.get(pack.get_absolute_url()).content.decode()
    assert "Your pack is ready" in page and 'http-equiv="refresh"' not in page

    download = client.get(reverse("reporting:pack_download", args=[pack.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert "attachment" in download["Content-Disposition"]
    body = b"".join(download.streaming_content)
    assert len(PdfReader(BytesIO(body)).pages) == pack.pages
    listing = client.get(reverse("reporting:pack_list")).content.decode()
    assert LAST_QUARTER.label in listing and "Download" in listing


@pytest.mark.django_db
def test_a_queued_pack_page_refreshes_itself_without_javascript(client_as, knh, media):
    client = client_as("coordinator")
    request_pack(client, knh)  # not committed in this test, so nothing runs: the pack stays queued
    pack = BoardPack.objects.get()
    page = client.get(pack.get_absolute_url()).content.decode()
    assert pack.status == BoardPack.Status.QUEUED
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in page and "queued" in page
    assert 'data-pack-in-progress="true"' in page  # the script polls too
    off = client.get(pack.get_absolute_url() + "?refresh=off").content.decode()
    assert 'http-equiv="refresh"' not in off and "Automatic updates are off" in off
    assert 'data-pack-in-progress="false"' in off


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["environment.officer", "repairs.officer"])
def test_department_officers_get_403_for_request_and_download(client_as, demo_data, knh, media, username):
    pack = ready_pack(demo_data["main"])
    client = client_as(username)
    assert request_pack(client, knh).status_code == 403
    assert client.get(reverse("reporting:pack_download", args=[pack.pk])).status_code == 403
    assert client.post(reverse("reporting:pack_retry", args=[failed_pack(demo_data["main"]).pk])).status_code == 403
    assert BoardPack.objects.count() == 2


@pytest.mark.django_db
def test_a_coordinator_cannot_request_or_see_another_almos_pack(client_as, demo_data, knh, media, demo_user):
    pack = ready_pack(demo_data["main"])
    client = client_as("east.coordinator")
    response = request_pack(client, knh)
    assert response.status_code == 200 and "Choose an ALMO from the list." in response.content.decode()
    assert not BoardPack.objects.filter(requested_by__username="east.coordinator").exists()
    assert client.get(reverse("reporting:pack_download", args=[pack.pk])).status_code == 404
    with pytest.raises(PermissionDenied):
        services.board_pack_request(user=demo_user("east.coordinator"), almo=knh, quarter=LAST_QUARTER)


@pytest.mark.django_db
def test_a_draft_agreement_has_no_pack(demo_user, demo_data):
    east = Almo.objects.get(slug="kirkby-east-homes")
    with pytest.raises(ValidationError, match="no agreement in force"):
        services.board_pack_request(user=demo_user("admin"), almo=east, quarter=LAST_QUARTER)


@pytest.mark.django_db
def test_a_failing_render_is_recorded_with_its_reason_and_can_be_retried(
    client_as, knh, media, eager_celery, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(content):
        raise RuntimeError("font cache is corrupt")

    monkeypatch.setattr("reporting.packs.render.render_pack", broken)
    client = client_as("coordinator")
    with django_capture_on_commit_callbacks(execute=True):
        request_pack(client, knh)
    pack = BoardPack.objects.get()
    assert pack.status == BoardPack.Status.FAILED
    assert "font cache is corrupt" in pack.failure_reason and pack.finished_at
    page = client.get(pack.get_absolute_url()).content.decode()
    assert "The pack could not be produced" in page and "font cache is corrupt" in page and "Try again" in page
    assert 'http-equiv="refresh"' not in page

    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reporting:pack_retry", args=[pack.pk]))
    assert response.status_code == 302
    pack.refresh_from_db()
    assert pack.status == BoardPack.Status.READY and pack.attempts == 2 and not pack.failure_reason
    again = client.post(reverse("reporting:pack_retry", args=[pack.pk]), follow=True)
    assert "Only a pack that failed can be tried again" in again.content.decode()


@pytest.mark.django_db
def test_transient_errors_are_retried_a_bounded_number_of_times(demo_user, knh, media, eager_celery, monkeypatch):
    calls = []

    def flaky(content):
        calls.append(content.title)
        raise OSError("disk briefly unavailable")

    monkeypatch.setattr("reporting.packs.render.render_pack", flaky)
    pack = BoardPack.objects.create(
        almo=knh,
        agreement=knh.agreements.get(reference="SLA-KNH-2025"),
        financial_year=LAST_QUARTER.year,
        quarter=LAST_QUARTER.number,
        requested_by=demo_user("admin"),
    )
    monkeypatch.setattr("reporting.tasks._backoff", lambda retries: 0)
    eager_celery.conf.task_eager_propagates = False  # eagerly, each retry runs at once, nested in the first
    render_board_pack.apply(args=[pack.pk])
    pack.refresh_from_db()
    assert pack.status == BoardPack.Status.FAILED and "disk briefly unavailable" in pack.failure_reason
    assert pack.attempts == render_board_pack.max_retries + 1 == len(calls)
    assert render_board_pack.acks_late and render_board_pack.reject_on_worker_lost and render_board_pack.soft_time_limit


@pytest.mark.django_db
def test_the_task_is_idempotent(demo_data, media, eager_celery):
    pack = ready_pack(demo_data["main"])
    assert render_board_pack.delay(pack.pk).get() == "nothing to do"
    pack.refresh_from_db()
    assert pack.status == BoardPack.Status.READY and pack.attempts == 1
    assert services.board_pack_complete(pack_id=pack.pk, result=None, is_final=True) is None


@pytest.mark.django_db
def test_a_pack_asked_for_in_parallel_is_the_same_tagged_pack(
    demo_user, knh, media, eager_celery, django_capture_on_commit_callbacks
):
    """A tagged pack is one document (parts merged with pypdf lose the structure tree), so
    ``BOARD_PACK_PARALLEL`` packs render in one pass too and come out tagged."""
    import pikepdf

    with django_capture_on_commit_callbacks(execute=True):
        serial = services.board_pack_request(user=demo_user("admin"), almo=knh, quarter=LAST_QUARTER, parallel=False)
        grouped = services.board_pack_request(user=demo_user("admin"), almo=knh, quarter=LAST_QUARTER, parallel=True)
    serial.refresh_from_db()
    grouped.refresh_from_db()
    assert grouped.status == BoardPack.Status.READY, grouped.failure_reason
    assert grouped.pages == serial.pages
    readers = [PdfReader(p.file.open("rb")) for p in (serial, grouped)]
    outlines = [
        [(i.title, r.get_destination_page_number(i)) for i in r.outline if not isinstance(i, list)] for r in readers
    ]
    assert outlines[0] == outlines[1]
    assert f"Page {grouped.pages} of {grouped.pages}" in readers[1].pages[-1].extract_text()
    with pikepdf.open(grouped.file.path) as pdf:
        assert "/StructTreeRoot" in pdf.Root and pdf.open_metadata()["pdfuaid:part"] == "1"


@pytest.mark.django_db
def test_the_command_line_builds_the_same_pack(knh, tmp_path):
    output = tmp_path / "pack.pdf"
    call_command("build_board_pack", almo=knh.slug, quarter="2025-26-Q2", output=str(output))
    reader = PdfReader(output)
    assert reader.metadata.title == "Kirkby Neighbourhood Homes board pack, 2025/26 Q2"
    assert [i.title for i in reader.outline if not isinstance(i, list)][1 : len(SECTIONS) + 1] == [
        t for _k, t in SECTIONS
    ]
    with pytest.raises(CommandError, match="not a quarter"):
        call_command("build_board_pack", almo=knh.slug, quarter="2025 Q2", output=str(output))
    with pytest.raises(CommandError, match="no agreement in force"):
        call_command("build_board_pack", almo="kirkby-east-homes", quarter="2025-26-Q2", output=str(output))


def test_files_are_written_atomically(media, settings):
    first = save_atomically("board_packs/x/pack.pdf", PDF)
    second = save_atomically("board_packs/x/pack.pdf", PDF + b"again")
    assert first == "board_packs/x/pack.pdf" and second != first
    assert (media / first).read_bytes() == PDF
    assert sorted(p.name for p in (media / "board_packs" / "x").iterdir()) == sorted(
        [first.split("/")[-1], second.split("/")[-1]]
    )


@pytest.mark.django_db
def test_pack_quarters_run_from_the_agreement_start_to_the_last_quarter_ended(demo_data):
    quarters = pack_quarters(agreement=demo_data["main"], today=dt.date(2025, 11, 1))
    assert [q.slug for q in quarters] == ["2025-26-Q2", "2025-26-Q1"]


@pytest.mark.django_db
def test_trend_charts_are_inline_svg_with_a_text_alternative(demo_data):
    standard = demo_data["main"].schedules.get(service__slug="responsive-repairs").standards.first()
    chart = trend(
        standard,
        [Quarterly("2025/26 Q1", D("80"), D("82"), "", "green"), Quarterly("2025/26 Q2", D("80"), D("70"), "", "red")],
        size=SPARKLINE,
    )
    svg, text = chart.svg, chart.alt
    assert svg.startswith("<svg") and "<script" not in svg and "polyline" in svg
    assert f"<title>{text}</title>" in svg  # the title becomes the figure's /Alt in the tagged PDF
    assert text.endswith("By quarter: 2025/26 Q1 82%, green; 2025/26 Q2 70%, red.")
    assert "(higher is better): getting worse, from 82% to 70% against a target of 80%" in text


@pytest.mark.django_db
@pytest.mark.parametrize(
    "direction, figures, words",
    [
        ("higher", ("80", "90"), "improving"),
        ("higher", ("90", "80"), "getting worse"),
        ("lower", ("2", "5"), "getting worse"),  # a lower-is-better figure going up is worse
        ("lower", ("5", "2"), "improving"),
        ("lower", ("3", "3"), "no change"),
    ],
)
def test_trend_words_follow_the_standards_direction(demo_data, direction, figures, words):
    standard = (
        demo_data["main"].schedules.get(service__slug="responsive-repairs").standards.filter(kind="measured").first()
    )
    standard.direction = direction
    points = [Quarterly("2025/26 Q1", D("3"), D(figures[0])), Quarterly("2025/26 Q2", D("3"), D(figures[1]))]
    result = trend(standard, points, size=SPARKLINE)
    assert f"({direction} is better): {words}," in result.alt
    assert result.words.lower() == words
    assert result.letters == "– –"


@pytest.mark.django_db
def test_pack_list_query_count_does_not_grow(client_as, demo_data, media):
    client = client_as("admin")
    ready_pack(demo_data["main"])

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("reporting:pack_list")).status_code == 200
        return len(ctx.captured_queries)

    before = count()
    for _ in range(6):
        ready_pack(demo_data["main"])
        failed_pack(demo_data["main"])
    assert count() == before <= 12


@pytest.mark.django_db
def test_value_for_money_notes_come_from_benchmarks_and_market_tests(knh, demo_user):
    from decimal import Decimal

    from services.models import Benchmark, MarketTest
    from services.periods import Quarter as Q

    legal = knh.agreements.get(reference="SLA-KNH-2025").schedules.get(service__slug="legal-advice-and-conveyancing")
    Benchmark.objects.filter(service=legal.service, almo=knh).delete()
    MarketTest.objects.filter(service=legal.service, almo=knh).delete()
    for amount, source in ((Decimal("300000"), "Northshire Legal LLP"), (Decimal("320000"), "Westby Council")):
        Benchmark.objects.create(
            service=legal.service,
            almo=knh,
            kind=Benchmark.Kind.ALTERNATIVE_QUOTE,
            amount=amount,
            source=source,
            obtained_on=dt.date(2025, 5, 1),
            quality_notes="Excludes right-to-buy work" if "LLP" in source else "",
            entered_by=demo_user("coordinator"),
        )
    MarketTest.objects.create(
        service=legal.service,
        almo=knh,
        status=MarketTest.Status.MARKET_TESTED,
        recorded_on=dt.date(2025, 6, 1),
        reason="Three firms quoted.",
        recorded_by=demo_user("coordinator"),
    )
    result, content, _ = services.build_to_file(almo=knh, quarter=Q(2025, 2))
    [note] = [n for n in content.value_for_money_notes if n["service"] == legal.service.name]
    assert "£360,000 in the year against a benchmark median of £310,000" in note["note"]
    assert "Northshire Legal LLP: Excludes right-to-buy work" in note["note"]
    assert "Market test: Market tested" in note["note"]
    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(result.pdf)).pages)
    assert "Three firms quoted." in " ".join(text.split())
