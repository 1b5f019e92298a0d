"""Each demo role signs in through the real login form and sees what it should."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(
    "username, heading, sees, does_not_see",
    [
        (
            "coordinator",
            "Kirkby Neighbourhood Homes",
            ["SLA-KNH-2025", "Cost by department in 2026/27", "Escalate to the board"],
            ["SLA-KEH-2026"],
        ),
        ("board.member", "Kirkby Neighbourhood Homes", ["SLA-KNH-2025"], ["SLA-KEH-2026", "Administration"]),
        ("environment.officer", "Environmental Services", ["SLA-KNH-2025", "£650,000"], ["Administration"]),
        ("admin", "All ALMOs", ["SLA-KNH-2025", "SLA-KEH-2026", "Administration"], []),
    ],
)
def test_each_role_signs_in_and_lands_on_its_dashboard(
    demo_data, sign_in, screenshot, axe_check, username, heading, sees, does_not_see
):
    page = sign_in(username)
    assert page.get_by_role("heading", level=1).inner_text() == heading
    body = page.locator("main").inner_text() + page.locator("nav").first.inner_text()
    for text in sees:
        assert text in body, f"{username} should see {text}"
    for text in does_not_see:
        assert text not in body, f"{username} should not see {text}"
    screenshot(page, f"dashboard-{username}")
    axe_check(page, f"dashboard for {username}")


def test_coordinator_browses_agreement_schedule_and_catalogue(demo_data, sign_in, screenshot, axe_check):
    page = sign_in("coordinator")
    page.get_by_role("link", name="Agreements", exact=True).click()
    assert page.get_by_role("heading", level=1).inner_text() == "Agreements"
    axe_check(page, "agreement list")
    page.get_by_label("Status").select_option("active")
    page.get_by_role("button", name="Apply filters").click()
    page.get_by_role("link", name="SLA-KNH-2025").click()
    assert "Strategic and support services" in page.get_by_role("heading", level=1).inner_text()
    screenshot(page, "agreement-detail")
    axe_check(page, "agreement detail")
    page.get_by_role("link", name="Responsive repairs").click()
    assert "96%" in page.locator("main").inner_text()
    screenshot(page, "schedule-detail")
    axe_check(page, "schedule detail")
    page.get_by_role("link", name="Service catalogue").click()
    axe_check(page, "service catalogue")
    screenshot(page, "service-catalogue")


def test_wrong_password_shows_the_error_summary(demo_data, page, screenshot, axe_check):
    page.goto("/accounts/login/")
    axe_check(page, "sign-in page")
    page.get_by_label("Username").fill("coordinator")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert page.get_by_label("Username").input_value() == "coordinator"
    screenshot(page, "login-error")
    axe_check(page, "sign-in page with an error")


def test_pages_run_under_the_strict_csp_without_violations(demo_data, browser, live_server):
    context = browser.new_context(base_url=live_server.url)  # CSP enforced
    page = context.new_page()
    violations = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("coordinator")
    page.get_by_label("Password").fill("almo-demo-2025")
    page.get_by_role("button", name="Sign in").click()
    page.goto(demo_data["main"].get_absolute_url())
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.body.classList.contains('govuk-frontend-supported')"), "app.mjs did not run"
    context.close()
    assert not violations, violations
