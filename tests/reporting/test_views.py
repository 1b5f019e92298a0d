"""Returns pages: what each role sees, and a constant number of queries as the data grows."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from reporting import services
from reporting.models import Departure, QuarterlyReturn, StandardResult
from services.periods import Quarter
from tests.factories import AgreementFactory, ScheduleFactory, StandardFactory, StandardTargetFactory
from tests.reporting.conftest import current_return
from tests.test_pages import query_count


def grow_returns(demo, n=6):
    """More returns, results and departures, for the coordinator's ALMO and the environment department."""
    main = demo["main"]
    env = main.schedules.get(service__name="Removal of abandoned vehicles").service.department
    for _ in range(n):
        agreement = AgreementFactory(
            almo=main.almo, council=main.council, coordinator=main.coordinator, status="active"
        )
        for department in (env, None):
            schedule = ScheduleFactory(
                agreement=agreement, **({"service__department": department} if department else {})
            )
            for _ in range(2):
                StandardTargetFactory(standard=StandardFactory(schedule=schedule), value=Decimal("90"))
        for quarter in (Quarter(2026, 1), Quarter(2026, 2)):
            services.returns_open(quarter=quarter, agreement=agreement)
    for result in StandardResult.objects.filter(
        quarterly_return__agreement__title__startswith="Agreement", actual__isnull=True
    ):
        result.actual = Decimal("50")
        result.rag = result.compute_rag()
        result.save()
        Departure.objects.create(
            result=result,
            what_happened="Missed",
            cases=2,
            reason="Staff",
            remedial_action="Recruit",
            owner="Head",
            target_date=dt.date(2027, 1, 1),
        )


PAGES = {
    "return list": lambda demo: reverse("reporting:return_list"),
    "return list, filtered": lambda demo: reverse("reporting:return_list") + "?period=2026-27-Q2&status=accepted",
    "departure list": lambda demo: reverse("reporting:departure_list"),
    "departure list, filtered": lambda demo: reverse("reporting:departure_list") + "?resolved=no&period=2026-27-Q2",
    "return detail": lambda demo: QuarterlyReturn.objects.get(
        agreement=demo["main"], department__name="Environmental Services", financial_year=2026, quarter=2
    ).get_absolute_url(),
    "dashboard": lambda demo: reverse("dashboard"),
}


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("username", ["coordinator", "environment.officer", "admin"])
def test_returns_pages_take_a_constant_number_of_queries(client_as, demo_data, page, username):
    client = client_as(username)
    url = PAGES[page](demo_data)
    before = query_count(client, url)
    grow_returns(demo_data)
    after = query_count(client, url)
    assert after == before, f"{page}: {before} queries with the demo data, {after} with more"
    # the dashboard summarises agreements, costs and returns, lists "your tasks" (one query per
    # group: +6), overdue escalation steps and meeting actions (+2) and the tenants' task list (+5);
    # every page's navigation shows the task counts (+1); a return shows its complaints (+2);
    # escalations read this quarter's red results, then their standards' quarter before (+1)
    limit = 22 + 6 + 2 + 5 + 1 if page == "dashboard" else 16 + 1 + 2
    assert before <= limit, f"{page} takes {before} queries"


def test_the_edit_page_takes_a_constant_number_of_queries(client_as, demo_data):
    ret = current_return(demo_data, "Environmental Services")
    client = client_as("environment.officer")
    url = reverse("reporting:return_edit", args=[ret.pk])
    before = query_count(client, url)
    for schedule in demo_data["main"].schedules.filter(service__department=ret.department):
        StandardTargetFactory(standard=StandardFactory(schedule=schedule))
    services.return_results_ensure(quarterly_return=ret)
    assert query_count(client, url) == before


def test_coordinator_dashboard_shows_rag_late_returns_actions_and_escalations(client_as, demo_data):
    html = client_as("coordinator").get(reverse("dashboard")).content.decode()
    assert "Quarterly returns" in html
    assert "Escalate to the board" in html and "Urgent repairs completed within time limits" in html
    assert "Democratic Services" in html  # its last return is overdue
    assert "Open remedial actions" in html
    last = Quarter.containing(dt.date.today()).previous()  # noqa: DTZ011
    assert f"RAG in {last.label}" in html


def test_department_officer_dashboard_shows_their_returns_to_do(client_as, demo_data):
    html = client_as("environment.officer").get(reverse("dashboard")).content.decode()
    assert "Your returns to do" in html and "Environmental Services, " in html
    assert "Urgent repairs" not in html  # another department's standard


def test_return_detail_shows_rag_tags_and_an_accessible_trend(client_as, demo_data):
    ret = QuarterlyReturn.objects.get(
        agreement=demo_data["main"], department__name="Property Services", financial_year=2026, quarter=2
    )
    html = client_as("board.member").get(ret.get_absolute_url()).content.decode()
    assert 'govuk-tag govuk-tag--red">Red' in html
    assert 'role="img"' in html and "RAG trend for Urgent repairs completed within time limits" in html
    assert "<caption>RAG by quarter for Urgent repairs completed within time limits</caption>" in html
    assert "Fill in figures" not in html and "Review this return" not in html  # board members read


def test_departures_export_as_csv_and_excel_through_the_same_filters(client_as, demo_data):
    client = client_as("coordinator")
    url = reverse("reporting:departure_list")
    response = client.get(url + "?resolved=no&_export=csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == [
        "Quarter",
        "Department",
        "Standard",
        "Service",
        "What happened",
        "Number of cases",
        "Reason",
        "Remedial action",
        "Owner",
        "Target date",
        "Resolved",
    ]
    assert (
        len(rows) - 1
        == Departure.objects.filter(resolved=False, result__quarterly_return__agreement=demo_data["main"]).count()
    )
    assert all(row[-1] == "open" for row in rows[1:])
    response = client.get(url + "?_export=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row - 1 == Departure.objects.filter(result__quarterly_return__agreement=demo_data["main"]).count()


def test_editing_keeps_what_was_typed_when_it_is_wrong(client_as, demo_data):
    ret = current_return(demo_data, "Environmental Services")
    result = ret.results.get(standard__title="Grass cuts completed to schedule")
    response = client_as("environment.officer").post(
        reverse("reporting:return_edit", args=[ret.pk]),
        {f"r{result.pk}-actual": "150", f"r{result.pk}-commentary": "typed"},
    )
    html = response.content.decode()
    assert (
        response.status_code == 200 and "There is a problem" in html and "A percentage cannot be more than 100." in html
    )
    assert 'value="150"' in html and "typed" in html
    result.refresh_from_db()
    assert result.actual is None
