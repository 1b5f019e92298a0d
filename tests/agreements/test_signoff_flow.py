"""Drafting and sign-off people can trust (issue 12): comment windows that close, deliberate steps
with recorded reasons, declining, variations within the term, readable history."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from agreements import services
from agreements.models import Agreement, Approval, Comment, DraftingStep, Standard, Variation
from services.periods import Quarter
from tests.agreements.factories import active_agreement, draft_copy_of_main, user

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def circulated(demo_data, days=10):
    draft = draft_copy_of_main(demo_data)
    version = services.agreement_circulate(
        agreement=draft, user=user("coordinator"), comment_deadline=TODAY() + dt.timedelta(days=days)
    )
    return draft, version


# --- Comment windows --------------------------------------------------------------------------


def test_a_superseded_version_takes_no_comments_and_says_why(client_as, demo_data):
    draft, v1 = circulated(demo_data)
    services.agreement_start_next_draft(agreement=draft, user=user("coordinator"), reason="Rework legal.")
    v2 = services.agreement_circulate(
        agreement=draft, user=user("coordinator"), comment_deadline=TODAY() + dt.timedelta(days=5)
    )
    with pytest.raises(ValidationError, match="v2 has replaced it"):
        services.comment_add(version=v1, author=user("environment.officer"), body="Late")
    response = client_as("environment.officer").get(v1.get_absolute_url())
    assert "Commenting on v1 has closed: v2 has replaced it." in response.content.decode()
    assert response.context["form"] is None
    assert client_as("environment.officer").post(v1.get_absolute_url(), {"body": "x"}).status_code == 403
    services.comment_add(version=v2, author=user("environment.officer"), body="On time")


def test_an_agreed_agreements_version_takes_no_comments_even_before_its_deadline(client_as, demo_data):
    draft, v1 = circulated(demo_data, days=30)
    services.agreement_start_next_draft(agreement=draft, user=user("coordinator"), reason="Ready to sign.")
    final = services.agreement_send_for_signoff(agreement=draft, user=user("coordinator"), reason="Ready to sign.")
    for who in ("council.signatory", "almo.signatory"):
        services.agreement_approve(agreement=draft, user=user(who), version_number=final.number)
    assert v1.comment_deadline > TODAY()
    with pytest.raises(ValidationError, match="v2 has replaced it"):
        services.comment_add(version=v1, author=user("council.signatory"), body="Too late")
    assert client_as("admin").post(v1.get_absolute_url(), {"body": "x"}).status_code == 403  # no administrator bypass


def test_moving_back_to_draft_closes_the_window_and_the_page_says_so(client_as, demo_data):
    draft, v1 = circulated(demo_data)
    services.agreement_start_next_draft(agreement=draft, user=user("coordinator"), reason="Change of plan.")
    html = client_as("environment.officer").get(v1.get_absolute_url()).content.decode()
    assert "the agreement is no longer out for comment (it is draft)" in html


def test_after_the_deadline_the_page_says_when_commenting_closed(client_as, demo_data, time_machine):
    draft, v1 = circulated(demo_data, days=3)
    time_machine.move_to(dt.datetime.combine(v1.comment_deadline + dt.timedelta(days=1), dt.time(10)))
    html = client_as("environment.officer").get(v1.get_absolute_url()).content.decode()
    assert f"closed at the end of {v1.comment_deadline:%-d %B %Y}, its deadline" in html


# --- Moving on deliberately -------------------------------------------------------------------------


def test_start_the_next_draft_shows_what_will_happen_and_needs_a_reason_while_the_window_is_open(client_as, demo_data):
    draft, v1 = circulated(demo_data)
    Comment.objects.create(version=v1, author=user("environment.officer"), body="Too slow")
    client = client_as("coordinator")
    url = reverse("agreements:agreement_next_draft", args=[draft.pk])
    page = client.get(url).content.decode()
    assert "What will happen" in page and "Commenting on the circulated version closes now" in page
    assert "1 comment on v1 has not been answered" in page
    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 200 and "Error:" in refused.content.decode()
    assert "Give the reason for moving on" in refused.content.decode()
    assert Agreement.objects.get(pk=draft.pk).status == Agreement.Status.OUT_FOR_COMMENT
    assert client.post(url, {"reason": "The board meets tomorrow."}).status_code == 302
    step = DraftingStep.objects.get(agreement=draft)
    assert (step.kind, step.reason, step.window_open, step.unanswered_comments, step.user) == (
        "next_draft",
        "The board meets tomorrow.",
        True,
        1,
        user("coordinator"),
    )
    assert Agreement.objects.get(pk=draft.pk).status == Agreement.Status.DRAFT


def test_send_for_sign_off_with_comments_unanswered_needs_a_reason_and_none_once_all_are_answered(
    client_as, demo_data, time_machine
):
    draft, v1 = circulated(demo_data, days=2)
    comment = Comment.objects.create(version=v1, author=user("environment.officer"), body="Query")
    time_machine.move_to(dt.datetime.combine(v1.comment_deadline + dt.timedelta(days=1), dt.time(10)))
    services.agreement_start_next_draft(agreement=draft, user=user("coordinator"), reason="Deadline passed; one open.")
    url = reverse("agreements:agreement_send_for_signoff", args=[draft.pk])
    client = client_as("coordinator")
    page = client.get(url).content.decode()
    assert "Carol Signer (for the council) and Alan Signwell (for the ALMO) are asked to approve it" in page
    assert client.post(url, {"reason": ""}).status_code == 200
    assert Agreement.objects.get(pk=draft.pk).status == Agreement.Status.DRAFT
    services.comment_respond(comment=comment, user=user("coordinator"), status="answered", response="Done.")
    assert client.post(url, {"reason": ""}).status_code == 302
    assert Agreement.objects.get(pk=draft.pk).status == Agreement.Status.AWAITING_SIGNATURE
    assert DraftingStep.objects.filter(agreement=draft, kind="sent_for_signoff", reason="").exists()


# --- Declining ------------------------------------------------------------------------------------------


def test_a_signatory_declines_with_a_reason_and_the_agreement_goes_back_to_draft(client_as, demo_data):
    draft = draft_copy_of_main(demo_data)
    final = services.agreement_send_for_signoff(agreement=draft, user=user("coordinator"))
    client = client_as("almo.signatory")
    url = reverse("agreements:agreement_decline", args=[draft.pk])
    page = client.get(url)
    assert page.status_code == 200 and f'value="{final.number}"' in page.content.decode()
    empty = client.post(url, {"version_number": final.number, "reason": ""})
    assert empty.status_code == 200 and "Give the reason for declining" in empty.content.decode()
    assert client.post(url, {"version_number": final.number, "reason": "Payroll cost too high."}).status_code == 302
    draft.refresh_from_db()
    assert draft.status == Agreement.Status.DRAFT
    declined = Approval.objects.get(version=final)
    assert (declined.decision, declined.party, declined.reason) == ("rejected", "almo", "Payroll cost too high.")
    detail = client_as("coordinator").get(draft.get_absolute_url()).content.decode()
    assert "Alan Signwell (ALMO) declined v1" in detail and "Payroll cost too high." in detail
    # Others may not decline.
    assert client_as("coordinator").get(url).status_code == 403


def test_declining_an_earlier_version_than_the_one_awaiting_sign_off_is_refused(demo_data):
    draft = draft_copy_of_main(demo_data)
    v1 = services.agreement_send_for_signoff(agreement=draft, user=user("coordinator"))
    services.agreement_start_next_draft(agreement=draft, user=user("coordinator"))
    services.agreement_send_for_signoff(agreement=draft, user=user("coordinator"))
    with pytest.raises(ValidationError, match="v2 is now the version awaiting sign-off"):
        services.agreement_decline(
            agreement=draft, user=user("council.signatory"), version_number=v1.number, reason="No"
        )


# --- Variations -------------------------------------------------------------------------------------


def test_a_variation_takes_effect_within_the_agreements_term(client_as, demo_data):
    agreement = active_agreement(demo_data)
    cars = agreement.schedules.get(service__slug="removal-of-abandoned-vehicles")
    url = reverse("agreements:variation_create", args=[agreement.pk])
    data = {
        "schedule": cars.pk,
        "field": "annual_cost",
        "new_value": "195000",
        "reason": "Re-tender",
        "effective_date": "2020-04-01",
    }
    response = client_as("coordinator").post(url, data)
    assert response.status_code == 200
    assert "The date must fall within the agreement&#x27;s term" in response.content.decode()
    after = client_as("coordinator").post(url, data | {"effective_date": "2035-04-01"})
    assert after.status_code == 200 and not Variation.objects.filter(agreement=agreement).exists()


def test_backdating_before_the_current_quarter_needs_a_recorded_reason(demo_data, time_machine):
    agreement = active_agreement(demo_data)
    cars = agreement.schedules.get(service__slug="removal-of-abandoned-vehicles")
    quarter = Quarter.containing(TODAY())
    if quarter.start == agreement.start_date:  # make room for a date before the current quarter
        time_machine.move_to(dt.datetime.combine(quarter.next().start + dt.timedelta(days=3), dt.time(10)))
        quarter = quarter.next()
    before = quarter.start - dt.timedelta(days=1)
    kwargs = dict(
        agreement=agreement,
        user=user("coordinator"),
        reason="Price fixed earlier",
        effective_date=before,
        schedule=cars,
        field="annual_cost",
        new_value="39000",
    )
    with pytest.raises(ValidationError) as error:
        services.variation_propose(**kwargs)
    assert "backdating_reason" in error.value.message_dict
    variation = services.variation_propose(**kwargs, backdating_reason="Agreed in writing on 1 July.")
    assert variation.backdating_reason == "Agreed in writing on 1 July."
    services.variation_propose(**kwargs | {"effective_date": quarter.start})  # the current quarter needs none


def test_a_proposal_is_withdrawn_with_a_reason_and_kept(client_as, demo_data):
    agreement = active_agreement(demo_data)
    cars = agreement.schedules.get(service__slug="removal-of-abandoned-vehicles")
    variation = services.variation_propose(
        agreement=agreement,
        user=user("coordinator"),
        reason="Re-tender",
        effective_date=TODAY(),
        schedule=cars,
        field="notice_period_months",
        new_value="6",
    )
    url = reverse("agreements:variation_withdraw", args=[agreement.pk, variation.number])
    assert client_as("council.signatory").get(url).status_code == 403
    assert client_as("coordinator").post(url, {"reason": ""}).status_code == 200
    assert client_as("coordinator").post(url, {"reason": "Tender cancelled."}).status_code == 302
    variation.refresh_from_db()
    assert (variation.status, variation.withdrawal_reason, variation.withdrawn_by) == (
        "withdrawn",
        "Tender cancelled.",
        user("coordinator"),
    )
    page = client_as("coordinator").get(variation.get_absolute_url()).content.decode()
    assert "Withdrawn" in page and "Tender cancelled." in page
    assert client_as("coordinator").get(url).status_code == 403  # cannot be withdrawn twice


def test_a_target_varies_from_the_effective_date_and_past_quarters_keep_the_old_one(demo_data):
    agreement = active_agreement(demo_data)
    standard = Standard.objects.filter(schedule__agreement=agreement, kind="measured").exclude(unit="").first()
    schedule = standard.schedule
    effective = TODAY() + dt.timedelta(days=10)
    old_target = standard.target_on(effective)
    variation = services.variation_propose(
        agreement=agreement,
        user=user("coordinator"),
        reason="Raise the bar",
        effective_date=effective,
        schedule=schedule,
        field="target",
        standard=standard,
        new_value="7",
    )
    change = variation.changes.get()
    assert change.old_value == f"{old_target.value.normalize():f}"
    for who in ("council.signatory", "almo.signatory"):
        services.variation_decide(variation=variation, user=user(who), approve=True, revision=variation.revision)
    assert services.apply_due_variations(today=effective) == 1
    standard.refresh_from_db()
    assert standard.target_on(effective).value == Decimal("7")
    assert standard.target_on(effective - dt.timedelta(days=1)).value == old_target.value


def test_a_target_change_names_a_standard_of_the_schedule(demo_data):
    agreement = active_agreement(demo_data)
    cars = agreement.schedules.get(service__slug="removal-of-abandoned-vehicles")
    other = Standard.objects.filter(schedule__agreement=agreement, kind="measured").exclude(schedule=cars).first()
    with pytest.raises(ValidationError):
        services.variation_propose(
            agreement=agreement,
            user=user("coordinator"),
            reason="x",
            effective_date=TODAY(),
            schedule=cars,
            field="target",
            standard=None,
            new_value="5",
        )
    with pytest.raises(ValidationError):
        services.variation_propose(
            agreement=agreement,
            user=user("coordinator"),
            reason="x",
            effective_date=TODAY(),
            schedule=cars,
            field="target",
            standard=other,
            new_value="5",
        )


def test_variation_values_are_shown_formatted(client_as, demo_data):
    agreement = active_agreement(demo_data)
    cars = agreement.schedules.get(service__slug="removal-of-abandoned-vehicles")
    variation = services.variation_propose(
        agreement=agreement,
        user=user("coordinator"),
        reason="Re-tender",
        effective_date=TODAY() + dt.timedelta(days=5),
        schedule=cars,
        field="annual_cost",
        new_value="195000",
    )
    services.variation_add_change(variation=variation, schedule=cars, field="notice_period_months", new_value="6")
    for url in (variation.get_absolute_url(), agreement.get_absolute_url()):
        html = client_as("coordinator").get(url).content.decode()
        assert "£38,000" in html and "£195,000" in html and "6 months" in html and "3 months" in html
        assert "38000.00" not in html and ">195000<" not in html


# --- History ---------------------------------------------------------------------------------------------


def test_history_reads_in_words_with_names_and_without_empty_lines(client_as, demo_data):
    draft = draft_copy_of_main(demo_data)
    services.agreement_update(
        agreement=draft, expected_revision=draft.revision, notice_alignment="quarter_end", council_signatory=None
    )
    draft.refresh_from_db()
    services.agreement_update(
        agreement=draft, expected_revision=draft.revision, council_signatory=user("council.signatory")
    )
    services.agreement_send_for_signoff(agreement=draft, user=user("coordinator"))
    html = client_as("board.member").get(reverse("agreements:agreement_history", args=[draft.pk])).content.decode()
    assert "Notice takes effect on: " in html and "The end of a quarter" in html and "quarter_end" not in html
    assert "Awaiting sign-off" in html and "awaiting_signature" not in html
    assert "Council signatory: " in html and "Carol Signer" in html
    assert "Sent for sign-off" in html
    entries = client_as("board.member").get(reverse("agreements:agreement_history", args=[draft.pk])).context["entries"]
    assert all(e["changes"] or e["action"] != "Changed" for e in entries)
    assert all(isinstance(label, str) and label[:1].isupper() for e in entries for label, _, _ in e["changes"])
    assert ".000" not in html and ":00:00" not in html  # local time without microseconds or seconds


def test_history_is_paginated(client_as, demo_data):
    draft = draft_copy_of_main(demo_data)
    for n in range(60):
        draft.refresh_from_db()
        services.agreement_update(agreement=draft, expected_revision=draft.revision, title=f"Title {n}")
    url = reverse("agreements:agreement_history", args=[draft.pk])
    first = client_as("coordinator").get(url)
    assert len(first.context["entries"]) == 50 and "Older changes" in first.content.decode()
    second = client_as("coordinator").get(url + "?page=2")
    assert second.status_code == 200 and "Newer changes" in second.content.decode()


# --- Edit pages -------------------------------------------------------------------------------------------


def test_an_agreed_agreements_edit_page_points_to_a_variation(client_as, demo_data):
    main = demo_data["main"]
    response = client_as("coordinator").get(reverse("agreements:agreement_edit", args=[main.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Only drafts are edited" in html and reverse("agreements:variation_create", args=[main.pk]) in html
    assert "your role does not allow" not in html.lower()
    # A POST is still refused.
    assert (
        client_as("coordinator").post(reverse("agreements:agreement_edit", args=[main.pk]), {"title": "x"}).status_code
        == 200
    )
    main.refresh_from_db()
    assert main.title != "x"


def test_the_concurrent_edit_message_names_people_not_ids(client_as, demo_data):
    draft = draft_copy_of_main(demo_data)
    opened = draft.revision
    services.agreement_update(agreement=draft, expected_revision=opened, council_signatory=None)
    with pytest.raises(services.ConcurrentEditError) as conflict:
        services.agreement_update(agreement=draft, expected_revision=opened, title="Mine")
    [change] = conflict.value.changes
    assert (change.label, change.old, change.new) == ("Council signatory", "Carol Signer", "")


# --- Services added or removed by variation -------------------------------------------------------------


def _approve_and_apply(variation, on):
    for who in ("council.signatory", "almo.signatory"):
        services.variation_decide(variation=variation, user=user(who), approve=True, revision=variation.revision)
    services.apply_due_variations(today=on)
    variation.refresh_from_db()
    assert variation.status == Variation.Status.APPLIED


def test_a_variation_removes_a_service_from_its_effective_date(demo_data):
    from agreements.costs import days_in_force

    agreement = active_agreement(demo_data)
    cars = agreement.schedules.get(service__slug="removal-of-abandoned-vehicles")
    effective = TODAY() + dt.timedelta(days=30)
    variation = services.variation_propose(
        agreement=agreement,
        user=user("coordinator"),
        reason="Bought elsewhere",
        effective_date=effective,
        schedule=cars,
        field="remove_service",
        new_value="",
    )
    change = variation.changes.get()
    assert (change.old_display, change.new_display) == ("£38,000", "Removed")
    year = agreement.start_date.year
    days_before = days_in_force(cars, year)
    _approve_and_apply(variation, effective)
    cars.refresh_from_db()
    assert cars.ends_on == effective - dt.timedelta(days=1)
    assert cars.in_force()[1] == effective - dt.timedelta(days=1)
    assert days_in_force(cars, year) < days_before
    with pytest.raises(ValidationError, match="already been removed"):
        services.variation_propose(
            agreement=agreement,
            user=user("coordinator"),
            reason="Again",
            effective_date=effective,
            schedule=cars,
            field="remove_service",
            new_value="",
        )


def test_a_variation_adds_a_service_paid_for_from_its_effective_date(client_as, demo_data):
    from services.models import Department
    from tests.factories import ServiceFactory

    agreement = active_agreement(demo_data)
    department = Department.objects.filter(council=agreement.council).first()
    service = ServiceFactory(department=department, name="Tenancy fraud investigation", slug="tenancy-fraud")
    effective = TODAY() + dt.timedelta(days=15)
    url = reverse("agreements:variation_create", args=[agreement.pk])
    data = {
        "field": "add_service",
        "service": service.pk,
        "new_value": "52000",
        "added_notice_period_months": "3",
        "added_service_level": "Advice within five working days.",
        "reason": "New need",
        "effective_date": effective.isoformat(),
    }
    missing = client_as("coordinator").post(url, data | {"added_service_level": ""})
    assert missing.status_code == 200 and "added_service_level" in missing.context["form"].errors
    assert client_as("coordinator").post(url, data).status_code == 302
    variation = Variation.objects.get(agreement=agreement)
    html = client_as("coordinator").get(variation.get_absolute_url()).content.decode()
    assert service.name in html and "£52,000" in html and "Add a service" in html
    _approve_and_apply(variation, effective)
    added = agreement.schedules.get(service=service)
    assert (added.starts_on, added.annual_cost, added.notice_period_months) == (effective, Decimal("52000"), 3)
    assert added.in_force()[0] == effective
    assert variation.changes.get().schedule == added
