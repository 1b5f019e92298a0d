"""With a broker, a real Celery worker process sends the circulation e-mails (services.send_notification), once."""

import datetime as dt
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from agreements import notifications
from services.models import Notification
from services.notifications import send_notification
from tests.agreements.factories import draft_copy_of_main, user

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_sends_each_circulation_email_once(demo_data):
    if not settings.CELERY_BROKER_URL:
        pytest.skip(
            "Needs a broker and PostgreSQL (the second CI run); without them tasks run eagerly, tested elsewhere."
        )
    if connection.vendor != "postgresql":
        pytest.fail("A separate worker process needs a shared database: set DATABASE_URL to PostgreSQL.")
    from agreements import services

    draft = draft_copy_of_main(demo_data)
    # Circulate without running the on-commit callbacks (they would queue to the default queue),
    # then queue each recorded e-mail to our own queue, twice (a redelivery).
    version = services.version_create(
        agreement=draft,
        user=user("coordinator"),
        purpose="circulated",
        comment_deadline=timezone.localdate() + dt.timedelta(days=10),
    )
    assert notifications.circulated(version=version) == 5
    ids = list(Notification.objects.filter(object_id=version.pk, event="circulated").values_list("pk", flat=True))
    queue = f"test-{uuid.uuid4().hex[:8]}"
    db = connection.settings_dict
    env = os.environ | {
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "DJANGO_SETTINGS_MODULE": "almo_sla.settings",
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
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
        first = [send_notification.apply_async((pk,), queue=queue).get(timeout=60) for pk in ids]
        again = [send_notification.apply_async((pk,), queue=queue).get(timeout=60) for pk in ids]
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    assert first == ["sent"] * 5 and again == ["skipped"] * 5
    assert Notification.objects.filter(pk__in=ids, sent_at__isnull=False, attempts=1).count() == 5
