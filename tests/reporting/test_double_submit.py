"""Submitting a return twice (a double click, two tabs) records it once and tells the user."""

from django.urls import reverse

from reporting import services
from reporting.models import ReturnEvent
from tests.reporting.conftest import fill


def test_a_second_submit_is_harmless_and_says_the_return_is_already_in(client_as, demo_user, env_return):
    officer = demo_user("environment.officer")
    services.return_save(quarterly_return=env_return, user=officer, results=fill(env_return))
    client = client_as("environment.officer")
    url = reverse("reporting:return_submit", args=[env_return.pk])
    first = client.post(url)
    second = client.post(url, follow=True)
    assert first.status_code == 302
    assert second.status_code == 200
    assert "has already been submitted" in second.content.decode()
    env_return.refresh_from_db()
    assert env_return.status == "submitted"
    assert ReturnEvent.objects.filter(quarterly_return=env_return, to_status="submitted").count() == 1
