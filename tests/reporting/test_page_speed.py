"""The slow pages of issue 15 stay lean as the council grows."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from reporting.models import Departure
from reporting.selectors import departure_list, returns_summary

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("username", ["admin", "coordinator", "environment.officer"])
def test_the_dashboard_filters_by_a_plain_subquery_of_return_ids(demo_data, demo_user, username):
    """Not the returns list with its RAG-count join and GROUP BY dragged into every query."""
    user = demo_user(username)
    with CaptureQueriesContext(connection) as queries:
        summary = returns_summary(user=user, today=timezone.localdate())
        list(departure_list(user=user)[:5])
    assert summary.quarter
    for query in queries.captured_queries:
        sql = query["sql"]
        assert "COUNT(CASE WHEN" not in sql and "FILTER (WHERE" not in sql, sql


def test_departures_filter_by_service_name_as_text(client_as, demo_data):
    client = client_as("admin")
    html = client.get(reverse("reporting:departure_list")).content.decode()
    assert re.search(r'<input type="text" name="service"', html)
    assert '<select name="service"' not in html
    expected = Departure.objects.filter(result__standard__schedule__service__name__icontains="repairs").count()
    assert expected, "the demo has departures on repairs services"
    filtered = client.get(reverse("reporting:departure_list"), {"service": "Repairs"}).content.decode()
    rows = re.findall(r'<tr class="govuk-table__row">\s*<td', filtered)
    assert len(rows) == expected


def test_agreement_history_is_paginated_without_version_snapshots(client_as, demo_data, monkeypatch):
    from agreements import selectors
    from agreements.views import history

    monkeypatch.setattr(history, "HISTORY_PAGE_SIZE", 10)
    client = client_as("admin")
    url = reverse("agreements:agreement_history", args=[demo_data["main"].pk])
    html = client.get(url).content.decode()
    total = len(selectors.agreement_history(agreement=demo_data["main"]))
    assert total > 10
    assert html.count('<tr class="govuk-table__row">') == 1 + 10  # the header row and one page
    assert f"Showing 1 to 10 of {total} changes" in html and 'rel="next"' in html
    last = client.get(url, {"page": (total + 9) // 10}).content.decode()
    assert 'rel="prev"' in last and 'rel="next"' not in last


def test_exports_come_from_selector_values_and_neutralise_formulas(client_as, demo_data, monkeypatch):
    import csv
    import io

    from openpyxl import load_workbook

    from reporting.tables import DepartureTable

    departure = Departure.objects.filter(result__quarterly_return__agreement=demo_data["main"]).first()
    Departure.objects.filter(pk=departure.pk).update(
        reason='=HYPERLINK("http://evil.example","click")', owner="@SUM(A1)"
    )

    def cell_by_cell(*args, **kwargs):
        raise AssertionError("the export must not go through the table's per-cell values")

    monkeypatch.setattr(DepartureTable, "value_standard", cell_by_cell)
    client = client_as("coordinator")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("reporting:departure_list") + "?_export=csv")
    assert len(queries.captured_queries) < 15
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    reasons = [row[6] for row in rows[1:]]
    assert '\'=HYPERLINK("http://evil.example","click")' in reasons
    assert "'@SUM(A1)" in [row[8] for row in rows[1:]]
    sheet = load_workbook(io.BytesIO(client.get(reverse("reporting:departure_list") + "?_export=xlsx").content)).active
    values = [cell.value for row in sheet.iter_rows() for cell in row]
    assert not any(isinstance(v, str) and v.startswith("=") for v in values)
    assert "'@SUM(A1)" in values


def test_the_export_helper_neutralises_only_formula_text():
    from almo_sla.exports import neutralise

    assert neutralise("=1+2") == "'=1+2" and neutralise("+44 20") == "'+44 20" and neutralise("-x") == "'-x"
    assert neutralise("\tcmd") == "'\tcmd" and neutralise("Plain text") == "Plain text"
    assert neutralise(-5) == -5 and neutralise(None) is None


def test_value_for_money_is_paginated_flagged_services_first(client_as, demo_data, monkeypatch):
    from reporting import value_views

    monkeypatch.setattr(value_views, "VFM_PAGE_SIZE", 5)
    client = client_as("coordinator")
    html = client.get(reverse("services:value_for_money"), {"threshold": "10"}).content.decode()
    total = int(re.search(r"Showing 1 to 5 of (\d+) services", html).group(1))
    assert total > 5
    assert html.count('<th scope="row" class="govuk-table__header">') == 5
    assert 'href="?threshold=10&amp;page=2" rel="next"' in html
    last = client.get(
        reverse("services:value_for_money"), {"threshold": "10", "page": (total + 4) // 5}
    ).content.decode()
    assert 'rel="prev"' in last and 'rel="next"' not in last


def test_agreement_detail_pages_its_schedules_and_totals_them_all(client_as, demo_data, monkeypatch):
    from decimal import Decimal

    from agreements.models import Schedule
    from agreements.views import agreement_pages

    monkeypatch.setattr(agreement_pages, "SCHEDULES_PAGE_SIZE", 5)
    agreement = demo_data["main"]
    client = client_as("admin")
    url = reverse("agreements:agreement_detail", args=[agreement.pk])
    response = client.get(url)
    html = response.content.decode()
    count = Schedule.objects.filter(agreement=agreement).count()
    assert f"Showing schedules 1 to 5 of {count}, by department" in html
    assert len(response.context["schedules"]) == 5
    total = sum((s.annual_cost for s in Schedule.objects.filter(agreement=agreement)), Decimal("0"))
    assert response.context["total_cost"] == total
    assert 'rel="next"' in html
    schedule = response.context["schedules"][0]
    assert "targets" not in getattr(schedule.standards.all()[0], "_prefetched_objects_cache", {})
