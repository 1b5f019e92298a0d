"""Setting up two-factor authentication, backup codes and the account pages in a real browser."""

import base64

import pytest
from django_otp.oath import totp
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_coordinator_sets_up_an_app_saves_backup_codes_and_signs_in_with_one(
    demo_data, page, sign_in, screenshot, axe_check
):
    sign_in("coordinator")
    page.get_by_role("link", name="Two-factor authentication").click()
    axe_check(page, "two-factor authentication (none set up)")
    page.get_by_role("link", name="Set up an authenticator app").click()
    axe_check(page, "two-factor setup")
    secret = page.locator("code.app-code").inner_text().replace(" ", "")
    code = f"{totp(base64.b32decode(secret)):06d}"
    page.get_by_label("Security code").fill(code)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", name="Your backup codes")).to_be_visible()
    codes = page.locator(".app-backup-codes code").all_inner_texts()
    assert len(codes) == 10
    screenshot(page, "two-factor-backup-codes")
    axe_check(page, "backup codes")
    page.get_by_role("link", name="I have saved my codes").click()

    page.get_by_role("link", name="Two-factor authentication").click()
    expect(page.get_by_text("You have 10 unused backup codes")).to_be_visible()
    axe_check(page, "two-factor authentication (app set up)")
    page.get_by_role("link", name="Change password").first.click()
    axe_check(page, "change password")

    page.get_by_role("button", name="Sign out").click()
    sign_in("coordinator")
    expect(page.get_by_role("heading", name="Enter your security code")).to_be_visible()
    axe_check(page, "enter your security code")
    page.get_by_label("Security code").fill(codes[0])
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("You used a backup code. You have 9 left")).to_be_visible()
