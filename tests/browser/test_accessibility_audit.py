"""The accessibility audit of issue 15, in a real browser: reflow at 320 px and the session timeout warning."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LIST_PAGES = [
    "/agreements/",
    "/agreements/schedules/",
    "/services/",
    "/reporting/returns/",
    "/reporting/departures/",
    "/",
    "/services/costs/",
    "/services/value-for-money/",
    "/reporting/packs/",
]


def test_list_pages_reflow_at_320_pixels(demo_data, sign_in, page, screenshot, axe_check):
    from reporting.models import QuarterlyReturn

    main = demo_data["main"]
    ret = QuarterlyReturn.objects.filter(agreement=main, status="accepted").first()
    details = [f"/agreements/{main.pk}/", f"/agreements/{main.pk}/history/", f"/reporting/returns/{ret.pk}/"]
    sign_in("admin")
    page.set_viewport_size({"width": 320, "height": 640})
    for url in LIST_PAGES + details:
        page.goto(url)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, f"{url} scrolls sideways at 320 px ({width} px wide)"
        regions = page.locator(".app-table-wrapper[role=region][tabindex='0']")
        if regions.count():
            assert regions.first.get_attribute("aria-label")
    screenshot(page, "reflow-320-departures")
    axe_check(page, "departures at 320 px")


def test_timeout_warning_extends_the_session_and_keeps_typed_text(demo_data, sign_in, page, settings, screenshot):
    settings.SESSION_COOKIE_AGE = 8
    settings.SESSION_TIMEOUT_WARNING = 5
    sign_in("coordinator")
    page.goto("/agreements/new/")
    title = page.get_by_label("Title")
    title.fill("Typed before the session ended")

    dialog = page.locator("#timeout-warning")
    dialog.wait_for(state="visible", timeout=6000)
    assert "You're about to be signed out" in dialog.inner_text()
    screenshot(page, "timeout-warning")
    page.get_by_role("button", name="Stay signed in").click()
    dialog.wait_for(state="hidden", timeout=3000)
    assert page.url.endswith("/agreements/new/")  # still here, still signed in

    # Now let it run out: the script signs out, keeping what was typed.
    page.wait_for_url("**/accounts/login/**timed_out=1**", timeout=15000)
    assert "You were signed out because you had not done anything" in page.content()
    page.get_by_label("Username").fill("coordinator")
    page.get_by_label("Password").fill("almo-demo-2025")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/agreements/new/", timeout=10000)
    assert page.get_by_label("Title").input_value() == "Typed before the session ended"
    assert "we kept what you had typed" in page.locator("main").inner_text()


def test_the_schedules_list_shows_annual_cost_whole_at_1280_pixels(demo_data, sign_in, page, screenshot):
    sign_in("admin")
    page.goto("/agreements/schedules/")
    wrapper = page.locator(".app-table-wrapper").first
    scroll, client = wrapper.evaluate("w => [w.scrollWidth, w.clientWidth]")
    assert scroll <= client, f"the table is {scroll} px wide in a {client} px wrapper"
    header = page.get_by_role("columnheader", name="Annual cost")
    box, outer = header.bounding_box(), wrapper.bounding_box()
    assert box["x"] + box["width"] <= outer["x"] + outer["width"] + 1
    cells = page.locator("td.govuk-table__cell--numeric")
    assert cells.count() and "govuk-table__cell" in cells.first.get_attribute("class")
    screenshot(page, "schedules-1280")
