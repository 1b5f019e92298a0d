"""Improvement plan pages in Chromium, each checked with axe-core (WCAG 2.2 AA): the plan,
a Priority One theme with its indicators and risks, an improvement, the risk register with
its heat map, and the new-improvement form showing a date error."""

import pytest

from reporting.improvement.models import Improvement, ImprovementPlan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_plan_pages_are_accessible_and_a_date_error_is_named(demo_data, sign_in, screenshot, axe_check):
    plan = ImprovementPlan.objects.get(almo=demo_data["main"].almo)
    page = sign_in("coordinator")
    page.get_by_role("link", name="Improvement plans").click()
    axe_check(page, "plan list")
    page.get_by_role("link", name=plan.title).click()
    assert "Priority Three: quick wins" in page.locator("main").inner_text()
    axe_check(page, "plan detail")
    page.get_by_role("link", name="Key Theme 4: Improving the repair service").click()
    assert "BVPI 72" in page.locator("main").inner_text()
    screenshot(page, "improvement-theme")
    axe_check(page, "theme detail")
    page.get_by_role("link", name="KT4/2 Central void working arrangements").click()
    assert "Slipped" in page.locator("main").inner_text()
    axe_check(page, "improvement detail")
    page.goto(f"/reporting/plans/{plan.pk}/risks/")
    axe_check(page, "risk register")
    theme = plan.themes.get(number=4)
    page.goto(f"/reporting/themes/{theme.pk}/improvements/add/")
    page.get_by_label("Reference", exact=True).fill("KT4/7")
    page.get_by_label("Title", exact=True).fill("Out-of-hours repairs")
    page.get_by_label("Issue", exact=True).fill("Calls go unanswered at night")
    page.get_by_label("Service improvement and outcomes").fill("Every call answered")
    page.get_by_label("Lead officer", exact=True).fill("Repairs Manager (North)")
    page.locator("#id_target_date_0").fill("30")
    page.locator("#id_target_date_1").fill("2")
    page.locator("#id_target_date_2").fill("2027")
    page.get_by_role("button", name="Save").click()
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "The target date must be a real date." in summary
    assert page.title().startswith("Error:")
    screenshot(page, "improvement-form-error")
    axe_check(page, "improvement form with an error")
    page.locator("#id_target_date_1").fill("3")
    page.get_by_role("button", name="Save").click()
    assert "The improvement is saved." in page.locator("main").inner_text()
    assert Improvement.objects.get(reference="KT4/7").target_date.isoformat() == "2027-03-30"
