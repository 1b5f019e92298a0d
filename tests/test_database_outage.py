"""PostgreSQL unavailable (issue 7): a clean GOV.UK 503 with Retry-After, never a traceback.
benchmarks/faults.py restarts a real PostgreSQL under load; these tests simulate the error."""

import logging

import pytest
from django.db import InterfaceError, OperationalError
from django.test import RequestFactory
from django.urls import reverse

from almo_sla import views
from almo_sla.middleware import DatabaseUnavailableMiddleware


def raising(exc):
    def get_response(request):
        raise exc

    return get_response


@pytest.mark.parametrize(
    "exc",
    [OperationalError("server closed the connection unexpectedly"), InterfaceError("connection already closed")],
    ids=["operational", "interface"],
)
def test_the_middleware_answers_503_with_retry_after(exc, caplog):
    request = RequestFactory().post("/returns/1/")
    with caplog.at_level(logging.ERROR, logger="almo_sla.database"):
        response = DatabaseUnavailableMiddleware(raising(exc))(request)
    assert response.status_code == 503
    assert response["Retry-After"] == "30" and response["Cache-Control"] == "no-store"
    body = response.content.decode()
    assert "Sorry, the service is unavailable" in body and "Nothing you saved has been lost" in body
    assert 'class="govuk-heading-l"' in body and "Traceback" not in body
    assert "Database unavailable for POST /returns/1/" in caplog.text


def test_other_errors_are_left_alone():
    with pytest.raises(ValueError):
        DatabaseUnavailableMiddleware(raising(ValueError("a bug")))(RequestFactory().get("/"))
    assert (
        DatabaseUnavailableMiddleware(lambda r: None).process_exception(RequestFactory().get("/"), ValueError()) is None
    )


def test_the_500_handler_turns_a_database_error_from_another_middleware_into_a_503():
    request = RequestFactory().get("/")
    try:
        raise OperationalError("could not connect to server")
    except OperationalError:
        response = views.server_error(request)
    assert response.status_code == 503 and response["Retry-After"] == "30"
    try:
        raise ValueError("a bug")
    except ValueError:
        assert views.server_error(request).status_code == 500


@pytest.mark.django_db
def test_a_page_hitting_a_database_error_gives_the_503_page_and_recovers(client_as, demo_data, monkeypatch):
    client = client_as("environment.officer")

    def down(*args, **kwargs):
        raise OperationalError("the database system is shutting down")

    with monkeypatch.context() as patch:
        patch.setattr("reporting.views.dashboard_summary", down)
        response = client.get(reverse("dashboard"))
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert "Nothing you saved has been lost" in response.content.decode()
    assert client.get(reverse("dashboard")).status_code == 200


def test_a_session_that_could_not_be_saved_for_a_database_outage_gives_503_not_400():
    from django.contrib.sessions.backends.base import UpdateError
    from django.contrib.sessions.exceptions import SessionInterrupted

    request = RequestFactory().post("/accounts/login/")
    try:
        try:
            try:
                raise OperationalError("server closed the connection unexpectedly")
            except OperationalError:
                raise UpdateError from None  # as the database session store does (the context is kept)
        except UpdateError:
            raise SessionInterrupted("The request's session was deleted before the request completed.")  # noqa: B904
    except SessionInterrupted as exc:
        response = views.bad_request(request, exc)
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert views.bad_request(request, SessionInterrupted("deleted")).status_code == 400
