"""Faults around board packs (issue 7): the broker down when a pack is requested, and the
claim that lets a redelivered task take over a pack whose worker died."""

import datetime as dt
import time

import pytest
from django.urls import reverse
from django.utils import timezone

from almo_sla.celery import app
from reporting.models import BoardPack
from reporting.packs import services
from reporting.tasks import render_board_pack, requeue_board_packs
from services.models import Almo
from services.periods import Quarter
from tests.reporting.pack_factories import failed_pack

LAST_QUARTER = Quarter.containing(timezone.localdate()).previous()


def _reset_connections():
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def broker_down():
    """The app's own Celery configuration, with the broker pointed at a closed port."""
    saved = app.conf.task_always_eager, app.conf.broker_url, app.conf.broker_write_url
    app.conf.task_always_eager = False
    app.conf.broker_url = app.conf.broker_write_url = "redis://127.0.0.1:9/0"  # discard port: nothing listens
    _reset_connections()
    yield app
    app.conf.task_always_eager, app.conf.broker_url, app.conf.broker_write_url = saved
    _reset_connections()


@pytest.fixture
def knh(demo_data):
    return Almo.objects.get(slug="kirkby-neighbourhood-homes")


# Transactional: on_commit callbacks run as in production (autocommit), before the view returns.
@pytest.mark.django_db(transaction=True)
def test_broker_down_the_pack_is_kept_queued_and_the_user_told(client_as, knh, media, broker_down, caplog, monkeypatch):
    client = client_as("board.member")
    started = time.monotonic()
    response = client.post(reverse("reporting:pack_list"), {"almo": knh.pk, "quarter": LAST_QUARTER.slug})
    elapsed = time.monotonic() - started
    assert elapsed < 5, f"the request took {elapsed:.1f} s with the broker down"
    pack = BoardPack.objects.get()
    assert response.status_code == 302 and response.url == pack.get_absolute_url()
    assert pack.status == BoardPack.Status.QUEUED and pack.attempts == 0 and pack.queued_at
    assert "the task queue is unavailable" in caplog.text
    page = client.get(response.url).content.decode()
    assert "The pack is saved; it will be rendered when the task queue is back." in page

    # The broker is back: the beat job queues the pack again once it has waited long enough, and only once.
    sent = []
    monkeypatch.setattr(render_board_pack, "delay", lambda pack_id: sent.append(pack_id))
    assert requeue_board_packs() == 0  # too soon: its first message may still be on its way
    later = timezone.now() + dt.timedelta(seconds=services.settings.BOARD_PACK_REQUEUE_AFTER + 1)
    assert services.board_packs_requeue(now=later) == [pack.pk]
    assert services.board_packs_requeue(now=later + dt.timedelta(seconds=1)) == []
    assert sent == [pack.pk]


@pytest.mark.django_db
def test_the_sweeper_leaves_a_pack_queued_while_the_broker_is_still_down(knh, broker_down, demo_data):
    pack = failed_pack(demo_data["main"])
    BoardPack.objects.filter(pk=pack.pk).update(
        status=BoardPack.Status.QUEUED, queued_at=timezone.now() - dt.timedelta(hours=1)
    )
    started = time.monotonic()
    assert requeue_board_packs() == 0
    assert time.monotonic() - started < 5
    pack.refresh_from_db()
    assert pack.status == BoardPack.Status.QUEUED  # tried again on the next run


@pytest.mark.django_db(transaction=True)
def test_a_retry_with_the_broker_down_says_so(client_as, demo_data, broker_down):
    pack = failed_pack(demo_data["main"])
    client = client_as("board.member")
    response = client.post(reverse("reporting:pack_retry", args=[pack.pk]), follow=True)
    pack.refresh_from_db()
    assert pack.status == BoardPack.Status.QUEUED
    assert "The pack is saved; it will be rendered when the task queue is back." in response.content.decode()


@pytest.mark.django_db
def test_a_pack_being_rendered_is_not_claimed_by_a_second_message(knh, demo_data):
    pack = failed_pack(demo_data["main"])
    BoardPack.objects.filter(pk=pack.pk).update(status=BoardPack.Status.QUEUED)
    first = services.board_pack_claim(pack_id=pack.pk, task_id="task-a")
    assert first.status == BoardPack.Status.RENDERING and first.claimed_by == "task-a"
    assert services.board_pack_claim(pack_id=pack.pk, task_id="task-b") is None  # e.g. queued again by the sweeper
    # The same message delivered again: its worker died (late acks), so it takes over.
    again = services.board_pack_claim(pack_id=pack.pk, task_id="task-a")
    assert again.attempts == first.attempts + 1
    # A claim older than the hard time limit is dead whoever holds it.
    stale = timezone.now() - dt.timedelta(seconds=services.settings.BOARD_PACK_SOFT_TIME_LIMIT + 61)
    BoardPack.objects.filter(pk=pack.pk).update(started_at=stale)
    assert services.board_pack_claim(pack_id=pack.pk, task_id="task-b").claimed_by == "task-b"
