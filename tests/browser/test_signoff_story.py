"""Draft → circulate → comment → decline → redraft → sign-off → variation → history, in a real
browser, with axe-core on every new page and screenshots in test-artifacts/."""

import datetime as dt

import pytest
from django.utils import timezone

from agreements.models import Agreement, Approval, DraftingStep, Variation
from tests.agreements.factories import draft_copy_of_main
from tests.browser.dates import fill_date

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_signatory_declines_the_coordinator_redrafts_and_both_sign_then_vary(
    demo_data, eager_tasks, page, sign_in, axe_check, screenshot
):
    today = timezone.localdate()
    agreement = draft_copy_of_main(demo_data, reference="SLA-KNH-STORY")

    def as_user(username):
        page.context.clear_cookies()
        return sign_in(username)

    def check(name):
        screenshot(page, f"signoff-{name}")
        axe_check(page, name)

    def main_text():
        return page.locator("main").inner_text()

    # 1. The coordinator circulates the draft for comment.
    as_user("coordinator")
    page.goto(agreement.get_absolute_url())
    page.get_by_role("link", name="Circulate for comment").click()
    fill_date(page, "Deadline for comments", today + dt.timedelta(days=10))
    page.get_by_role("button", name="Circulate the draft").click()
    assert "v1" in page.get_by_role("heading", level=1).inner_text()

    # 2. A department officer comments.
    as_user("environment.officer")
    page.goto(agreement.versions.get(number=1).get_absolute_url())
    page.get_by_label("Your comment").fill("Please allow 48 hours at weekends.")
    page.get_by_role("button", name="Send the comment").click()
    assert "your comment has been sent" in main_text()

    # 3. The coordinator moves on while the window is open: the confirmation page says what happens
    #    and asks for a reason.
    as_user("coordinator")
    page.goto(agreement.get_absolute_url())
    page.get_by_role("link", name="Start the next draft").click()
    text = main_text()
    assert "What will happen" in text and "1 comment on v1 has not been answered" in text
    check("next-draft-confirm")
    page.get_by_role("button", name="Start the next draft").click()
    assert page.title().startswith("Error:")
    assert "Give the reason for moving on" in main_text()
    check("next-draft-error")
    page.get_by_label("Reason for moving on now").fill("The comment is taken into v2; the board meets on Friday.")
    page.get_by_role("button", name="Start the next draft").click()
    assert "The agreement is a draft again" in main_text()

    # The circulated version now says why it takes no more comments.
    as_user("environment.officer")
    page.goto(agreement.versions.get(number=1).get_absolute_url())
    assert "no longer out for comment" in main_text()
    assert page.get_by_role("button", name="Send the comment").count() == 0

    # 4. Send for sign-off (v2), with a reason: the comment is still unanswered.
    as_user("coordinator")
    page.goto(agreement.get_absolute_url())
    page.get_by_role("link", name="Send for sign-off").click()
    assert "Carol Signer (for the council) and Alan Signwell (for the ALMO)" in main_text()
    check("send-for-signoff-confirm")
    page.get_by_label("Reason for moving on now").fill("The weekend point is covered in the legal notes.")
    page.get_by_role("button", name="Send for sign-off").click()
    assert "v2 sent to the signatories" in main_text()

    # 5. The ALMO signatory declines v2 with a reason: back to draft.
    as_user("almo.signatory")
    page.goto(agreement.get_absolute_url())
    page.get_by_role("link", name="Decline v2").click()
    check("decline")
    page.get_by_label("Why are you declining this version?").fill("The payroll cost must be agreed by the board first.")
    page.get_by_role("button", name="Decline v2").click()
    assert "You declined v2" in main_text()
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.DRAFT

    # 6. The coordinator sees why, redrafts and sends v3; both approve it.
    as_user("coordinator")
    page.goto(agreement.get_absolute_url())
    assert "Alan Signwell (ALMO) declined v2" in main_text()
    assert "The payroll cost must be agreed by the board first." in main_text()
    page.get_by_role("link", name="Edit the agreement's terms").click()
    page.get_by_label("Title").fill("Next agreement (board approved)")
    page.get_by_role("button", name="Save the draft").click()
    page.get_by_role("link", name="Send for sign-off").click()
    page.get_by_label("Reason for moving on now").fill("Board agreed the payroll cost on Friday.")
    page.get_by_role("button", name="Send for sign-off").click()
    assert "v3 sent to the signatories" in main_text()
    for username in ("council.signatory", "almo.signatory"):
        as_user(username)
        page.goto(agreement.get_absolute_url())
        page.get_by_role("button", name="Approve v3").click()
        assert "You approved v3" in main_text()
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.ACTIVE
    check("agreement-active")

    # 7. The agreed agreement's edit page points to a variation; the variation shows formatted values.
    as_user("coordinator")
    page.goto(f"/agreements/{agreement.pk}/edit/")
    assert "Only drafts are edited" in main_text()
    check("not-editable")
    page.get_by_role("link", name="Propose a variation").click()
    page.get_by_label("Schedule to change").select_option(label="Removal of abandoned vehicles")
    page.get_by_label("Term to change").select_option("annual_cost")
    page.get_by_label("New value").fill("195000")
    page.get_by_label("Reason for the variation").fill("Re-tendered removal contract.")
    fill_date(page, "Takes effect from", today)
    page.get_by_role("button", name="Propose the variation").click()
    text = main_text()
    assert "£38,000" in text and "£195,000" in text and "195000.00" not in text
    check("variation-proposed")
    for username in ("council.signatory", "almo.signatory"):
        as_user(username)
        page.goto(agreement.variations.get(number=1).get_absolute_url())
        page.get_by_label("Your decision").select_option("approve")
        page.get_by_role("button", name="Record my decision").click()
    assert "In force" in main_text()
    assert Variation.objects.get(agreement=agreement, number=1).status == Variation.Status.APPLIED

    # 8. A board member reads the history in words.
    as_user("board.member")
    page.goto(f"/agreements/{agreement.pk}/history/")
    history = main_text()
    for expected in [
        "Declined",
        "Awaiting sign-off",
        "Sent for sign-off",
        "Started the next draft",
        "The payroll cost must be agreed by the board first.",
        "Alan Signwell",
        "Carol Signer",
        "Next agreement (board approved)",
        "£195,000",
    ]:
        assert expected in history, expected
    for raw in ["awaiting_signature", "out_for_comment", "195000.00"]:
        assert raw not in history, raw
    check("history")
    assert Approval.objects.filter(agreement=agreement, decision="rejected").count() == 1
    assert DraftingStep.objects.filter(agreement=agreement).count() == 3
