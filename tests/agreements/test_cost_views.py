"""The cost, value-for-money and exit-planner pages through HTTP: what each role sees and may do,
exports, bad input, and constant query counts."""

import csv
import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agreements.models import Agreement, Schedule, ServiceNotice
from services.models import Benchmark, MarketTest
from tests.factories import ScheduleFactory
from tests.test_pages import grow

D = Decimal
pytestmark = pytest.mark.django_db


@pytest.fixture
def legal(demo_data):
    return Schedule.objects.get(agreement=demo_data["main"], service__slug="legal-advice-and-conveyancing")


def benchmark(legal, user, amount):
    return Benchmark.objects.create(
        service=legal.service,
        almo=legal.agreement.almo,
        kind=Benchmark.Kind.PUBLISHED,
        amount=D(amount),
        source="CIPFA",
        obtained_on=dt.date(2026, 9, 1),
        entered_by=user,
    )


def queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


class TestCostPage:
    def test_coordinator_sees_totals_chart_and_table(self, client_as, demo_data):
        html = client_as("coordinator").get(reverse("services:costs") + "?year=2026").content.decode()
        assert "£9,281,375" in html and "£9,055,000" in html  # 2026/27 against 2025/26
        assert 'role="img"' in html and '<title id="cost-chart-title">' in html
        assert "Legal Services: £492,000 in 2026/27, £480,000 in 2025/26." in html  # the chart's text alternative
        assert "Apportioned by fee-earner hours recorded on housing matters (18% of staff time)" in html
        assert "SLA-KEH-2026" not in html

    def test_department_officer_sees_only_their_departments_costs(self, client_as, demo_data):
        html = client_as("environment.officer").get(reverse("services:costs") + "?year=2025").content.decode()
        assert "£650,000" in html and "Removal of abandoned vehicles" in html
        assert "Legal advice and conveyancing" not in html and "Value for money" not in html

    def test_bad_filters_fall_back_to_this_year(self, client_as, demo_data):
        response = client_as("coordinator").get(reverse("services:costs") + "?year=1999&category=nonsense")
        assert response.status_code == 200
        html = response.content.decode()
        assert "from the list" in html
        assert "Select a valid choice" not in html

    def test_csv_export_has_every_service_and_the_total(self, client_as, demo_data):
        response = client_as("board.member").get(
            reverse("services:costs") + "?year=2026&category=strategic_support&export=csv"
        )
        assert response["Content-Disposition"] == 'attachment; filename="costs-2026-27.csv"'
        rows = list(csv.reader(io.StringIO(response.content.decode())))
        assert rows[0][-3:] == ["Cost 2025/26 (£)", "Cost 2026/27 (£)", "Change (£)"]
        legal_row = next(r for r in rows if r[3] == "Legal advice and conveyancing")
        assert legal_row[8:] == ["360000.00", "369000.00", "9000.00"]
        assert rows[-1][0] == "Total" and len(rows) == 11 + 2  # 11 strategic and support services

    def test_excel_export(self, client_as, demo_data):
        response = client_as("coordinator").get(reverse("services:costs") + "?export=xlsx&year=2026")
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        values = list(sheet.values)
        assert values[0][3] == "Service" and values[-1][0] == "Total"
        assert D(str(values[-1][9])) == D("9281375")

    def test_officer_export_is_their_department_only(self, client_as, demo_data):
        response = client_as("environment.officer").get(reverse("services:costs") + "?export=csv")
        rows = list(csv.reader(io.StringIO(response.content.decode())))[1:-1]
        assert {r[2] for r in rows} == {"Environmental Services"}


class TestValueForMoney:
    def test_threshold_decides_what_is_flagged(self, client_as, demo_user, legal):
        benchmark(legal, demo_user("coordinator"), "280000")
        benchmark(legal, demo_user("coordinator"), "300000")
        client = client_as("board.member")
        html = client.get(reverse("services:value_for_money")).content.decode()
        assert "1 service costs more than 10% above the benchmark median" in html
        assert "+27.2%" in html and "Dear" in html
        html = client.get(reverse("services:value_for_money") + "?threshold=30").content.decode()
        assert "costs more than" not in html
        html = client.get(reverse("services:value_for_money") + "?threshold=-5").content.decode()
        assert "must be 0 or more" in html and "greater than or equal" not in html

    def test_board_member_reads_but_cannot_add(self, client_as, legal):
        client = client_as("board.member")
        html = client.get(reverse("services:schedule_value", args=[legal.pk])).content.decode()
        assert "Add a benchmark" not in html and "Plan an exit" in html
        response = client.post(reverse("services:benchmark_add", args=[legal.pk]), {"kind": "published"})
        assert response.status_code == 403
        response = client.post(reverse("services:market_test_add", args=[legal.pk]), {"status": "under_review"})
        assert response.status_code == 403
        assert not Benchmark.objects.exists() and not MarketTest.objects.exists()

    def test_other_almo_and_officers_get_404_on_post(self, client_as, legal):
        for username in ("east.coordinator", "legal.officer"):
            response = client_as(username).post(reverse("services:benchmark_add", args=[legal.pk]), {})
            assert response.status_code in (403, 404)
        assert (
            client_as("east.coordinator").post(reverse("services:benchmark_add", args=[legal.pk]), {}).status_code
            == 404
        )
        # the legal officer can see the legal schedule in the agreement, but not its value for money
        assert (
            client_as("legal.officer").post(reverse("services:benchmark_add", args=[legal.pk]), {}).status_code == 403
        )

    def test_invalid_benchmark_reshows_with_errors_and_keeps_input(self, client_as, legal):
        response = client_as("coordinator").post(
            reverse("services:benchmark_add", args=[legal.pk]),
            {
                "kind": "alternative_quote",
                "source": "Northshire Legal LLP",
                "amount": "150",
                "basis": "per_unit",
                "obtained_on": "2026-10-01",
            },
        )
        html = response.content.decode()
        assert response.status_code == 200 and "There is a problem" in html
        assert "Enter how many units the ALMO uses a year" in html
        assert 'value="Northshire Legal LLP"' in html
        assert not Benchmark.objects.exists()

    def test_coordinator_adds_a_benchmark_and_a_decision(self, client_as, demo_user, legal):
        client = client_as("coordinator")
        response = client.post(
            reverse("services:benchmark_add", args=[legal.pk]),
            {
                "kind": "peer_cost",
                "source": "Eastborough",
                "amount": "150",
                "basis": "per_unit",
                "unit_name": "hour",
                "units_per_year": "2000",
                "obtained_on": "2026-10-01",
                "quality_notes": "",
            },
        )
        assert response.status_code == 302
        saved = Benchmark.objects.get()
        assert (saved.annual_equivalent, saved.entered_by, saved.almo) == (
            D("300000.00"),
            demo_user("coordinator"),
            legal.agreement.almo,
        )
        response = client.post(
            reverse("services:market_test_add", args=[legal.pk]),
            {"status": "decided", "decision": "renegotiate", "recorded_on": "2026-11-01", "reason": "Ask for 10% off"},
        )
        assert response.status_code == 302
        html = client.get(reverse("services:schedule_value", args=[legal.pk])).content.decode()
        assert "Decision: renegotiate" in html and "Eastborough" in html


class TestNotices:
    def test_coordinator_serves_notice_and_the_agreement_shows_it(self, client_as, demo_data, legal):
        Agreement.objects.filter(pk=legal.agreement_id).update(notice_alignment="quarter_end")
        client = client_as("coordinator")
        today = timezone.localdate()
        response = client.post(
            reverse("services:notice_serve", args=[legal.pk]),
            {"served_on": today.isoformat(), "reason": "Dearer than the market"},
        )
        assert response.status_code == 302
        notice = ServiceNotice.objects.get()
        assert notice.effective_date.month in (3, 6, 9, 12) and notice.served_by.username == "coordinator"
        html = client.get(demo_data["main"].get_absolute_url()).content.decode()
        assert "Services under notice" in html and "Dearer than the market" in html
        board = client_as("board.member").get(reverse("dashboard")).content.decode()
        assert f"takes effect {notice.effective_date:%-d %B %Y}" in board
        officer = client_as("legal.officer").get(demo_data["main"].get_absolute_url()).content.decode()
        assert "Services under notice" not in officer  # department officers do not see notice planning

    @pytest.mark.parametrize(
        "username, status",
        [
            ("board.member", 403),
            ("east.coordinator", 404),
            ("environment.officer", 404),
            ("legal.officer", 403),
        ],
    )
    def test_only_the_almos_coordinator_may_serve_notice(self, client_as, legal, username, status):
        response = client_as(username).post(
            reverse("services:notice_serve", args=[legal.pk]), {"served_on": "2026-01-05", "reason": "x"}
        )
        assert response.status_code == status
        assert not ServiceNotice.objects.exists()

    def test_notice_cannot_be_served_on_a_draft_agreement_even_by_an_administrator(self, client_as, demo_data):
        east_legal = Schedule.objects.get(agreement=demo_data["east"], service__slug="legal-advice-and-conveyancing")
        response = client_as("admin").post(
            reverse("services:notice_serve", args=[east_legal.pk]), {"served_on": "2026-01-05", "reason": "x"}
        )
        assert response.status_code == 403

    def test_a_future_date_reshows_the_planner_with_the_error(self, client_as, legal):
        response = client_as("coordinator").post(
            reverse("services:notice_serve", args=[legal.pk]), {"served_on": "2099-01-01", "reason": "Because"}
        )
        html = response.content.decode()
        assert response.status_code == 200 and "cannot be recorded as served on a future date" in html
        assert "Because" in html and not ServiceNotice.objects.exists()

    def test_withdraw(self, client_as, demo_user, legal):
        served = ServiceNotice.objects.create(
            schedule=legal,
            served_on=timezone.localdate() - dt.timedelta(days=1),
            effective_date=timezone.localdate() + dt.timedelta(days=90),
            served_by=demo_user("coordinator"),
            reason="x",
        )
        url = reverse("services:notice_withdraw", args=[served.pk])
        assert client_as("board.member").post(url).status_code == 403
        assert client_as("east.coordinator").post(url).status_code == 404
        assert client_as("coordinator").post(url).status_code == 302
        served.refresh_from_db()
        assert served.withdrawn_on == timezone.localdate()
        assert client_as("coordinator").post(url).status_code == 403  # already withdrawn

    def test_exit_planner_for_a_chosen_date(self, client_as, legal):
        html = (
            client_as("board.member")
            .get(reverse("services:exit_planner", args=[legal.pk]) + "?served_on=2027-10-01")
            .content.decode()
        )
        assert "If notice is served on 1 October 2027" in html
        assert "30 September 2028" in html and "renewal term 1" in html  # too late for the initial term
        assert "Serve notice" not in html  # board members read only


PAGES = {
    "costs": lambda demo, legal: reverse("services:costs"),
    "costs csv": lambda demo, legal: reverse("services:costs") + "?export=csv",
    "value for money": lambda demo, legal: reverse("services:value_for_money"),
    "schedule value": lambda demo, legal: reverse("services:schedule_value", args=[legal.pk]),
    "exit planner": lambda demo, legal: reverse("services:exit_planner", args=[legal.pk]),
    "agreement with notices": lambda demo, legal: demo["main"].get_absolute_url(),
    "dashboard": lambda demo, legal: reverse("dashboard"),
}


@pytest.mark.parametrize("page", PAGES)
def test_query_counts_do_not_grow_with_the_data(client_as, demo_data, demo_user, legal, page):
    client = client_as("admin" if page == "costs csv" else "coordinator")
    url = PAGES[page](demo_data, legal)
    before = queries(client, url)
    grow(demo_data)
    coordinator = demo_user("coordinator")
    for schedule in Schedule.objects.filter(agreement=demo_data["main"]):
        benchmark(schedule, coordinator, "1000")
        MarketTest.objects.create(
            service=schedule.service,
            almo=schedule.agreement.almo,
            status="under_review",
            recorded_on=dt.date(2026, 1, 1),
            reason="x",
            recorded_by=coordinator,
        )
        ServiceNotice.objects.create(
            schedule=schedule,
            served_on=dt.date(2026, 1, 5),
            effective_date=dt.date(2026, 7, 31),
            served_by=coordinator,
            reason="x",
        )
    ScheduleFactory(agreement=demo_data["main"])
    after = queries(client, url)
    assert after == before, f"{page}: {before} queries with the demo data, {after} with more"


def test_the_dashboard_costs_take_a_constant_number_of_queries_whatever_the_size(demo_data, demo_user):
    from reporting.selectors import dashboard_summary

    coordinator = demo_user("coordinator")
    assert coordinator.profile  # loaded once per request by the navigation context processor
    today = dt.date(2026, 11, 27)
    with CaptureQueriesContext(connection) as small:
        summary = dashboard_summary(user=coordinator, today=today)
    assert summary.show_value and summary.costs.total.this_year > 0
    grow(demo_data, 5)
    with CaptureQueriesContext(connection) as large:
        dashboard_summary(user=coordinator, today=today)
    assert len(large.captured_queries) == len(small.captured_queries) <= 9
    officer = demo_user("environment.officer")
    assert officer.profile
    assert not dashboard_summary(user=officer, today=today).show_value  # no value for money or notices
