"""Issue 12's returns story in Chromium: a return with a milestone delivered late, an import that is
refused for a decimal comma and then accepted, a query back and an acceptance. Dates are typed as day,
month and year; error pages say "Error:" in their title and name the field. Screenshots are kept."""

import csv
import datetime as dt
import io
import re

import pytest
from playwright.sync_api import expect

from agreements.models import Schedule, Standard
from reporting import services
from reporting.models import QuarterlyReturn, StandardResult
from tests.browser.dates import fill_date

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MILESTONE = "Fleet replacement plan agreed"
ERROR_TITLE = re.compile(r"^Error: ")


def _return_with_a_milestone(demo):
    """Environmental Services' return for the quarter just ended, reopened as a draft, with a milestone due in it."""
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
    schedule = Schedule.objects.filter(agreement=demo["main"], service__department=ret.department).first()
    milestone = Standard.objects.create(
        schedule=schedule,
        kind=Standard.Kind.MILESTONE,
        title=MILESTONE,
        position=99,
        deliverable='A costed plan for replacing the removal trucks <meta http-equiv="refresh" content="0;url=https://evil.example/">',
        due_date=ret.period.end - dt.timedelta(days=20),
        amber_tolerance=5,
    )
    services.return_results_ensure(quarterly_return=ret)
    return ret, milestone


def _sign_out(page):
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()


def _csv(rows):
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode()


def test_a_return_with_a_milestone_an_import_a_query_and_acceptance(demo_data, sign_in, screenshot, axe_check):
    ret, milestone = _return_with_a_milestone(demo_data)
    quarter_end = ret.period.end

    page = sign_in("environment.officer")
    page.goto(f"/reporting/returns/{ret.pk}/edit/")
    assert page.url.endswith("/edit/")  # the injected refresh in the deliverable did not send us off-site
    section = page.locator("section.app-result").filter(has_text=MILESTONE)
    assert 'http-equiv="refresh"' in section.inner_text()  # shown as text
    assert page.locator('input[type="date"]').count() == 0  # GOV.UK date inputs, not the browser's picker
    section.get_by_label("Met", exact=True).check()
    fill_date(section, "Date delivered", quarter_end + dt.timedelta(days=1))  # after the quarter: refused
    page.get_by_role("button", name="Save as draft").click()
    expect(page).to_have_title(ERROR_TITLE)
    summary = page.locator(".govuk-error-summary").inner_text()
    assert f"{MILESTONE}: The date delivered must be on or before the quarter ends ({quarter_end:%-d %B %Y})" in summary
    assert "This field is required" not in summary
    screenshot(page, "milestone-story-1-date-after-quarter")
    axe_check(page, "return edit with a date error")

    section = page.locator("section.app-result").filter(has_text=MILESTONE)
    fill_date(section, "Date delivered", milestone.due_date + dt.timedelta(days=3))  # 3 days late: amber
    page.get_by_role("button", name="Save as draft").click()
    assert "saved as a draft" in page.locator("main").inner_text()
    result = ret.results.get(standard=milestone)
    assert result.rag == "amber"

    # The figures come in a file: first with a decimal comma, refused with its row and column.
    template = page.request.get(f"/reporting/returns/{ret.pk}/template.csv").text()
    rows = list(csv.reader(io.StringIO(template.lstrip("\ufeff"))))
    measured = [row for row in rows[1:] if row[3] != "milestone (met / not met)"]
    for row in measured:
        row[5] = row[4]
    measured[0][5] = "6,5"
    page.goto(f"/reporting/returns/{ret.pk}/import/")
    page.get_by_label("Upload the completed template").set_input_files(
        files=[{"name": "return.csv", "mimeType": "text/csv", "buffer": _csv(rows)}]
    )
    page.get_by_role("button", name="Upload and check").click()
    expect(page).to_have_title(ERROR_TITLE)
    errors = page.locator(".govuk-error-summary").first.inner_text()
    line = rows.index(measured[0]) + 1
    assert "nothing was saved" in errors and f"Row {line}, column F (Actual): “6,5” has a comma" in errors
    screenshot(page, "milestone-story-2-import-refused")
    axe_check(page, "import refused")
    assert not ret.results.filter(actual__isnull=False).exists()

    measured[0][5] = measured[0][4]
    page.get_by_label("Upload the completed template").set_input_files(
        files=[{"name": "return.csv", "mimeType": "text/csv", "buffer": _csv(rows)}]
    )
    page.get_by_role("button", name="Upload and check").click()
    assert page.url.endswith(f"/reporting/returns/{ret.pk}/")
    assert ret.results.filter(actual__isnull=False).count() == len(measured)

    # The late milestone needs a departure; its target date cannot be in the past.
    page.get_by_role("link", name=f"Add a departure for {MILESTONE}").click()
    page.get_by_label("What happened").fill("The plan was agreed three days late")
    page.get_by_label("Number of cases").fill("1")
    page.get_by_label("Reason").fill("Finance sign-off took longer than planned")
    page.get_by_label("Remedial action", exact=True).fill("Book finance review dates a quarter ahead")
    page.get_by_label("Action owner").fill("Fleet manager")
    fill_date(page, "Remedial action target date", dt.date(2026, 1, 5))
    page.get_by_role("button", name="Save departure").click()
    expect(page).to_have_title(ERROR_TITLE)
    assert "target date must be today" in page.locator(".govuk-error-summary").inner_text()
    screenshot(page, "milestone-story-3-departure-date-in-the-past")
    axe_check(page, "departure with a past date")
    fill_date(page, "Remedial action target date", dt.date(2027, 1, 29))
    page.get_by_role("button", name="Save departure").click()
    page.get_by_role("button", name="Submit return").click()
    assert "has been submitted" in page.locator("main").inner_text()
    _sign_out(page)

    # Queried back, answered, accepted.
    page = sign_in("coordinator")
    page.goto(f"/reporting/returns/{ret.pk}/review/")
    page.get_by_label("Query it back to the department").check()
    page.get_by_role("button", name="Record decision").click()
    expect(page).to_have_title(ERROR_TITLE)
    screenshot(page, "milestone-story-4-query-needs-a-comment")
    page.get_by_label("Comment").fill("Was the plan approved by the board?")
    page.get_by_role("button", name="Record decision").click()
    _sign_out(page)

    page = sign_in("environment.officer")
    page.goto(f"/reporting/returns/{ret.pk}/edit/")
    page.locator("section.app-result").filter(has_text=MILESTONE).get_by_label("Commentary").fill(
        "Approved by the board on the day it was agreed."
    )
    page.get_by_role("button", name="Save as draft").click()
    page.get_by_role("button", name="Resubmit return").click()
    _sign_out(page)

    page = sign_in("coordinator")
    page.goto(f"/reporting/returns/{ret.pk}/review/")
    page.get_by_label("Accept the return").check()
    page.get_by_role("button", name="Record decision").click()
    assert "is accepted" in page.locator("main").inner_text()
    screenshot(page, "milestone-story-5-accepted")
    axe_check(page, "accepted return with a milestone")
    ret.refresh_from_db()
    assert ret.status == "accepted" and ret.results.get(standard=milestone).rag == "amber"

    # Met and accepted: the next quarter does not ask for it again.
    next_quarter = ret.period.next()
    services.returns_open(quarter=next_quarter, agreement=ret.agreement)
    later = QuarterlyReturn.objects.get(
        agreement=ret.agreement,
        department=ret.department,
        financial_year=next_quarter.year,
        quarter=next_quarter.number,
    )
    assert not later.results.filter(standard=milestone).exists()
