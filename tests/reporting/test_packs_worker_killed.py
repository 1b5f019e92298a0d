"""A Celery worker's pool process killed in the middle of rendering a pack (issue 7): the
pack still ends ready, once. Needs PostgreSQL and Redis (CI's second run).

The worker runs the prefork pool with one child. ``BOARD_PACK_TEST_DELAY`` makes each
section wait, so the child is surely mid-render when it gets SIGKILL. The parent sees the
child die and, because the task has ``acks_late`` and ``reject_on_worker_lost``, puts the
message back on the queue at once; the new child takes it, finds the pack "rendering"
under the same task id (a dead claim) and takes it over.
"""

import os
import signal
import subprocess
import sys
import time
import uuid
from io import BytesIO
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from pypdf import PdfReader

from reporting.models import BoardPack
from reporting.tasks import render_board_pack
from tests.reporting.pack_factories import failed_pack

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [
    pytest.mark.worker,
    pytest.mark.skipif(
        not os.environ.get("CELERY_BROKER_URL"),
        reason="Needs a broker and a shared database: run with CELERY_BROKER_URL=redis://... and "
        "DATABASE_URL=postgres://... (.ci/run does both); a killed worker cannot be simulated in-process.",
    ),
    pytest.mark.django_db(transaction=True),
]


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def wait_for(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    pytest.fail(f"Timed out after {timeout} s waiting for {what}")


def test_a_pack_whose_worker_is_killed_mid_render_ends_ready_once(demo_data, media):
    if connection.vendor != "postgresql":
        pytest.fail("A separate worker process needs a shared database: set DATABASE_URL to PostgreSQL.")
    pack = failed_pack(demo_data["main"])
    BoardPack.objects.filter(pk=pack.pk).update(
        status=BoardPack.Status.QUEUED, attempts=0, started_at=None, finished_at=None, failure_reason="", parallel=False
    )
    queue = f"killed-{uuid.uuid4().hex[:8]}"  # this test's own queue: no other worker takes the task
    db = connection.settings_dict
    env = os.environ | {
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "DJANGO_SETTINGS_MODULE": "almo_sla.settings",
        "DJANGO_MEDIA_ROOT": str(media),
        "BOARD_PACK_TEST_DELAY": "1.5",
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "almo_sla",
            "worker",
            "--pool=prefork",
            "--concurrency=1",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-Q",
            queue,
            "-n",
            f"{queue}@%h",
            "--loglevel=WARNING",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        render_board_pack.apply_async((pack.pk,), queue=queue)

        def rendering():
            pack.refresh_from_db()
            return pack.status == BoardPack.Status.RENDERING and pack.attempts == 1

        wait_for(rendering, 60, "the first attempt to start rendering")
        time.sleep(1)  # inside the first section's delay: surely mid-render
        (child,) = wait_for(lambda: children(worker.pid), 10, "the pool process")
        os.kill(child, signal.SIGKILL)

        def done():
            pack.refresh_from_db()
            return pack.status in (BoardPack.Status.READY, BoardPack.Status.FAILED)

        wait_for(done, 120, "the pack to be finished after the kill")
    finally:
        worker.terminate()
        worker.wait(timeout=30)

    assert pack.status == BoardPack.Status.READY, pack.failure_reason
    assert pack.attempts == 2  # the killed attempt and the one that took over its claim
    assert worker.returncode is not None
    files = [p for p in media.rglob("*.pdf") if "parts" not in p.parts]
    assert [p.name for p in files] == [Path(pack.file.name).name]  # one file
    assert len(PdfReader(BytesIO(files[0].read_bytes())).pages) == pack.pages
    ready = pack.history.filter(status=BoardPack.Status.READY)
    assert ready.count() == 1  # completed once
    assert settings.CELERY_TASK_ACKS_LATE and settings.CELERY_TASK_REJECT_ON_WORKER_LOST
