"""Approvals are bound to what was reviewed (issue 11, Medium).

ASVS 5.0 V2.3.1 (business logic steps in order, no skipped or stale steps), V2.3.3 (a change is
made in one transaction, all or nothing) and V2.3.4 (locking against concurrent changes). Before
the fix an approval given on the v1 page counted for v2, and a variation approval covered a
change added after the page was loaded.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from agreements import services
from agreements.models import Agreement, Approval, Variation
from tests.agreements.factories import active_agreement, draft_copy_of_main, user

pytestmark = pytest.mark.django_db


def test_asvs_v2_3_1_an_approval_given_on_an_earlier_versions_page_is_refused(client_as, demo_data):
    draft = draft_copy_of_main(demo_data)
    v1 = services.agreement_send_for_signoff(agreement=draft, user=user("coordinator"))
    services.agreement_start_next_draft(agreement=draft, user=user("coordinator"))
    v2 = services.agreement_send_for_signoff(agreement=draft, user=user("coordinator"))
    response = client_as("council.signatory").post(
        reverse("agreements:agreement_approve", args=[draft.pk]), {"version_number": v1.number}, follow=True
    )
    assert f"but {v2.label} is now the version awaiting sign-off" in response.content.decode()
    assert not Approval.objects.filter(agreement=draft).exists()
    # A POST with no version at all (the old form) is refused too.
    client_as("council.signatory").post(reverse("agreements:agreement_approve", args=[draft.pk]))
    assert not Approval.objects.filter(agreement=draft).exists()
    client_as("council.signatory").post(
        reverse("agreements:agreement_approve", args=[draft.pk]), {"version_number": v2.number}
    )
    assert Approval.objects.get(agreement=draft).version == v2


def test_the_detail_page_carries_the_version_number_shown(client_as, demo_data):
    draft = draft_copy_of_main(demo_data)
    final = services.agreement_send_for_signoff(agreement=draft, user=user("coordinator"))
    html = client_as("council.signatory").get(draft.get_absolute_url()).content.decode()
    assert f'name="version_number" value="{final.number}"' in html


def _variation(demo_data):
    agreement = active_agreement(demo_data)
    cars = agreement.schedules.get(service__slug="removal-of-abandoned-vehicles")
    variation = services.variation_propose(
        agreement=agreement,
        user=user("coordinator"),
        reason="Re-tender",
        effective_date=timezone.localdate(),
        schedule=cars,
        field="notice_period_months",
        new_value="6",
    )
    return agreement, cars, variation


def test_asvs_v2_3_4_a_decision_on_a_variation_that_changed_since_it_was_read_is_refused(client_as, demo_data):
    agreement, cars, variation = _variation(demo_data)
    seen = variation.revision
    services.variation_add_change(variation=variation, schedule=cars, field="annual_cost", new_value="1")
    url = variation.get_absolute_url()
    response = client_as("council.signatory").post(url, {"revision": seen, "decision": "approve", "reason": ""})
    assert response.status_code == 200
    assert "The variation changed after you opened it" in response.content.decode()
    assert not variation.approvals.exists()
    with pytest.raises(ValidationError, match="changed after you opened it"):
        services.variation_decide(variation=variation, user=user("almo.signatory"), approve=True, revision=seen)


def test_asvs_v2_3_4_a_change_added_after_an_approval_clears_it_and_says_so_in_the_history(demo_data):
    agreement, cars, variation = _variation(demo_data)
    services.variation_decide(
        variation=variation, user=user("council.signatory"), approve=True, revision=variation.revision
    )
    services.variation_add_change(variation=variation, schedule=cars, field="annual_cost", new_value="1")
    variation.refresh_from_db()
    assert not variation.approvals.exists()
    deleted = Approval.history.filter(variation_id=variation.pk, history_type="-").get()
    assert "Cleared: a change was added" in deleted.history_change_reason
    assert variation.history.filter(history_change_reason__contains="1 approval cleared").exists()
    # The last signatory approving now does not apply anything: the council must approve again.
    services.variation_decide(
        variation=variation, user=user("almo.signatory"), approve=True, revision=variation.revision
    )
    variation.refresh_from_db()
    cars.refresh_from_db()
    assert variation.status == Variation.Status.PROPOSED
    assert cars.annual_cost == Decimal("38000")


def test_asvs_v2_3_3_a_variation_never_ends_applied_without_two_approvals(demo_data):
    agreement, cars, variation = _variation(demo_data)
    services.variation_decide(
        variation=variation, user=user("council.signatory"), approve=True, revision=variation.revision
    )
    Variation.objects.filter(pk=variation.pk).update(status=Variation.Status.APPROVED)  # as a race would leave it
    assert services.variation_apply(variation_id=variation.pk) is False
    assert services.apply_due_variations(today=timezone.localdate() + dt.timedelta(days=1)) == 0
    variation.refresh_from_db()
    cars.refresh_from_db()
    assert variation.status == Variation.Status.PROPOSED
    assert cars.notice_period_months == 3
    assert not Variation.objects.filter(status=Variation.Status.APPLIED, approvals__isnull=True).exists()


def test_a_withdrawn_variation_can_no_longer_be_decided_or_applied(demo_data):
    agreement, cars, variation = _variation(demo_data)
    services.variation_withdraw(variation=variation, user=user("coordinator"), reason="Tender cancelled.")
    with pytest.raises(ValidationError, match="already withdrawn"):
        services.variation_decide(
            variation=variation, user=user("council.signatory"), approve=True, revision=variation.revision
        )
    assert services.variation_apply(variation_id=variation.pk) is False
    assert Agreement.objects.get(pk=agreement.pk).schedules.get(pk=cars.pk).notice_period_months == 3
