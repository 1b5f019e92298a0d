"""Help per role, the glossary (linked where terms appear), statements, and the global search."""

import pytest
from django.db import connection
from django.urls import reverse

from agreements.models import Schedule
from reporting.models import Departure, QuarterlyReturn
from services.glossary import GLOSSARY


def test_statements_are_reachable_without_signing_in_and_linked_from_the_footer(client):
    page = client.get(reverse("login")).content.decode()
    for name in ("accessibility", "privacy", "cookies", "help", "glossary"):
        assert f'href="{reverse(name)}"' in page
        assert client.get(reverse(name)).status_code == 200
    accessibility = client.get(reverse("accessibility")).content.decode()
    assert "Accessibility statement" in accessibility and "Non-accessible content" in accessibility
    assert "We plan to fix this by" in accessibility and "Enforcement procedure" in accessibility
    assert "six years after the agreement ends" in client.get(reverse("privacy")).content.decode()
    cookies = client.get(reverse("cookies")).content.decode()
    assert "only use cookies that are essential" in cookies and "sessionid" in cookies and "csrftoken" in cookies


@pytest.mark.parametrize(
    "username, heading",
    [
        ("coordinator", "As the ALMO coordinator"),
        ("environment.officer", "As a council department officer"),
        ("board.member", "As a board member"),
        ("admin", "As an administrator"),
    ],
)
def test_help_shows_the_users_own_role(client_as, username, heading):
    page = client_as(username).get(reverse("help")).content.decode()
    assert heading in page
    others = [
        h
        for u, h in [("coordinator", "As the ALMO coordinator"), ("board.member", "As a board member")]
        if u != username
    ]
    assert all(other not in page for other in others)


def test_help_for_an_unknown_role_is_404(client):
    assert client.get(reverse("help_role", args=["wizard"])).status_code == 404


def test_glossary_has_every_term_with_an_anchor(client):
    page = client.get(reverse("glossary")).content.decode()
    for slug in ("rag", "amber-tolerance", "hra", "notice-alignment", "departure", "variation", "service-credit"):
        assert f'id="{slug}"' in page and GLOSSARY[slug][0] in page


def test_terms_link_to_the_glossary_where_they_appear(client_as, demo_data):
    client = client_as("coordinator")
    main = demo_data["main"]
    glossary = reverse("glossary")
    schedule = Schedule.objects.filter(agreement=main, standards__amber_tolerance__isnull=False).first()
    assert f"{glossary}#amber-tolerance" in client.get(schedule.get_absolute_url()).content.decode()
    assert f"{glossary}#service-credit" in client.get(schedule.get_absolute_url()).content.decode()
    detail = client.get(main.get_absolute_url()).content.decode()
    assert f"{glossary}#hra" in detail and f"{glossary}#notice-alignment" in detail
    ret = QuarterlyReturn.objects.filter(agreement=main).first()
    assert f"{glossary}#rag" in client.get(ret.get_absolute_url()).content.decode()
    assert f"{glossary}#departure" in client.get(reverse("reporting:departure_list")).content.decode()


def _search(client, q):
    response = client.get(reverse("search"), {"q": q})
    assert response.status_code == 200
    return response.context["results"]


def test_search_finds_agreements_services_and_standards(client_as, demo_data):
    results = _search(client_as("admin"), "abandoned vehicles")
    assert any(s.slug == "removal-of-abandoned-vehicles" for s in results.services)
    assert {st.schedule.service.slug for st in results.standards} >= {"removal-of-abandoned-vehicles"}
    assert [a.reference for a in _search(client_as("admin"), "SLA-KEH-2026").agreements] == ["SLA-KEH-2026"]


def test_search_respects_object_rules(client_as, demo_data):
    assert _search(client_as("coordinator"), "SLA-KEH-2026").agreements == []
    officer = _search(client_as("environment.officer"), "within")
    assert officer.standards and {s.schedule.service.department.name for s in officer.standards} == {
        "Environmental Services"
    }
    legal = _search(client_as("admin"), "Written advice")
    assert legal.standards
    assert _search(client_as("environment.officer"), "Written advice").standards == []


def test_search_departures_only_on_visible_returns(client_as, demo_data):
    departure = Departure.objects.filter(result__quarterly_return__department__name="Legal Services").first()
    assert departure is not None
    words = departure.result.standard.title
    assert departure in _search(client_as("admin"), words).departures
    assert departure not in _search(client_as("environment.officer"), words).departures


def test_search_page_in_the_header_and_empty_and_too_long_queries(client_as, demo_data):
    client = client_as("coordinator")
    assert 'role="search"' in client.get(reverse("dashboard")).content.decode()
    assert _search(client, "").count == 0
    page = client.get(reverse("search"), {"q": "x" * 201}).content.decode()
    assert "There is a problem" in page and "200 characters or fewer" in page


@pytest.mark.skipif(connection.vendor != "postgresql", reason="full-text search runs on PostgreSQL")
def test_postgresql_full_text_search_stems_words(client_as, demo_data):
    results = _search(client_as("admin"), "removing abandoned vehicle")
    assert any(s.slug == "removal-of-abandoned-vehicles" for s in results.services)


def test_query_count_is_bounded(client_as, demo_data, django_assert_max_num_queries):
    client = client_as("coordinator")
    with django_assert_max_num_queries(25):
        client.get(reverse("search"), {"q": "within"})
