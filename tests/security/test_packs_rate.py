"""A per-user limit on board-pack requests (ASVS 5.0 V2.4.1: anti-automation on expensive functions)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from reporting.models import BoardPack
from services.models import Almo
from services.periods import Quarter

LAST_QUARTER = Quarter.containing(timezone.localdate()).previous()


@pytest.fixture
def knh(demo_data):
    return Almo.objects.get(slug="kirkby-neighbourhood-homes")


def request_pack(client, almo):
    return client.post(reverse("reporting:pack_list"), {"almo": almo.pk, "quarter": LAST_QUARTER.slug})


def test_asvs_v2_4_1_a_user_cannot_request_more_than_the_hourly_limit_of_packs(
    client_as, demo_user, knh, settings, monkeypatch
):
    """ASVS V2.4.1: at most N board-pack requests per user per hour, with a clear message."""
    settings.BOARD_PACK_REQUESTS_PER_HOUR = 3
    monkeypatch.setattr(  # no rendering: only the requests are counted here
        "reporting.packs.services._enqueue_on_commit", lambda pack: setattr(pack, "queue_unavailable", False)
    )
    client = client_as("board.member")
    for _ in range(3):
        assert request_pack(client, knh).status_code == 302
    refused = request_pack(client, knh)
    assert refused.status_code == 200
    html = refused.content.decode()
    assert "You have asked for 3 board packs in the last hour" in html and "Try again in 60 minutes" in html
    assert BoardPack.objects.filter(requested_by=demo_user("board.member")).count() == 3

    # another user is not held back by it
    assert request_pack(client_as("coordinator"), knh).status_code == 302

    # an hour later the user may ask again
    BoardPack.objects.filter(requested_by=demo_user("board.member")).update(
        requested_at=timezone.now() - dt.timedelta(minutes=61)
    )
    assert request_pack(client_as("board.member"), knh).status_code == 302
