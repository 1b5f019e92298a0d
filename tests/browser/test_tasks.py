"""Your tasks and notification settings in Chromium: the list reads well, passes axe, and leads to the work."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from agreements import services as agreement_services
from tests.agreements.factories import draft_copy_of_main, user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_follows_a_task_and_chooses_a_daily_summary(demo_data, sign_in, screenshot, axe_check, eager_tasks):
    draft = draft_copy_of_main(demo_data)
    version = agreement_services.agreement_circulate(
        agreement=draft, user=user("coordinator"), comment_deadline=timezone.localdate() + dt.timedelta(days=10)
    )
    agreement_services.comment_add(version=version, author=user("legal.officer"), body="Ten days is not realistic.")

    page = sign_in("coordinator")
    tasks = page.locator("#your-tasks")
    assert "Comments to answer (1)" in tasks.inner_text() and "Returns to review" in tasks.inner_text()
    expect(page.get_by_role("link", name="Agreements", exact=True)).to_be_visible()  # the count sits beside the link
    screenshot(page, "dashboard-your-tasks")
    axe_check(page, "dashboard with your tasks")

    tasks.get_by_role("link", name="Answer 1 comment on SLA-KNH-NEXT v1").click()
    assert page.url.endswith(f"/agreements/{draft.pk}/versions/1/#comments")
    assert "Ten days is not realistic." in page.locator("main").inner_text()

    page.get_by_role("link", name="Notification settings").click()
    axe_check(page, "notification settings")
    page.get_by_role("button", name="Save your settings").click()  # immediate is chosen already
    page.get_by_label("One summary e-mail a day").check()
    page.get_by_role("button", name="Save your settings").click()
    assert "Saved: one summary e-mail a day." in page.locator("main").inner_text()
    assert "New comment on SLA-KNH-NEXT v1" in page.locator("main").inner_text()  # e-mails recorded for them
    screenshot(page, "notification-settings")
    assert user("coordinator").profile.notification_delivery == "daily_digest"
    assert any(m.to == ["coordinator@example.gov.uk"] for m in mail.outbox)
