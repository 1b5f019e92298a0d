"""The poor-performance story in Chromium: a standard red two quarters running opens a case
when the coordinator accepts the return; the case climbs its ladder (discussion, formal
improvement notice with a remedial plan); a monitoring meeting is arranged with an agenda
built from the quarter's exceptions, attendees, a decision and an action log; the meeting's
decision moves the case on to the boards."""

import datetime as dt

import pytest
from django.utils import timezone

from reporting.cases.models import EscalationCase, MeetingAction, MonitoringMeeting
from reporting.models import QuarterlyReturn, StandardResult

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def red_two_quarters_waiting_for_acceptance(demo):
    """A submitted return for the quarter just ended whose first measured standard is red, as the quarter before."""
    ret = (
        QuarterlyReturn.objects.filter(agreement=demo["main"], status="submitted")
        .order_by("-financial_year", "-quarter")
        .first()
    )
    result = (
        ret.results.filter(standard__kind="measured").select_related("standard").order_by("standard__title").first()
    )
    StandardResult.objects.filter(pk=result.pk).update(rag="red")
    previous = ret.period.previous()
    StandardResult.objects.filter(
        standard=result.standard,
        quarterly_return__financial_year=previous.year,
        quarterly_return__quarter=previous.number,
    ).update(rag="red")
    assert not EscalationCase.objects.filter(standard=result.standard).exists()
    return ret, result.standard


def fill_date(page, prefix, day):
    page.locator(f"#id_{prefix}_0").fill(str(day.day))
    page.locator(f"#id_{prefix}_1").fill(str(day.month))
    page.locator(f"#id_{prefix}_2").fill(str(day.year))


def test_red_two_quarters_opens_a_case_that_runs_its_ladder_through_a_monitoring_meeting(
    demo_data, sign_in, screenshot, axe_check
):
    ret, standard = red_two_quarters_waiting_for_acceptance(demo_data)
    today = timezone.localdate()

    # The coordinator accepts the return: the standard is red two quarters running, so a case opens.
    page = sign_in("coordinator")
    page.goto(ret.get_absolute_url())
    page.get_by_role("link", name="Review this return").click()
    page.get_by_label("Accept the return").check()
    page.get_by_role("button", name="Record decision").click()
    assert "is accepted" in page.locator("main").inner_text()
    case = EscalationCase.objects.get(standard=standard, status="open")
    assert case.automatic and case.department == ret.department

    page.get_by_role("link", name="Escalation", exact=True).click()
    axe_check(page, "escalation cases")
    page.get_by_role("link", name=f"Case {case.pk}: {standard.title}").click()
    main = page.locator("main").inner_text()
    assert "Standard red two quarters running" in main and "Step 1: Discussion" in main
    screenshot(page, "escalation-case-opened")
    axe_check(page, "case opened")

    # Step 1: the discussion fails to settle it; escalate to a formal improvement notice.
    page.get_by_role("link", name="Record the decision on step 1").click()
    axe_check(page, "decision form")
    page.get_by_label("Escalate to the next step").check()
    page.get_by_label("What was decided").fill("Recovery plan not credible: serve a formal improvement notice.")
    page.get_by_label("Decided by").fill("Head of service and ALMO client officer")
    page.locator("#id_decided_on_0").fill(str(today.day))
    page.locator("#id_decided_on_1").fill(str(today.month))
    page.locator("#id_decided_on_2").fill("")
    page.get_by_role("button", name="Record the decision").click()
    assert "There is a problem" in page.locator("main").inner_text()  # no year
    assert "The date decided must include a year." in page.locator(".govuk-error-summary").inner_text()
    screenshot(page, "decision-error")
    axe_check(page, "decision form with an error")
    page.locator("#id_decided_on_2").fill(str(today.year))
    page.get_by_role("button", name="Record the decision").click()
    assert "The decision is recorded." in page.locator("main").inner_text()

    # Step 2: the formal improvement notice with its remedial plan and date.
    page.get_by_role("link", name="Record the decision on step 2").click()
    page.get_by_label("Escalate to the next step").check()
    page.get_by_label("What was decided").fill("Improvement notice served.")
    page.get_by_label("Decided by").fill("ALMO client officer")
    fill_date(page, "decided_on", today)
    page.get_by_label("Remedial plan").fill("Agency cover and weekly reporting until back on target.")
    fill_date(page, "remedial_date", today + dt.timedelta(days=30))
    page.get_by_role("button", name="Record the decision").click()
    main = page.locator("main").inner_text()
    assert "Remedial plan: Agency cover and weekly reporting" in main and "Step 3: Monitoring meeting" in main

    # The monitoring meeting: agenda from the quarter's exceptions, attendees, decision, actions.
    page.get_by_role("link", name="Escalation", exact=True).click()
    page.goto("/reporting/meetings/")
    axe_check(page, "meeting list")
    page.get_by_role("link", name="Arrange a monitoring meeting").click()
    page.get_by_label("Quarter reviewed").select_option(ret.period.slug)
    fill_date(page, "held_on", today)
    page.get_by_label("Location").fill("Town Hall")
    page.get_by_role("button", name="Create the meeting and its agenda").click()
    meeting = MonitoringMeeting.objects.get(location="Town Hall")
    agenda = page.locator("main").inner_text()
    assert f"Escalation case {case.pk}: {standard.title}" in agenda and f"Red: {standard.title}" in agenda
    page.get_by_role("link", name="Add an attendee").click()
    page.get_by_label("Name").fill("Head of service")
    page.get_by_label("Role").fill("Service manager")
    page.get_by_label("Council").check()
    page.get_by_role("button", name="Add attendee").click()
    item = meeting.agenda.get(case=case)
    position = list(meeting.agenda.values_list("pk", flat=True)).index(item.pk) + 1
    page.get_by_role("link", name=f"Record decision on item {position}").click()
    page.get_by_label("Decision").fill("Remedial plan accepted; refer to the Parent Board if not green next quarter.")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name=f"Add action on item {position}").click()
    page.get_by_label("Action", exact=True).fill("Report progress on the remedial plan weekly")
    page.get_by_label("Owner", exact=True).fill("Head of service")
    fill_date(page, "due_date", today + dt.timedelta(days=7))
    page.get_by_role("button", name="Save").click()
    log = page.locator("#actions + table").inner_text()
    assert "Report progress on the remedial plan weekly" in log and "Head of service" in log
    screenshot(page, "monitoring-meeting")
    axe_check(page, "monitoring meeting")
    assert MeetingAction.objects.get(meeting=meeting).item == item

    # Step 3 is decided at the meeting: refer to the boards.
    page.goto(case.get_absolute_url())
    page.get_by_role("link", name="Record the decision on step 3").click()
    page.get_by_label("Escalate to the next step").check()
    page.get_by_label("What was decided").fill("Refer to the Parent Board and the Cabinet lead member.")
    page.get_by_label("Decided by").fill("Monitoring meeting")
    fill_date(page, "decided_on", today)
    page.get_by_label("Monitoring meeting (optional)").select_option(str(meeting.pk))
    page.get_by_role("button", name="Record the decision").click()
    main = page.locator("main").inner_text()
    assert "Step 4: Referral to the boards and the Cabinet lead member" in main
    assert str(meeting) in main
    screenshot(page, "escalation-case-at-step-4")
    axe_check(page, "case at step 4")
    case.refresh_from_db()
    assert list(case.steps.order_by("pk").values_list("position", "outcome")) == [
        (1, "escalate"),
        (2, "escalate"),
        (3, "escalate"),
        (4, ""),
    ]
