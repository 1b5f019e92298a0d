"""The whole drafting story in a real browser, with axe-core on every page and screenshots."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from agreements.models import Agreement, Schedule
from services.periods import financial_year_start
from tests.browser.dates import fill_date

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_drafts_circulates_revises_signs_and_varies_an_agreement(
    demo_data, eager_tasks, page, sign_in, axe_check, screenshot
):
    today = timezone.localdate()
    start = dt.date(financial_year_start(today), 4, 1)

    def as_user(username):
        page.context.clear_cookies()
        return sign_in(username)

    def check(name):
        screenshot(page, f"drafting-{name}")
        axe_check(page, name)

    main_text = lambda: page.locator("main").inner_text()  # noqa: E731

    # 1. The coordinator creates a blank draft naming both signatories.
    as_user("coordinator")
    page.goto("/agreements/")
    page.get_by_role("link", name="Create a draft agreement").click()
    check("agreement-create")
    page.get_by_label("Title").fill("Environmental and legal services")
    page.get_by_label("Reference").fill("SLA-KNH-ENV")
    fill_date(page, "Start date", start)
    fill_date(page, "End date", start.replace(year=start.year + 3))
    page.get_by_label("Council signatory").select_option(label="Carol Signer (Housing Strategy and Options)")
    page.get_by_label("ALMO signatory").select_option(label="Alan Signwell (Kirkby Neighbourhood Homes)")
    page.get_by_role("button", name="Create the draft").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Environmental and legal services"
    agreement = Agreement.objects.get(reference="SLA-KNH-ENV")

    # 2. Three services; the first gets a standard, after one invalid attempt that keeps what was typed.
    for service, notice, cost in [
        ("Environmental Services: Removal of abandoned vehicles", "3", "38000"),
        ("Legal Services: Legal advice and conveyancing", "6", "360000"),
        ("Customer Services: One-stop shop frontline reception", "6", "210000"),
    ]:
        page.goto(agreement.get_absolute_url())
        page.get_by_role("link", name="Add a schedule").click()
        page.get_by_label("Service", exact=True).select_option(label=service)
        page.get_by_label("Expected service level").fill(f"The {service.split(': ')[1].lower()} service.")
        page.get_by_label("Notice period (months)").fill(notice)
        page.get_by_label("Annual cost (£)").fill(cost)
        # SLA-KNH-2025 already buys it: this agreement replaces that schedule from its start
        name = service.split(": ")[1]
        page.get_by_label("Replaces the schedule in an earlier agreement").select_option(
            label=f"{name} in SLA-KNH-2025"
        )
        fill_date(page, "Replaces it from", start)
        page.get_by_role("button", name="Add the schedule").click()
        assert "Edit " in page.get_by_role("heading", level=1).inner_text()
    page.goto(agreement.schedules.get(service__slug="removal-of-abandoned-vehicles").get_absolute_url())
    page.get_by_role("link", name="Edit the schedule and its standards").click()
    page.locator("#id_standards-0-title").fill("Abandoned cars removed within 24 hours")
    page.locator("#id_standards-0-unit").select_option("hours")
    page.get_by_role("button", name="Save the schedule").click()
    expect(page.get_by_role("heading", name="There is a problem", exact=True)).to_be_visible()
    assert page.locator("#id_standards-0-title").input_value() == "Abandoned cars removed within 24 hours"
    check("schedule-edit-errors")
    page.locator("#id_standards-0-direction").select_option("lower")
    page.locator(f"#id_standards-0-target_{start.year}").fill("24")
    page.get_by_role("button", name="Save the schedule").click()
    assert "24 hours" in main_text()
    check("schedule-detail-draft")

    # 3. Circulate for comment: v1 is frozen and the officers and signatories are emailed.
    page.goto(agreement.get_absolute_url())
    check("agreement-draft")
    page.get_by_role("link", name="Circulate for comment").click()
    check("circulate")
    fill_date(page, "Deadline for comments", today + dt.timedelta(days=14))
    page.get_by_role("button", name="Circulate the draft").click()
    assert "v1" in page.get_by_role("heading", level=1).inner_text()
    recipients = {address for message in mail.outbox for address in message.to}
    assert {
        "environment.officer@example.gov.uk",
        "legal.officer@example.gov.uk",
        "council.signatory@example.gov.uk",
        "almo.signatory@example.gov.uk",
    } <= recipients
    assert "repairs.officer@example.gov.uk" not in recipients

    # 4. A department officer comments on their service.
    as_user("environment.officer")
    page.goto(agreement.get_absolute_url())
    page.get_by_role("link", name="v1").click()
    assert "Legal advice" not in main_text()  # only their own services
    page.get_by_label("What are you commenting on?").select_option(label="Removal of abandoned vehicles")
    page.get_by_label("Your comment").fill("24 hours is not possible at weekends: please allow 48 hours.")
    page.get_by_role("button", name="Send the comment").click()
    assert "your comment has been sent" in main_text()
    check("version-commented")

    # 5. The coordinator answers, starts the next draft, changes the cost and sends v2 for sign-off.
    as_user("coordinator")
    page.goto(agreement.versions.get(number=1).get_absolute_url())
    assert "Eve Green" in main_text()
    page.get_by_role("link", name="Respond to the comment from Eve Green").click()
    check("comment-respond")
    page.get_by_label("Decision").select_option("answered")
    page.get_by_label("Answer, or reason for rejecting").fill(
        "Weekend reports will be collected on Monday; noted in v2."
    )
    page.get_by_role("button", name="Save the response").click()
    assert "Answered" in main_text()
    page.goto(agreement.get_absolute_url())
    page.get_by_role("link", name="Start the next draft").click()
    page.get_by_label("Reason for moving on now").fill("Every comment is answered; the board meets this week.")
    page.get_by_role("button", name="Start the next draft").click()
    page.get_by_role("link", name="Removal of abandoned vehicles").click()
    page.get_by_role("link", name="Edit the schedule and its standards").click()
    page.get_by_label("Annual cost (£)").fill("40000")
    page.get_by_label("Legal and contract notes").fill("Reports made at weekends are collected on Monday.")
    page.get_by_role("button", name="Save the schedule").click()
    page.goto(agreement.get_absolute_url())
    page.get_by_role("link", name="Send for sign-off").click()
    page.get_by_label("Reason for moving on now").fill("The board meets this week.")
    page.get_by_role("button", name="Send for sign-off").click()
    assert "v2 sent to the signatories" in main_text()
    page.get_by_role("link", name="Compare versions").click()
    compare = main_text()
    assert "Changes from v1 to v2" in compare
    assert "£38,000.00" in compare and "£40,000.00" in compare and "+£2,000" in compare
    check("version-compare")

    # 6. Both signatories approve v2: the agreement is active (it started this financial year).
    for username in ("council.signatory", "almo.signatory"):
        as_user(username)
        page.goto(agreement.get_absolute_url())
        page.get_by_role("button", name="Approve v2").click()
        assert "You approved v2" in main_text()
    check("agreement-active")
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.ACTIVE

    # 7. A variation raises the notice period for abandoned vehicles from 3 to 6 months; both approve.
    as_user("coordinator")
    page.goto(agreement.get_absolute_url())
    page.get_by_role("link", name="Propose a variation").click()
    page.get_by_label("Schedule to change").select_option(label="Removal of abandoned vehicles")
    page.get_by_label("Term to change").select_option("notice_period_months")
    page.get_by_label("New value").fill("6")
    page.get_by_label("Reason for the variation").fill("The council is re-tendering the removal contract.")
    fill_date(page, "Takes effect from", today)
    check("variation-form")
    page.get_by_role("button", name="Propose the variation").click()
    assert "Variation 1" in page.get_by_role("heading", level=1).inner_text()
    check("variation-proposed")
    for username in ("council.signatory", "almo.signatory"):
        as_user(username)
        page.goto(agreement.variations.get(number=1).get_absolute_url())
        page.get_by_label("Your decision").select_option("approve")
        page.get_by_role("button", name="Record my decision").click()
    assert "In force" in main_text()
    check("variation-applied")
    cars = Schedule.objects.get(agreement=agreement, service__slug="removal-of-abandoned-vehicles")
    assert cars.notice_period_months == 6

    # 8. The history shows every step.
    as_user("coordinator")
    page.goto(agreement.get_absolute_url())
    assert "6 months" in page.locator("main table").first.inner_text()
    page.get_by_role("link", name="View history").click()
    history = main_text()
    for text in [
        "Created agreement: SLA-KNH-ENV",
        "Created schedule",
        "Created standard",
        "Created version: v1",
        "Created comment",
        "Changed comment",
        "Created version: v2",
        "Created approval: Council approved",
        "Created approval: ALMO approved",
        "Created variation: Variation 1",
        "Changed schedule",
        "Created schedule: Removal of abandoned vehicles",
        "Eve Green",
        "Carol Signer",
        "Alan Signwell",
        "Chris Coordinator",
    ]:
        assert text in history, text
    check("history")
