"""The issue's story: the coordinator benchmarks the legal service, sees it flagged above the
median, plans an exit, serves notice with quarter-end alignment, and the dashboard and the
agreement show it. axe-core checks each page."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from agreements.models import Agreement, ServiceNotice
from agreements.notices import QUARTER_END, earliest_effective_date
from tests.browser.dates import date_value, fill_date

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_benchmarks_legal_plans_exit_and_serves_notice(demo_data, sign_in, screenshot, axe_check):
    main = demo_data["main"]
    main.notice_alignment = Agreement.NoticeAlignment.QUARTER_END
    main.save()
    today = timezone.localdate()
    page = sign_in("coordinator")

    page.get_by_role("link", name="Costs", exact=True).click()
    assert page.get_by_role("heading", level=1).inner_text() == "Costs"
    expect(page.get_by_role("img", name="Annual cost by department")).to_be_visible()
    screenshot(page, "costs")
    axe_check(page, "cost page")

    page.get_by_role("link", name="Value for money", exact=True).click()
    axe_check(page, "value for money, before benchmarks")
    page.get_by_role("link", name="Legal advice and conveyancing").click()
    for source, kind, amount, basis, unit, units in [
        (
            "Northshire Legal LLP",
            "An alternative provider's quote",
            "280000",
            "A year, for the same scope of service",
            "",
            "",
        ),
        (
            "Eastborough Council legal team",
            "Another council's or ALMO's cost",
            "150",
            "A unit (an hour, a case, an employee…)",
            "hour",
            "2000",
        ),
    ]:
        page.get_by_role("link", name="Add a benchmark").click()
        page.get_by_label("Type of evidence").select_option(label=kind)
        page.get_by_label("Source").fill(source)
        page.get_by_label("Amount (£)").fill(amount)
        page.get_by_label("The amount is for").select_option(label=basis)
        if unit:
            page.get_by_label("Unit", exact=True).fill(unit)
            page.get_by_label("Units the ALMO uses a year").fill(units)
        fill_date(page, "Date of the evidence", dt.date(2026, 10, 1))
        page.get_by_label("Quality notes").fill("Covers conveyancing and tenancy advice; excludes litigation.")
        if source.startswith("Northshire"):
            axe_check(page, "benchmark form")
            screenshot(page, "benchmark-form")
        page.get_by_role("button", name="Save benchmark").click()
        expect(page.get_by_text(f"Benchmark from {source} added")).to_be_visible()

    # council £369,000 (2026/27, after the 2.5% uplift) against £280,000 and £300,000: median £290,000
    main_text = page.locator("main").inner_text()
    assert "Above benchmark" in main_text
    assert "median £290,000" in main_text
    assert "+27.2%" in main_text
    screenshot(page, "schedule-value-legal")
    axe_check(page, "service value for money")

    page.get_by_role("link", name="Back to value for money").click()
    row = page.get_by_role("row").filter(has_text="Legal advice and conveyancing")
    assert "+27.2%" in row.inner_text()
    assert "Dear" in row.inner_text()
    screenshot(page, "value-for-money")
    axe_check(page, "value for money")

    row.get_by_role("link", name="Legal advice and conveyancing").click()
    page.get_by_role("link", name="Plan an exit").click()
    effective = earliest_effective_date(today, 6, QUARTER_END)
    assert effective.month in (3, 6, 9, 12)
    text = page.locator("main").inner_text()
    assert "The end of a quarter" in text
    assert f"{effective:%-d %B %Y}" in text
    assert "Possession and litigation" in text  # the other Legal Services service
    assert "Give notice by" in text
    screenshot(page, "exit-planner")
    axe_check(page, "exit planner")

    page.get_by_label("Reason for serving notice").fill("Benchmarks show the council is 27% dearer than the market.")
    page.get_by_role("button", name="Serve notice").click()
    expect(page.get_by_text(f"it takes effect on {effective:%-d %B %Y}")).to_be_visible()
    notice = ServiceNotice.objects.get(
        schedule__agreement=main, schedule__service__slug="legal-advice-and-conveyancing"
    )
    assert (notice.served_on, notice.effective_date, notice.served_by.username) == (today, effective, "coordinator")
    screenshot(page, "exit-planner-notice-served")
    axe_check(page, "exit planner after serving notice")

    page.get_by_role("link", name="Dashboard").click()
    panel = page.locator("section", has_text="Costs, value for money and notices")
    assert "Legal advice and conveyancing" in panel.inner_text()
    assert f"takes effect {effective:%-d %B %Y}" in panel.inner_text()
    assert re.search(r"\b1\s+service above benchmark", panel.inner_text())
    screenshot(page, "dashboard-with-notice")
    axe_check(page, "dashboard with notice")

    page.get_by_role("link", name="Agreements", exact=True).click()
    page.get_by_role("link", name="SLA-KNH-2025").click()
    notices = page.get_by_role("table", name="Services the ALMO has served notice on")
    assert "Legal advice and conveyancing" in notices.inner_text()
    assert f"{effective:%-d %B %Y}" in notices.inner_text()
    screenshot(page, "agreement-with-notice")
    axe_check(page, "agreement with notice")


def test_serving_notice_without_a_reason_shows_the_error_and_keeps_the_date(demo_data, sign_in, axe_check, screenshot):
    legal = demo_data["main"].schedules.get(service__slug="legal-advice-and-conveyancing")
    page = sign_in("coordinator")
    page.goto(f"/services/exit-planner/{legal.pk}/")
    fill_date(page, "Date notice is served", timezone.localdate() - dt.timedelta(days=3))
    page.get_by_role("button", name="Serve notice").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page.get_by_role("link", name="Enter the reason for serving notice")).to_be_visible()
    assert date_value(page, "Date notice is served") == timezone.localdate() - dt.timedelta(days=3)
    assert not ServiceNotice.objects.exists()
    screenshot(page, "exit-planner-error")
    axe_check(page, "exit planner with an error")


def test_the_costs_page_shows_service_credits_when_they_are_on(demo_data, demo_user, sign_in, screenshot, axe_check):
    from reporting.demo_improvement import _seed_credits

    _seed_credits(demo_data["main"], demo_user("coordinator"))
    page = sign_in("coordinator")
    page.goto("/services/costs/?year=2025")
    table = page.get_by_role("table", name="Charged, credited and net, 2025/26")
    expect(table).to_be_visible()
    expect(table.get_by_role("row", name=re.compile("^Total"))).to_contain_text("£")
    page.locator("#service-credits").scroll_into_view_if_needed()
    screenshot(page, "costs-service-credits")
    axe_check(page, "cost page with service credits")
