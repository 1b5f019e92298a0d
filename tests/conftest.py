import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.contrib.auth import get_user_model

from agreements.models import Agreement
from reporting import demo

#: The suite's "now": the demo data, due dates and every "today" are worked out from it, so the
#: tests mean the same whatever day they run. The clock ticks on from here (timeouts still work).
SUITE_NOW = dt.datetime(2026, 11, 27, 9, 0, tzinfo=zoneinfo.ZoneInfo("Europe/London"))
_clock = time_machine.travel(SUITE_NOW, tick=True)


def pytest_configure(config):
    _clock.start()


def pytest_unconfigure(config):
    _clock.stop()


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path_factory):
    """Uploaded files (evidence) go to a temporary directory, never the project's media folder."""
    settings.MEDIA_ROOT = str(tmp_path_factory.getbasetemp() / "media")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the demo council once per test session; each test rolls back its own changes."""
    with django_db_blocker.unblock():
        demo.seed(value_for_money=False)


@pytest.fixture
def demo_data(db):
    """The demo council from ``seed_demo``: two ALMOs, 11 departments, 21 services, 7 users.

    Transactional tests flush the database afterwards, so seeding again is cheap insurance.
    """
    if not Agreement.objects.filter(reference="SLA-KNH-2025").exists():
        demo.seed(value_for_money=False)
    return {
        "main": Agreement.objects.get(reference="SLA-KNH-2025"),
        "east": Agreement.objects.get(reference="SLA-KEH-2026"),
    }


@pytest.fixture
def demo_user(demo_data):
    def get(username):
        return get_user_model().objects.get(username=username)

    return get


@pytest.fixture
def client_as(client, demo_user):
    """A test client signed in as the named demo user."""

    def sign_in(username):
        client.force_login(demo_user(username))
        return client

    return sign_in
