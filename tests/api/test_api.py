"""The read-only API: tokens, the same object rules as the pages, filters, pagination, ISO dates, throttling."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.throttling import UserRateThrottle

from agreements.models import Agreement, Schedule
from api.models import ApiToken
from reporting.models import Departure, QuarterlyReturn, StandardResult

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@pytest.fixture(autouse=True)
def _fresh_throttle(settings):
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def make_token(client_as, username) -> str:
    client = client_as(username)
    page = client.post(reverse("api:token"), {"action": "create"}, follow=True).content.decode()
    key = re.search(r'<code class="app-token">([^<]+)</code>', page).group(1)
    client.logout()
    return key


def api(token, path, **params):
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}").get(path, params)


def everything(token, path, **params):
    rows, url = [], path
    response = api(token, url, page_size=500, **params)
    while True:
        assert response.status_code == 200, response.content
        rows += response.json()["results"]
        if not response.json()["next"]:
            return rows
        response = Client(HTTP_AUTHORIZATION=f"Bearer {token}").get(response.json()["next"])


def test_token_is_shown_once_and_stored_hashed(client_as, demo_data):
    key = make_token(client_as, "coordinator")
    stored = ApiToken.objects.get(user__username="coordinator")
    assert key.startswith("almo_") and stored.key_hash != key and key not in stored.key_hash
    page = client_as("coordinator").get(reverse("api:token")).content.decode()  # shown once only
    assert key not in page and stored.key_start in page


def test_no_token_or_a_wrong_one_is_401_not_a_redirect(demo_data):
    assert Client().get("/api/v1/agreements/").status_code == 401
    response = api("almo_not-a-real-token", "/api/v1/agreements/")
    assert response.status_code == 401 and response["WWW-Authenticate"].startswith("Bearer")


def test_revoked_token_stops_working(client_as, demo_data):
    key = make_token(client_as, "coordinator")
    assert api(key, "/api/v1/agreements/").status_code == 200
    client_as("coordinator").post(reverse("api:token"), {"action": "revoke"})
    assert api(key, "/api/v1/agreements/").status_code == 401


def test_a_new_token_replaces_the_old(client_as, demo_data):
    old = make_token(client_as, "coordinator")
    new = make_token(client_as, "coordinator")
    assert api(old, "/api/v1/agreements/").status_code == 401
    assert api(new, "/api/v1/agreements/").status_code == 200


def test_agreements_with_iso_dates_and_only_the_users_almo(client_as, demo_data):
    rows = everything(make_token(client_as, "coordinator"), "/api/v1/agreements/")
    assert {r["almo"]["slug"] for r in rows} == {"kirkby-neighbourhood-homes"}
    main = next(r for r in rows if r["reference"] == "SLA-KNH-2025")
    assert ISO_DATE.match(main["start_date"]) and main["start_date"] == demo_data["main"].start_date.isoformat()
    assert "SLA-KEH-2026" not in {r["reference"] for r in rows}


def test_department_officers_token_sees_only_their_department(client_as, demo_data):
    token = make_token(client_as, "environment.officer")
    schedules = everything(token, "/api/v1/schedules/")
    assert schedules and {s["department"] for s in schedules} == {"Environmental Services"}
    standards = everything(token, "/api/v1/standards/")
    assert standards and {s["department"] for s in standards} == {"Environmental Services"}
    results = everything(token, "/api/v1/results/")
    assert {r["department"] for r in results} <= {"Environmental Services"}
    departures = everything(token, "/api/v1/departures/")
    assert {d["department"] for d in departures} <= {"Environmental Services"}
    costs = everything(token, "/api/v1/costs/")
    assert costs and {c["department"] for c in costs} == {"Environmental Services"}
    legal = Schedule.objects.filter(service__department__name="Legal Services").first()
    assert api(token, f"/api/v1/schedules/{legal.pk}/").status_code == 404


def test_results_and_departures_filter_by_almo_year_and_quarter(client_as, demo_data):
    token = make_token(client_as, "admin")
    ret = QuarterlyReturn.objects.filter(results__isnull=False).order_by("-financial_year", "-quarter").first()
    rows = everything(
        token, "/api/v1/results/", year=ret.financial_year, quarter=ret.quarter, almo=ret.agreement.almo.slug
    )
    expected = StandardResult.objects.filter(
        quarterly_return__financial_year=ret.financial_year,
        quarterly_return__quarter=ret.quarter,
        quarterly_return__agreement__almo=ret.agreement.almo,
    ).count()
    assert len(rows) == expected > 0
    assert {(r["financial_year"], r["quarter"]) for r in rows} == {(ret.financial_year, ret.quarter)}
    departures = everything(token, "/api/v1/departures/", year=ret.financial_year)
    in_year = Departure.objects.filter(result__quarterly_return__financial_year=ret.financial_year)
    assert len(departures) == in_year.count()
    assert api(token, "/api/v1/results/", quarter=5).status_code == 400
    assert api(token, "/api/v1/results/", year="last").status_code == 400


def test_costs_for_a_year(client_as, demo_data):
    token = make_token(client_as, "coordinator")
    year = demo_data["main"].start_date.year
    rows = everything(token, "/api/v1/costs/", year=year)
    live = Schedule.objects.filter(
        agreement__almo__slug="kirkby-neighbourhood-homes",
        agreement__status__in=[Agreement.Status.ACTIVE, Agreement.Status.AGREED],
    )
    assert len(rows) == live.count()
    assert {r["financial_year"] for r in rows} == {year}
    assert rows[0]["financial_year_label"] == f"{year}/{str(year + 1)[-2:]}"


def test_pagination(client_as, demo_data):
    token = make_token(client_as, "admin")
    first = api(token, "/api/v1/schedules/", page_size=3).json()
    assert len(first["results"]) == 3 and first["count"] > 3 and "page=2" in first["next"]


def test_throttled(client_as, demo_data, monkeypatch):
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"user": "3/minute", "anon": "3/minute"})
    token = make_token(client_as, "coordinator")
    codes = [api(token, "/api/v1/agreements/").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]


def test_user_without_role_gets_403(demo_data):
    from django.contrib.auth import get_user_model

    from api.tokens import token_create

    user = get_user_model().objects.create_user("norole", email="norole@example.gov.uk")
    assert api(token_create(user=user), "/api/v1/agreements/").status_code == 403


def test_schema_and_docs(client_as, demo_data):
    token = make_token(client_as, "coordinator")
    schema = api(token, "/api/v1/schema/", format="json").json()
    for path in ("agreements", "schedules", "standards", "results", "departures", "costs", "notices"):
        assert f"/api/v1/{path}/" in schema["paths"]
    params = {p["name"] for p in schema["paths"]["/api/v1/results/"]["get"]["parameters"]}
    assert {"almo", "year", "quarter", "page", "page_size"} <= params
    docs = client_as("coordinator").get(reverse("api:docs")).content.decode()
    assert "/api/v1/departures/" in docs and "Authorization: Bearer" in docs


@pytest.mark.parametrize("path", ["agreements", "schedules", "standards", "results", "departures", "costs", "notices"])
def test_list_query_counts_are_bounded(client_as, demo_data, django_assert_max_num_queries, path):
    token = make_token(client_as, "admin")
    with django_assert_max_num_queries(12):
        assert api(token, f"/api/v1/{path}/", page_size=500).status_code == 200
