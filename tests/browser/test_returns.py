"""The quarterly return story, end to end in Chromium: fill, depart, attach, submit, query, resubmit, accept."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from reporting.models import Departure, QuarterlyReturn, StandardResult
from tests.browser.dates import fill_date

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"  # noqa: E501
CARS = "Abandoned cars removed within 24 hours of report"


def last_quarter_return_not_yet_submitted(demo):
    """Environmental Services has not yet sent its return for the quarter just ended (it is overdue)."""
    ret = (
        QuarterlyReturn.objects.filter(agreement=demo["main"], department__name="Environmental Services")
        .exclude(status="draft")
        .order_by("-financial_year", "-quarter")
        .first()
    )
    StandardResult.objects.filter(quarterly_return=ret).delete()
    ret.events.exclude(to_status="draft").delete()
    ret.status, ret.submitted_at, ret.submitted_by, ret.reviewed_at, ret.reviewed_by = "draft", None, None, None, None
    ret.save()
    return ret


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()


def test_department_return_is_filled_queried_resubmitted_and_accepted(demo_data, sign_in, screenshot, axe_check):
    ret = last_quarter_return_not_yet_submitted(demo_data)
    label = ret.period.label

    # The department officer finds the overdue return.
    page = sign_in("environment.officer")
    page.get_by_role("link", name="Returns", exact=True).click()
    assert page.get_by_role("heading", level=1).inner_text() == "Quarterly returns"
    axe_check(page, "return list (officer)")
    page.locator(f'a[href="{ret.get_absolute_url()}"]').click()  # the officer also reports to a third ALMO
    assert page.get_by_role("heading", level=1).inner_text() == f"Environmental Services return, {label}"
    assert "Overdue" in page.locator("main").inner_text()

    # Figures: one standard misses its target.
    page.get_by_role("link", name="Fill in figures").click()
    axe_check(page, "return edit")
    page.get_by_label("Actual this quarter (hours)").fill("40")
    page.get_by_label("Actual this quarter (%)").fill("96")
    page.get_by_label("Actual this quarter (working days)").fill("4")
    page.get_by_label("Commentary").first.fill("Two removal trucks were off the road for three weeks.")
    screenshot(page, "return-edit")
    page.get_by_role("button", name="Save as draft").click()
    main = page.locator("main").inner_text()
    assert "saved as a draft" in main and "missed its target: add a departure" in main
    assert page.get_by_role("button", name="Submit return").count() == 0  # not without a departure

    # The departure from standard.
    page.get_by_role("link", name=f"Add a departure for {CARS}").click()
    axe_check(page, "departure form")
    page.get_by_label("What happened").fill("Abandoned cars took up to 40 hours to remove")
    page.get_by_label("Number of cases").fill("14")
    page.get_by_label("Reason").fill("Two removal trucks off the road awaiting parts")
    page.get_by_label("Remedial action", exact=True).fill("Spot-hire a truck until the fleet is repaired")
    page.get_by_label("Action owner").fill("Fleet manager")
    fill_date(page, "Remedial action target date", dt.date(2026, 12, 20))
    page.get_by_role("button", name="Save departure").click()
    assert "Spot-hire a truck" in page.locator("main").inner_text()

    # Evidence.
    page.get_by_role("link", name="Attach evidence").click()
    axe_check(page, "evidence upload")
    page.get_by_label("Upload a file").set_input_files(
        files=[{"name": "fleet repair log.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_role("button", name="Attach file").click()
    expect(page.get_by_role("link", name="fleet repair log.pdf")).to_be_visible()
    screenshot(page, "return-before-submit")
    axe_check(page, "return detail before submitting")
    page.get_by_role("button", name="Submit return").click()
    assert "has been submitted" in page.locator("main").inner_text()
    assert page.get_by_role("link", name="Fill in figures").count() == 0  # locked
    sign_out(page)

    # The coordinator queries it back.
    page = sign_in("coordinator")
    page.goto(ret.get_absolute_url())
    assert "Red" in page.locator("main").inner_text()
    page.get_by_role("link", name="Review this return").click()
    axe_check(page, "review form")
    page.get_by_label("Query it back to the department").check()
    page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()  # a query needs a comment
    screenshot(page, "review-error")
    axe_check(page, "review form with an error")
    page.get_by_label("Comment").fill("When will the second truck be back? Please add the date.")
    page.get_by_role("button", name="Record decision").click()
    assert "queried back" in page.locator("main").inner_text()
    sign_out(page)

    # The officer answers and resubmits.
    page = sign_in("environment.officer")
    page.goto(ret.get_absolute_url())
    assert "When will the second truck be back?" in page.locator("main").inner_text()
    axe_check(page, "sent back return")
    page.get_by_role("link", name="Fill in figures").click()
    page.get_by_label("Commentary").first.fill("Second truck back in service on 20 November 2026.")
    page.get_by_role("button", name="Save as draft").click()
    page.get_by_role("button", name="Resubmit return").click()
    assert "has been submitted" in page.locator("main").inner_text()
    sign_out(page)

    # The coordinator accepts; the dashboard shows the RAG and the departure.
    page = sign_in("coordinator")
    page.goto(ret.get_absolute_url())
    page.get_by_role("link", name="Review this return").click()
    page.get_by_label("Accept the return").check()
    page.get_by_role("button", name="Record decision").click()
    assert "is accepted" in page.locator("main").inner_text()
    screenshot(page, "return-accepted")
    axe_check(page, "accepted return with history")
    history = page.get_by_role("table").last.inner_text()
    for change in ("Draft to submitted", "Submitted to sent back", "Sent back to submitted", "Submitted to accepted"):
        assert change in history

    page.get_by_role("link", name="Dashboard", exact=True).click()
    dashboard = page.locator("main").inner_text()
    red = StandardResult.objects.filter(
        quarterly_return__agreement=demo_data["main"],
        quarterly_return__financial_year=ret.financial_year,
        quarterly_return__quarter=ret.quarter,
        rag="red",
    ).count()
    assert f"RAG in {label}" in dashboard and f"Red\t{red} standard" in dashboard.replace("\n", "\t")
    assert "Abandoned cars took up to 40 hours to remove" in dashboard
    assert CARS in dashboard
    screenshot(page, "dashboard-after-return")
    axe_check(page, "dashboard with returns")

    ret.refresh_from_db()
    assert ret.status == "accepted" and ret.revision == 2
    assert Departure.objects.filter(result__quarterly_return=ret, cases=14).exists()
    assert ret.evidence.get().original_name == "fleet repair log.pdf"


def test_coordinator_lists_returns_and_departures_and_a_wrong_file_is_refused(
    demo_data, sign_in, screenshot, axe_check
):
    page = sign_in("coordinator")
    page.get_by_role("link", name="Returns", exact=True).click()
    screenshot(page, "return-list")
    axe_check(page, "return list (coordinator)")
    page.get_by_role("link", name="Departures from standard").click()
    page.get_by_label("Resolved").select_option("no")
    page.get_by_role("button", name="Apply filters").click()
    assert "Urgent repairs completed within time limits" in page.locator("main").inner_text()
    screenshot(page, "departure-list")
    axe_check(page, "departure list")
    page.get_by_role("link", name="Open a quarter's returns").count()  # reachable from the return list
    page.goto("/reporting/returns/open/")
    axe_check(page, "open returns form")
    sign_out(page)

    page = sign_in("environment.officer")
    ret = (
        QuarterlyReturn.objects.filter(department__name="Environmental Services", status="draft")
        .order_by("-financial_year", "-quarter")
        .first()
    )
    page.goto(f"/reporting/returns/{ret.pk}/evidence/add/")
    page.get_by_label("Upload a file").set_input_files(
        files=[{"name": "report.pdf", "mimeType": "application/pdf", "buffer": b"MZ\x90\x00 this is a program"}]
    )
    page.get_by_role("button", name="Attach file").click()
    assert "not a PDF file" in page.locator(".govuk-error-summary").inner_text()
    screenshot(page, "evidence-refused")
    axe_check(page, "evidence refused")
    page.goto(f"/reporting/returns/{ret.pk}/import/")
    page.get_by_label("Upload the completed template").set_input_files(
        files=[
            {
                "name": "return.csv",
                "mimeType": "text/csv",
                "buffer": b"Standard ID,Service,Standard,Unit,Target,Actual,Milestone outcome,Date delivered,Commentary\nx,,,,,lots,,,\n",  # noqa: E501
            }
        ]
    )
    page.get_by_role("button", name="Upload and check").click()
    errors = page.locator(".govuk-error-summary").first.inner_text()
    assert "nothing was saved" in errors and "Row 2, column A" in errors
    screenshot(page, "import-errors")
    axe_check(page, "import with errors")


def test_milestones_are_answered_met_or_not_met(demo_data, sign_in, screenshot, axe_check):
    ret = (
        QuarterlyReturn.objects.filter(
            agreement=demo_data["main"],
            department__name="Community Safety",
            status="accepted",
            results__standard__kind="milestone",  # a milestone met earlier is not asked for again
        )
        .order_by("-financial_year", "-quarter")
        .first()
    )
    ret.status = "sent_back"
    ret.save()
    page = sign_in("admin")
    page.goto(f"/reporting/returns/{ret.pk}/edit/")
    radios = page.get_by_role("group", name="Milestone outcome")
    assert radios.count() >= 1
    radios.first.get_by_label("Not met").check()
    fill_date(page, "Date delivered (if met)", None)
    page.get_by_role("button", name="Save as draft").click()
    assert "saved as a draft" in page.locator("main").inner_text()
    page.goto(f"/reporting/returns/{ret.pk}/edit/")
    assert page.get_by_role("group", name="Milestone outcome").first.get_by_label("Not met").is_checked()
    screenshot(page, "return-edit-milestones")
    axe_check(page, "return edit with milestones")
