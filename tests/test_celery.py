"""Celery: eager without a broker; with ``CELERY_BROKER_URL``, a real worker in another process."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from almo_sla.celery import app
from services.models import Council
from services.tasks import ping_worker

ROOT = Path(__file__).resolve().parent.parent


def test_celery_is_configured_for_safe_delivery():
    conf = app.conf
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.worker_prefetch_multiplier == 1
    assert conf.task_serializer == "json" and conf.accept_content == ["json"]
    assert conf.task_always_eager is (not settings.CELERY_BROKER_URL)


@pytest.mark.django_db
def test_without_a_broker_tasks_run_in_process():
    if settings.CELERY_BROKER_URL:
        pytest.skip("CELERY_BROKER_URL is set: this run checks real workers instead (test_a_real_worker_...)")
    result = ping_worker.delay().get()
    assert result["pid"] == os.getpid()
    assert result["councils"] == Council.objects.count()


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_process_runs_tasks_against_the_same_database():
    if not settings.CELERY_BROKER_URL:
        pytest.skip(
            "Needs a broker: run with CELERY_BROKER_URL=redis://127.0.0.1:6379/0 and DATABASE_URL=postgres://... "
            "(.ci/run does both)."
        )
    if connection.vendor != "postgresql":
        pytest.fail("A separate worker process needs a shared database: set DATABASE_URL to PostgreSQL.")
    Council.objects.create(name="Worker Test Council", slug="worker-test")
    queue = f"test-{uuid.uuid4().hex[:8]}"
    db = connection.settings_dict
    env = os.environ | {
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "DJANGO_SETTINGS_MODULE": "almo_sla.settings",
    }
    worker = subprocess.Popen(
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
            "-Q",
            queue,
            "--loglevel=WARNING",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        result = ping_worker.apply_async(queue=queue).get(timeout=60)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    assert result["pid"] == worker.pid != os.getpid()
    assert result["councils"] == Council.objects.count()
