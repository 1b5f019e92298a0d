"""Issue 14 in Chromium: the panel's challenge → response → escalation; a published quarter seen signed out;
a complaint through two stages; the council officer's comparison across ALMOs. Every page is checked with axe."""

import pytest
from django.utils import timezone

from reporting.complaints.models import Complaint
from reporting.scrutiny.models import Challenge
from services.periods import add_working_days
from tests.browser.dates import fill_date

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()


def main_text(page) -> str:
    return page.locator("main").inner_text()


def test_panel_challenge_is_declined_then_escalated(demo_data, sign_in, screenshot, axe_check):
    page = sign_in("panel.member")
    assert "tenant scrutiny panel" in main_text(page)
    axe_check(page, "panel dashboard")
    screenshot(page, "tenants-panel-dashboard")
    page.get_by_role("link", name="Raise a challenge or recommendation").first.click()
    page.get_by_label("Challenge", exact=True).check()
    page.get_by_label("Service", exact=True).select_option(
        label="Environmental Services: Removal of abandoned vehicles"
    )
    page.get_by_label("Summary").fill("Removal times start from the wrong report")
    page.get_by_label("What the panel found and what it asks for").fill("Reports made out of hours are not counted.")
    axe_check(page, "raise a challenge")
    page.get_by_role("button", name="Send to the coordinator").click()
    assert "must respond by" in main_text(page)
    challenge = Challenge.objects.get(title="Removal times start from the wrong report")
    assert page.get_by_role("link", name="Escalate to the board").count() == 0  # not before it is due
    sign_out(page)

    page = sign_in("coordinator")
    page.goto(challenge.get_absolute_url())
    page.get_by_role("link", name="Respond to the panel").click()
    page.get_by_role("button", name="Send response").click()  # nothing chosen: errors named
    assert "There is a problem" in main_text(page)
    page.get_by_label("Decline it, with reasons").check()
    page.get_by_label("Response to the panel").fill("The contractor's system stamps the time it is dispatched.")
    axe_check(page, "respond to a challenge")
    page.get_by_role("button", name="Send response").click()
    assert "Declined" in main_text(page)
    sign_out(page)

    page = sign_in("panel.member")
    page.goto(challenge.get_absolute_url())
    page.get_by_role("link", name="Escalate to the board").click()
    page.get_by_label("Why the panel is taking this to the board").fill(
        "Tenants still wait days; the board should decide."
    )
    page.get_by_role("button", name="Escalate to the board").click()
    assert "Escalated to the board" in main_text(page)
    axe_check(page, "escalated challenge")
    screenshot(page, "tenants-challenge-escalated")
    challenge.refresh_from_db()
    assert challenge.escalated_on == timezone.localdate() and challenge.status == "declined"


def test_published_quarter_is_seen_signed_out(demo_data, sign_in, screenshot, axe_check, page):
    almo = demo_data["main"].almo
    page = sign_in("coordinator")
    page.goto(f"/reporting/public/{almo.slug}/publish/")
    axe_check(page, "publish performance")
    page.get_by_label("2026/27 Q1").check()
    page.get_by_role("button", name="Publish").click()
    assert "is now on" in main_text(page)
    sign_out(page)

    page.goto(f"/reporting/public/{almo.slug}/")
    assert page.url.endswith(f"/reporting/public/{almo.slug}/")  # no sign-in
    text = main_text(page)
    assert "How council services performed in 2026/27 Q1" in text
    assert "Abandoned cars removed within 24 hours of report:" in text and "hours on average, target 24 hours" in text
    assert "2026/27 Q2" not in text  # returns outstanding: never published
    axe_check(page, "public performance")
    screenshot(page, "tenants-public-performance")
    with page.expect_download() as download:
        page.get_by_role("link", name="OpenDocument spreadsheet (ODS)").click()
    assert download.value.suggested_filename == f"{almo.slug}-performance.ods"
    page.get_by_role("link", name="Accessibility statement").first.click()
    axe_check(page, "accessibility statement")


def test_complaint_goes_through_two_stages(demo_data, sign_in, screenshot, axe_check):
    today = timezone.localdate()
    received = add_working_days(today, -12)
    page = sign_in("coordinator")
    page.get_by_role("link", name="Complaints", exact=True).click()
    assert "Overdue steps" in main_text(page)
    axe_check(page, "complaints list")
    page.get_by_role("link", name="Record a complaint").click()
    page.get_by_label("Service complained about").select_option(
        label="Environmental Services: Removal of abandoned vehicles"
    )
    page.get_by_label("A tenant or leaseholder").check()
    page.get_by_label("What the complaint is about").fill("A car with no plates left by the play area for a fortnight.")
    fill_date(page, "Date received", received)
    axe_check(page, "record a complaint")
    page.get_by_role("button", name="Record the complaint").click()
    complaint = Complaint.objects.get(summary__startswith="A car with no plates")
    assert f"Complaint {complaint.reference} recorded" in main_text(page)
    sign_out(page)

    page = sign_in("environment.officer")
    page.goto(complaint.get_absolute_url())
    page.get_by_role("link", name="Record the acknowledgement").click()
    fill_date(page, "Date acknowledged", add_working_days(received, 2))
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Record the response").click()
    fill_date(page, "Date of the response", add_working_days(received, 8))
    page.get_by_label("Not upheld").check()
    page.get_by_label("Response to the complainant").fill("The car was removed within 24 hours of the first report.")
    axe_check(page, "respond to a complaint")
    page.get_by_role("button", name="Save").click()
    assert "In time" in main_text(page)
    sign_out(page)

    page = sign_in("coordinator")
    page.goto(complaint.get_absolute_url())
    page.get_by_role("link", name="Take it to stage 2").click()
    fill_date(page, "Date the complainant asked for stage 2", add_working_days(received, 9))
    page.get_by_label("Why the complainant is not satisfied").fill("It was reported twice before that.")
    page.get_by_role("button", name="Save").click()
    assert "Stage 2" in main_text(page)
    sign_out(page)

    page = sign_in("environment.officer")
    page.goto(complaint.get_absolute_url())
    page.get_by_role("link", name="Record the acknowledgement").click()
    fill_date(page, "Date acknowledged", add_working_days(received, 10))
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Record the response").click()
    fill_date(page, "Date of the response", today)
    page.get_by_label("Partly upheld").check()
    page.get_by_label("Response to the complainant").fill("The first two reports were logged to the wrong street.")
    page.get_by_label("Remedy offered").fill("Apology and a named officer for future reports.")
    page.get_by_label("What the service has learned").fill("Reports now checked against the street gazetteer.")
    page.get_by_role("button", name="Save").click()
    text = main_text(page)
    assert "Stage 2 answered" in text and "Partly upheld" in text
    axe_check(page, "complaint after stage 2")
    screenshot(page, "tenants-complaint-two-stages")
    stages = list(complaint.stages.order_by("number"))
    assert [s.number for s in stages] == [1, 2] and all(s.answered_in_time for s in stages)


def test_council_officer_compares_a_service_across_almos(demo_data, sign_in, screenshot, axe_check):
    page = sign_in("council.officer")
    page.get_by_role("link", name="Across ALMOs").click()
    axe_check(page, "compare (empty)")
    page.get_by_label("Service", exact=True).select_option(
        label="Environmental Services: Removal of abandoned vehicles"
    )
    page.get_by_role("button", name="Compare").click()
    table = page.locator("table").inner_text()
    for almo in ("Kirkby Neighbourhood Homes", "Kirkby East Homes", "Kirkby South Homes"):
        assert almo in table
    assert "6 months" in table and "Notice period (months): 6 (template 3)" in table
    axe_check(page, "compare a service")
    screenshot(page, "tenants-council-compare")
    page.get_by_role("link", name="Cost of administering the arrangements").click()
    assert "All departments" in main_text(page)
    axe_check(page, "administration cost")
    screenshot(page, "tenants-council-administration")
