"""With a broker (CI's second run): packs requested through the web are rendered by real
Celery worker processes over Redis, against the same PostgreSQL database and storage."""

import os
import subprocess
import sys
import time
from io import BytesIO
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from reporting.models import BoardPack
from services.models import Almo
from services.periods import Quarter

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [
    pytest.mark.worker,
    pytest.mark.skipif(
        not os.environ.get("CELERY_BROKER_URL"),
        reason="Needs a broker: run with CELERY_BROKER_URL=redis://... and DATABASE_URL=postgres://... (.ci/run does both).",  # noqa: E501
    ),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def workers(media):
    """Two worker processes (solo pool each), so a pack's sections can spread across them."""
    if not settings.CELERY_BROKER_URL:
        pytest.skip(
            "Needs a broker: run with CELERY_BROKER_URL=redis://... and DATABASE_URL=postgres://... (.ci/run does both)."  # noqa: E501
        )
    if connection.vendor != "postgresql":
        pytest.fail("A separate worker process needs a shared database: set DATABASE_URL to PostgreSQL.")
    db = connection.settings_dict
    env = os.environ | {
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "DJANGO_SETTINGS_MODULE": "almo_sla.settings",
        "DJANGO_MEDIA_ROOT": str(media),
    }
    processes = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "almo_sla",
                "worker",
                "--pool=solo",
                "--concurrency=1",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-n",
                f"packs{n}@%h",
                "--loglevel=WARNING",
            ],
            cwd=ROOT,
            env=env,
        )
        for n in range(2)
    ]
    yield processes
    for process in processes:
        process.terminate()
    for process in processes:
        process.wait(timeout=30)


def wait_until_done(pack, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pack.refresh_from_db()
        if not pack.in_progress:
            return pack
        time.sleep(0.5)
    pytest.fail(f"Pack still {pack.status} after {timeout} s")


@pytest.mark.parametrize("parallel", [False, True], ids=["one worker", "asked for in parallel"])
def test_a_pack_requested_through_the_web_ends_ready_and_downloadable(
    client_as, demo_data, workers, settings, parallel
):
    settings.BOARD_PACK_PARALLEL = parallel
    client = client_as("board.member")
    almo = Almo.objects.get(slug="kirkby-neighbourhood-homes")
    quarter = Quarter.containing(timezone.localdate()).previous()
    response = client.post(reverse("reporting:pack_list"), {"almo": almo.pk, "quarter": quarter.slug})
    pack = BoardPack.objects.get()
    assert response.status_code == 302 and pack.parallel is parallel
    assert 'http-equiv="refresh"' in client.get(pack.get_absolute_url()).content.decode() or not pack.in_progress

    wait_until_done(pack)
    assert pack.status == BoardPack.Status.READY, pack.failure_reason
    download = client.get(reverse("reporting:pack_download", args=[pack.pk]))
    assert download.status_code == 200
    reader = PdfReader(BytesIO(b"".join(download.streaming_content)))
    assert len(reader.pages) == pack.pages
    assert reader.metadata.title == f"Kirkby Neighbourhood Homes board pack, {quarter.label}"
    assert f"Page {pack.pages} of {pack.pages}" in reader.pages[-1].extract_text()
