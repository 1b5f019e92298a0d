"""A council's IT in the browser: single sign-on through a real provider, help, glossary, search,
statements and the API pages, each checked with axe-core (WCAG 2.2 AA)."""

import pytest

from tests.sso.provider_process import configure, running_provider

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def provider(live_server, tmp_path):
    with running_provider(tmp_path, [f"{live_server.url}/accounts/sso/callback/"]) as running:
        yield running


def test_sign_in_with_council_account_in_the_browser(demo_data, page, provider, settings, axe_check, screenshot):
    configure(settings, provider["issuer"])
    page.goto("/accounts/login/")
    axe_check(page, "sign-in page with single sign-on")
    screenshot(page, "login-sso")
    page.get_by_role("button", name="Sign in with your council account").click()
    # the provider's own sign-in page, on its own port
    assert f":{provider['port']}/" in page.url
    page.get_by_label("Username").fill("newcomer")
    page.get_by_label("Password").fill("pw-new-1")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Ask an administrator for access"
    axe_check(page, "ask an administrator for access")
    screenshot(page, "no-access")


def test_help_glossary_statements_search_and_api_pages_are_accessible(demo_data, sign_in, axe_check, screenshot):
    page = sign_in("coordinator")
    page.get_by_label("Search agreements, services, standards and departures").fill("abandoned vehicles")
    page.get_by_role("button", name="Search", exact=True).click()
    assert "Removal of abandoned vehicles" in page.locator("main").inner_text()
    axe_check(page, "search results")
    screenshot(page, "search")
    page.get_by_role("link", name="Help", exact=True).first.click()
    assert "As the ALMO coordinator" in page.locator("main").inner_text()
    axe_check(page, "help")
    page.get_by_role("link", name="variation").first.click()
    assert page.url.endswith("/help/glossary/#variation")
    axe_check(page, "glossary")
    for name, heading in [
        ("Accessibility statement", "Accessibility statement for ALMO service level agreements"),
        ("Privacy", "Privacy notice"),
        ("Cookies", "Cookies"),
        ("API", "Read-only API"),
    ]:
        page.locator("footer").get_by_role("link", name=name, exact=True).click()
        assert page.get_by_role("heading", level=1).inner_text() == heading
        axe_check(page, name)
    page.goto("/api/v1/token/")
    page.get_by_role("button", name="Make a token").click()
    assert page.locator("code.app-token").inner_text().startswith("almo_")
    axe_check(page, "API token")
    screenshot(page, "api-token")


def test_agreed_agreement_offers_the_sealed_pdf(demo_data, sign_in, axe_check, screenshot, tmp_path):
    from agreements import sealing
    from tests.agreements.factories import active_agreement

    agreement = active_agreement(demo_data)  # both signatories approve: sealed at once (eager tasks)
    page = sign_in("coordinator")
    page.goto(agreement.get_absolute_url())
    page.get_by_text("How to check the seal").click()
    assert sealing.certificate_fingerprint() in page.locator("main").inner_text()
    axe_check(page, "agreement with its sealed version")
    screenshot(page, "sealed-agreement")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the sealed agreement").click()
    path = tmp_path / "sealed.pdf"
    download.value.save_as(path)
    assert sealing.verify_sealed_pdf(path.read_bytes())["verified"] is True
