"""A board member requests the quarter's pack in the browser, watches it, downloads it; a failed pack is retried."""

from io import BytesIO

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from almo_sla.celery import app
from reporting.models import BoardPack
from services.periods import Quarter
from tests.reporting.pack_factories import failed_pack, ready_pack

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def eager(settings, tmp_path):
    """Tasks run inside the live server's request (the worker test covers real workers); files in a temporary directory."""  # noqa: E501
    settings.MEDIA_ROOT = str(tmp_path)
    saved = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = saved


def test_board_member_requests_and_downloads_the_quarters_pack(demo_data, eager, sign_in, screenshot, axe_check):
    quarter = Quarter.containing(timezone.localdate()).previous()
    page = sign_in("board.member")
    page.get_by_role("link", name="Board packs").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Board packs"
    assert "No packs have been produced yet." in page.locator("main").inner_text()
    axe_check(page, "board packs")
    page.get_by_label("Quarter").select_option(quarter.slug)
    page.get_by_role("button", name="Request pack").click(timeout=90_000)  # rendered in the request (eager tasks)
    expect(page.get_by_role("heading", name="Your pack is ready")).to_be_visible()
    screenshot(page, "board-pack-ready")
    axe_check(page, "board pack ready")
    with page.expect_download() as info:
        page.get_by_role("link", name="Download the pack").click()
    download = info.value
    assert download.suggested_filename.startswith(f"board-pack-kirkby-neighbourhood-homes-{quarter.slug}")
    reader = PdfReader(BytesIO(open(download.path(), "rb").read()))
    assert reader.metadata.title == f"Kirkby Neighbourhood Homes board pack, {quarter.label}"
    page.get_by_role("link", name="Back to board packs").click()
    assert quarter.label in page.locator("main").inner_text()
    screenshot(page, "board-pack-list")
    axe_check(page, "board packs with a pack")


def test_coordinator_sees_why_a_pack_failed_and_tries_again(demo_data, eager, sign_in, screenshot, axe_check):
    pack = failed_pack(demo_data["main"])
    page = sign_in("coordinator")
    page.goto(pack.get_absolute_url())
    assert "The renderer ran out of memory." in page.locator("main").inner_text()
    screenshot(page, "board-pack-failed")
    axe_check(page, "failed board pack")
    page.get_by_role("button", name="Try again").click()
    expect(page.get_by_role("heading", name="Your pack is ready")).to_be_visible()
    pack.refresh_from_db()
    assert pack.status == BoardPack.Status.READY and pack.attempts == 2


def test_a_pack_in_progress_updates_itself_when_it_is_ready(
    demo_data, settings, tmp_path, sign_in, screenshot, axe_check
):
    settings.MEDIA_ROOT = str(tmp_path)
    pack = failed_pack(demo_data["main"])
    pack.status, pack.failure_reason = BoardPack.Status.RENDERING, ""
    pack.save()
    page = sign_in("board.member")
    page.goto(pack.get_absolute_url())
    assert "being rendered" in page.locator("[data-pack-progress] [role=status]").inner_text()
    screenshot(page, "board-pack-rendering")
    axe_check(page, "board pack rendering")
    url = page.url
    done = ready_pack(demo_data["main"])  # a worker finishing: the same pack becomes ready
    pack.status, pack.file, pack.pages, pack.size, pack.sha256 = done.status, done.file.name, 1, done.size, done.sha256
    pack.save()
    page.get_by_role("heading", name="Your pack is ready").wait_for(timeout=10000)
    assert page.url == url  # updated in place, not reloaded
    assert page.locator("[data-pack-announce]").inner_text() == "Your pack is ready."
    axe_check(page, "board pack ready after updating")
