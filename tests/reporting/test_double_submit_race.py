"""Two submissions of one return racing each other (a double click, two tabs): the second answers
"already submitted", never a 403, whichever point of the first request the twin commits at.

The SQLite tests force each interleaving deterministically: the twin submission is committed from
a hook at one point of the request (after the return is loaded, during the permission check, just
before the row lock). The PostgreSQL test runs two real requests in two threads on two
connections, holding the first inside its transaction until the second is seen waiting on the
row lock in ``pg_locks``.
"""

import threading
import time

import pytest
from django.conf import settings
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from reporting import selectors, services
from reporting.models import QuarterlyReturn, ReturnEvent
from tests.reporting.conftest import fill

ALREADY = "has already been submitted"
ON_POSTGRESQL = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


def _twin(ret_pk, officer):
    """The other request: submits the return and commits."""
    services.return_submit(quarterly_return=QuarterlyReturn.objects.get(pk=ret_pk), user=officer)
    assert QuarterlyReturn.objects.get(pk=ret_pk).status == "submitted"


def _hooks(monkeypatch, point, twin):
    """Commit the twin once, at ``point`` of the request under test."""
    fired = []

    def once():
        if not fired:
            fired.append(True)
            twin()

    if point == "after load":
        original = selectors.return_get

        def return_get(**kwargs):
            ret = original(**kwargs)
            once()
            return ret

        monkeypatch.setattr(selectors, "return_get", return_get)
    elif point == "during permission check":
        original_can = selectors.return_can

        def return_can(user, perm, ret):
            allowed = original_can(user, perm, ret)
            once()
            return allowed

        monkeypatch.setattr(selectors, "return_can", return_can)
    elif point == "before the row lock":
        # Just before the service's transaction (whose first statement takes the lock): a twin run
        # inside it would be rolled back with it on SQLite, where both share one connection.
        original_submit = services.return_submit

        def return_submit(**kwargs):
            once()
            return original_submit(**kwargs)

        monkeypatch.setattr(services, "return_submit", return_submit)
    return fired


@pytest.mark.parametrize("point", ["after load", "during permission check", "before the row lock"])
def test_a_twin_committing_mid_request_gives_already_submitted_not_403(
    point, client_as, demo_user, env_return, monkeypatch
):
    officer = demo_user("environment.officer")
    services.return_save(quarterly_return=env_return, user=officer, results=fill(env_return))
    client = client_as("environment.officer")
    fired = _hooks(monkeypatch, point, lambda: _twin(env_return.pk, officer))

    response = client.post(reverse("reporting:return_submit", args=[env_return.pk]))

    assert fired, f"the twin never ran at {point!r}"
    assert response.status_code == 302, f"{point}: {response.status_code}"
    assert response["Location"] == env_return.get_absolute_url()
    page = client.get(response["Location"]).content.decode()
    assert ALREADY in page
    assert "has been submitted to the coordinator" not in page
    env_return.refresh_from_db()
    assert env_return.status == "submitted"
    assert ReturnEvent.objects.filter(quarterly_return=env_return, to_status="submitted").count() == 1


def test_the_service_refuses_a_second_submission_with_its_own_error(demo_user, env_return):
    officer = demo_user("environment.officer")
    services.return_save(quarterly_return=env_return, user=officer, results=fill(env_return))
    stale = QuarterlyReturn.objects.get(pk=env_return.pk)
    services.return_submit(quarterly_return=env_return, user=officer)
    assert stale.status == "draft"
    with pytest.raises(services.ReturnAlreadySubmitted):
        services.return_submit(quarterly_return=stale, user=officer)
    assert ReturnEvent.objects.filter(quarterly_return=env_return, to_status="submitted").count() == 1


def test_someone_who_may_not_submit_still_gets_403_on_a_draft(client_as, demo_user, env_return):
    officer = demo_user("environment.officer")
    services.return_save(quarterly_return=env_return, user=officer, results=fill(env_return))
    response = client_as("board.member").post(reverse("reporting:return_submit", args=[env_return.pk]))
    assert response.status_code == 403
    env_return.refresh_from_db()
    assert env_return.status == "draft"


def _waiting_on_a_lock(timeout: float) -> bool:
    """True once another backend of this database waits on a lock (the twin blocked on the row lock)."""
    deadline = time.monotonic() + timeout
    with connections["default"].cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return True
            time.sleep(0.05)
    return False


@pytest.mark.skipif(
    not ON_POSTGRESQL,
    reason="LOUD SKIP: the two-connection race needs PostgreSQL row locks; set DATABASE_URL=postgres://... to run it "
    "(the SQLite tests above force the same interleavings deterministically)",
)
@pytest.mark.django_db(transaction=True)
def test_two_real_requests_on_postgresql_the_second_waits_and_says_already_submitted(demo_user, demo_data, monkeypatch):
    from tests.reporting.conftest import current_return

    ret = current_return(demo_data, "Environmental Services")
    officer = demo_user("environment.officer")
    services.return_save(quarterly_return=ret, user=officer, results=fill(ret))
    url = reverse("reporting:return_submit", args=[ret.pk])

    first_locked, release = threading.Event(), threading.Event()
    original_lock = services._lock_return

    def lock(pk):
        locked = original_lock(pk)
        if threading.current_thread().name == "first":
            first_locked.set()
            assert release.wait(30), "the test never released the first request"
        return locked

    monkeypatch.setattr(services, "_lock_return", lock)
    answers = {}

    def submit(name):
        client = Client()
        client.force_login(officer)
        try:
            response = client.post(url)
            answers[name] = (
                response.status_code,
                client.get(response["Location"]).content.decode() if response.status_code == 302 else "",
            )
        finally:
            connection.close()

    first = threading.Thread(target=submit, args=("first",), name="first")
    second = threading.Thread(target=submit, args=("second",), name="second")
    first.start()
    assert first_locked.wait(30)
    second.start()  # loads the return while it is still a draft, then waits on the row lock
    try:
        assert _waiting_on_a_lock(20), "the second request never waited on the row lock"
    finally:
        release.set()
        first.join(30)
        second.join(30)
    assert answers["first"][0] == 302 and "has been submitted to the coordinator" in answers["first"][1]
    assert answers["second"][0] == 302, answers["second"][0]
    assert ALREADY in answers["second"][1]
    assert ReturnEvent.objects.filter(quarterly_return=ret, to_status="submitted").count() == 1
