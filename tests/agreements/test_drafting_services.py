"""Drafting rules: copies, optimistic concurrency, versions, comments, sign-off and variations."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from agreements import services
from agreements.models import Agreement, AgreementVersion, Comment, Schedule, Standard, Variation
from agreements.snapshots import redline
from services.models import Service
from tests.agreements.factories import active_agreement, draft_copy_of_main, user

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def test_copying_an_agreement_copies_schedules_standards_targets_and_costs(demo_data):
    main = demo_data["main"]
    draft = draft_copy_of_main(demo_data)
    assert draft.status == Agreement.Status.DRAFT
    assert draft.schedules.count() == main.schedules.count()
    assert (
        Standard.objects.filter(schedule__agreement=draft).count()
        == Standard.objects.filter(schedule__agreement=main).count()
    )
    repairs = draft.schedules.get(service__slug="responsive-repairs")
    shift = draft.start_date.year - main.start_date.year
    urgent = repairs.standards.get(title="Urgent repairs completed within time limits")
    assert [t.effective_from.year for t in urgent.targets.all()] == [2025 + shift, 2026 + shift, 2027 + shift]
    assert repairs.year_costs.count() == main.schedules.get(service__slug="responsive-repairs").year_costs.count()


def test_only_drafts_can_be_edited(demo_data):
    main = demo_data["main"]
    with pytest.raises(ValidationError, match="only drafts can be edited"):
        services.agreement_update(agreement=main, expected_revision=main.revision, title="Changed")
    schedule = main.schedules.first()
    with pytest.raises(ValidationError, match="variation"):
        services.schedule_update(schedule=schedule, expected_revision=schedule.revision, fields={}, standards=[])


def test_the_second_of_two_concurrent_schedule_saves_is_refused_showing_what_changed(demo_data):
    draft = draft_copy_of_main(demo_data)
    schedule = draft.schedules.get(service__slug="removal-of-abandoned-vehicles")
    opened_at = schedule.revision  # both people open the edit page at this revision
    services.schedule_update(
        schedule=schedule, expected_revision=opened_at, fields={"annual_cost": Decimal("41000")}, standards=[]
    )
    with pytest.raises(services.ConcurrentEditError) as conflict:
        services.schedule_update(
            schedule=schedule, expected_revision=opened_at, fields={"notice_period_months": 9}, standards=[]
        )
    assert [(c.label, c.old, c.new) for c in conflict.value.changes] == [("Annual cost", "£38,000", "£41,000")]
    schedule.refresh_from_db()
    assert schedule.notice_period_months == 3 and schedule.annual_cost == Decimal("41000")
    # Saving again from the current revision (after seeing the changes) is allowed.
    services.schedule_update(
        schedule=schedule,
        expected_revision=conflict.value.current_revision,
        fields={"notice_period_months": 9},
        standards=[],
    )
    schedule.refresh_from_db()
    assert schedule.notice_period_months == 9 and schedule.annual_cost == Decimal("41000")


def test_the_second_of_two_concurrent_agreement_saves_is_refused(demo_data):
    draft = draft_copy_of_main(demo_data)
    opened_at = draft.revision
    services.agreement_update(agreement=draft, expected_revision=opened_at, title="Title from the first editor")
    with pytest.raises(services.ConcurrentEditError) as conflict:
        services.agreement_update(agreement=draft, expected_revision=opened_at, title="Title from the second editor")
    assert conflict.value.changes[0].new == "Title from the first editor"
    draft.refresh_from_db()
    assert draft.title == "Title from the first editor"


def test_a_circulated_version_never_changes_afterwards(demo_data):
    draft = draft_copy_of_main(demo_data)
    version = services.agreement_circulate(
        agreement=draft, user=user("coordinator"), comment_deadline=TODAY() + dt.timedelta(days=10)
    )
    assert version.number == 1 and draft.versions.count() == 1
    frozen = version.snapshot
    services.agreement_start_next_draft(agreement=draft, user=user("coordinator"), reason="Legal asked for changes.")
    cars = draft.schedules.get(service__slug="removal-of-abandoned-vehicles")
    services.schedule_update(
        schedule=cars, expected_revision=cars.revision, fields={"annual_cost": Decimal("45000")}, standards=[]
    )
    version.refresh_from_db()
    assert version.snapshot == frozen
    v2 = services.agreement_send_for_signoff(agreement=draft, user=user("coordinator"), reason="Agreed at the meeting.")
    assert v2.number == 2
    diff = redline(version.snapshot, v2.snapshot)
    assert diff.cost_change == Decimal("7000")
    [changed] = diff.schedules
    assert changed.service == "Removal of abandoned vehicles"
    assert [(c.label, c.old, c.new) for c in changed.changes] == [("Annual cost", "£38,000.00", "£45,000.00")]


def test_redline_shows_added_removed_and_changed_services_and_standards(demo_data):
    draft = draft_copy_of_main(demo_data)
    bulky = draft.schedules.get(service__slug="bulky-waste-collection")
    bulky_service = bulky.service
    bulky.delete()
    v1 = services.version_create(agreement=draft, user=user("coordinator"), purpose=AgreementVersion.Purpose.CIRCULATED)
    draft.schedules.get(service__slug="payroll").delete()
    services.schedule_create(
        agreement=draft,
        service=bulky_service,
        expected_service_level="Collections",
        notice_period_months=3,
        annual_cost=Decimal("70000"),
    )
    cars = draft.schedules.get(service__slug="removal-of-abandoned-vehicles")
    cars.notice_period_months = 6
    cars.save()
    target = cars.standards.get().targets.get()
    target.value = Decimal("48")
    target.save()
    Standard.objects.create(
        schedule=cars,
        title="Weekend reports collected on Monday",
        kind="milestone",
        deliverable="Monday collections",
        due_date=dt.date(2027, 1, 1),
    )
    v2 = services.version_create(agreement=draft, user=user("coordinator"), purpose=AgreementVersion.Purpose.SIGN_OFF)
    diff = redline(v1.snapshot, v2.snapshot)
    states = {s.service: s.state for s in diff.schedules}
    assert states == {
        "Payroll": "removed",
        "Bulky waste collection": "added",
        "Removal of abandoned vehicles": "changed",
    }
    assert {s.service for s in diff.notice_changes} == set(states)
    cars_diff = next(s for s in diff.schedules if s.service == "Removal of abandoned vehicles")
    assert {s.title: s.state for s in cars_diff.standards} == {
        "Abandoned cars removed within 24 hours of report": "changed",
        "Weekend reports collected on Monday": "added",
    }
    assert ("Notice period", "3 months", "6 months") in [(c.label, c.old, c.new) for c in cars_diff.changes]
    assert diff.cost_change == Decimal("70000") - Decimal("240000")


def test_comments_close_at_the_deadline_and_the_coordinator_responds(demo_data):
    draft = draft_copy_of_main(demo_data)
    version = services.agreement_circulate(
        agreement=draft, user=user("coordinator"), comment_deadline=TODAY() + dt.timedelta(days=3)
    )
    cars = Service.objects.get(slug="removal-of-abandoned-vehicles")
    comment = services.comment_add(version=version, author=user("environment.officer"), service=cars, body="Too fast.")
    with pytest.raises(ValidationError, match="reason"):
        services.comment_respond(comment=comment, user=user("coordinator"), status=Comment.Status.REJECTED, response="")
    services.comment_respond(
        comment=comment, user=user("coordinator"), status=Comment.Status.REJECTED, response="The board wants 24 hours."
    )
    assert comment.status == "rejected" and comment.responded_by == user("coordinator")
    version.comment_deadline = TODAY() - dt.timedelta(days=1)
    version.save()
    with pytest.raises(ValidationError, match="closed"):
        services.comment_add(version=version, author=user("environment.officer"), body="Late comment")


def test_both_signatories_make_the_agreement_active_or_agreed_until_it_starts(demo_data):
    future = draft_copy_of_main(demo_data, reference="SLA-FUTURE", start=dt.date(TODAY().year + 2, 4, 1))
    with pytest.raises(ValidationError, match="not awaiting sign-off"):
        services.agreement_approve(agreement=future, user=user("council.signatory"), version_number=None)
    final = services.agreement_send_for_signoff(agreement=future, user=user("coordinator"))
    with pytest.raises(ValidationError, match="named signatories"):
        services.agreement_approve(agreement=future, user=user("coordinator"), version_number=final.number)
    services.agreement_approve(agreement=future, user=user("council.signatory"), version_number=final.number)
    with pytest.raises(ValidationError, match="already approved"):
        services.agreement_approve(agreement=future, user=user("council.signatory"), version_number=final.number)
    future.refresh_from_db()
    assert future.status == Agreement.Status.AWAITING_SIGNATURE
    services.agreement_approve(agreement=future, user=user("almo.signatory"), version_number=final.number)
    future.refresh_from_db()
    assert future.status == Agreement.Status.AGREED
    assert services.activate_due_agreements(today=future.start_date - dt.timedelta(days=1)) == 0
    assert services.activate_due_agreements(today=future.start_date) == 1
    assert services.activate_due_agreements(today=future.start_date) == 0
    future.refresh_from_db()
    assert future.status == Agreement.Status.ACTIVE


def test_a_variation_applies_from_its_effective_date_once_both_approve(demo_data):
    agreement = active_agreement(demo_data)
    assert agreement.status == Agreement.Status.ACTIVE
    cars = agreement.schedules.get(service__slug="removal-of-abandoned-vehicles")
    effective = TODAY() + dt.timedelta(days=20)
    variation = services.variation_propose(
        agreement=agreement,
        user=user("coordinator"),
        reason="Re-tendering",
        effective_date=effective,
        schedule=cars,
        field="notice_period_months",
        new_value="6",
    )
    assert variation.changes.get().old_value == "3"
    services.variation_decide(
        variation=variation, user=user("council.signatory"), approve=True, revision=variation.revision
    )
    variation.refresh_from_db()
    assert variation.status == Variation.Status.PROPOSED
    services.variation_decide(
        variation=variation, user=user("almo.signatory"), approve=True, revision=variation.revision
    )
    variation.refresh_from_db()
    assert variation.status == Variation.Status.APPROVED
    cars.refresh_from_db()
    assert cars.notice_period_months == 3  # not yet in force
    assert services.apply_due_variations(today=effective - dt.timedelta(days=1)) == 0
    assert services.apply_due_variations(today=effective) == 1
    assert services.apply_due_variations(today=effective) == 0  # idempotent
    cars.refresh_from_db()
    variation.refresh_from_db()
    assert cars.notice_period_months == 6
    assert variation.status == Variation.Status.APPLIED
    # The earlier terms stay visible: the superseded version still says 3 months.
    old = next(s for s in variation.superseded_version.snapshot["schedules"] if s["service"] == cars.service.name)
    new = next(s for s in variation.resulting_version.snapshot["schedules"] if s["service"] == cars.service.name)
    assert (old["notice_period_months"], new["notice_period_months"]) == ("3", "6")
    assert cars.history.filter(notice_period_months=3).exists()


def test_a_rejected_variation_is_kept_and_changes_nothing(demo_data):
    agreement = active_agreement(demo_data)
    cars = agreement.schedules.get(service__slug="removal-of-abandoned-vehicles")
    variation = services.variation_propose(
        agreement=agreement,
        user=user("coordinator"),
        reason="Cheaper",
        effective_date=TODAY(),
        schedule=cars,
        field="annual_cost",
        new_value="30000",
    )
    with pytest.raises(ValidationError):
        services.variation_decide(
            variation=variation, user=user("almo.signatory"), approve=False, revision=variation.revision
        )
    services.variation_decide(
        variation=variation, user=user("almo.signatory"), approve=False, reason="Too low.", revision=variation.revision
    )
    variation.refresh_from_db()
    cars.refresh_from_db()
    assert variation.status == Variation.Status.REJECTED
    assert cars.annual_cost == Decimal("38000")
    with pytest.raises(ValidationError, match="already rejected"):
        services.variation_decide(
            variation=variation, user=user("council.signatory"), approve=True, revision=variation.revision
        )


def test_variation_values_are_validated(demo_data):
    agreement = active_agreement(demo_data)
    cars = agreement.schedules.get(service__slug="removal-of-abandoned-vehicles")
    with pytest.raises(ValidationError, match="whole number of months"):
        services.variation_propose(
            agreement=agreement,
            user=user("coordinator"),
            reason="x",
            effective_date=TODAY(),
            schedule=cars,
            field="notice_period_months",
            new_value="six",
        )
    draft = draft_copy_of_main(demo_data, reference="SLA-DRAFT-2")
    with pytest.raises(ValidationError, match="edit the draft"):
        services.variation_propose(
            agreement=draft,
            user=user("coordinator"),
            reason="x",
            effective_date=TODAY(),
            schedule=draft.schedules.first(),
            field="notice_period_months",
            new_value="6",
        )
    assert Schedule.objects.filter(agreement=draft).exists()
