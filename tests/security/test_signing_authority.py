"""Who signs (issue 11, High): signing authority granted by an administrator.

ASVS 5.0 V2.3.5 (high-value business flows need approval by more than one person), V8.2.1 and
V8.2.2 (function- and data-level authorization), V8.3.1 (authorization enforced at a trusted
service layer, not only in the page). Before the fix, the coordinator could name anyone,
themselves included, as a signatory and approve "for the Council".
"""

import logging

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from agreements import services
from agreements.models import Agreement, Approval
from services.models import Almo, SigningAuthority
from tests.agreements.factories import draft_copy_of_main, user
from tests.factories import ProfileFactory, UserFactory

pytestmark = pytest.mark.django_db


def edit_data(agreement, **changes):
    data = {
        "revision": agreement.revision,
        "title": agreement.title,
        "start_date": agreement.start_date.isoformat(),
        "end_date": agreement.end_date.isoformat() if agreement.end_date else "",
        "notice_alignment": agreement.notice_alignment,
        "return_due_working_days": agreement.return_due_working_days,
        "council_signatory": agreement.council_signatory_id or "",
        "almo_signatory": agreement.almo_signatory_id or "",
    }
    return data | changes


def test_asvs_v2_3_5_the_coordinator_cannot_name_themselves_signatory(demo_data):
    draft = draft_copy_of_main(demo_data)
    coordinator = user("coordinator")
    SigningAuthority.objects.create(user=coordinator, almo=draft.almo)  # even with the ALMO's authority
    with pytest.raises(ValidationError) as error:
        services.agreement_update(agreement=draft, expected_revision=draft.revision, almo_signatory=coordinator)
    assert "coordinates this agreement" in str(error.value.message_dict["almo_signatory"])
    draft.refresh_from_db()
    assert draft.almo_signatory == user("almo.signatory")


def test_asvs_v8_2_1_a_council_officer_without_authority_cannot_be_council_signatory(demo_data):
    draft = draft_copy_of_main(demo_data)
    legal = user("legal.officer")
    with pytest.raises(ValidationError) as error:
        services.agreement_update(agreement=draft, expected_revision=draft.revision, council_signatory=legal)
    assert "no authority to sign" in str(error.value.message_dict["council_signatory"])
    authority = SigningAuthority(user=legal, council=draft.council)
    authority.full_clean()
    authority.save()
    services.agreement_update(agreement=draft, expected_revision=draft.revision, council_signatory=legal)
    draft.refresh_from_db()
    assert draft.council_signatory == legal


def test_asvs_v8_2_2_the_almo_signatory_must_hold_authority_for_this_agreements_almo(demo_data):
    draft = draft_copy_of_main(demo_data)  # a Kirkby Neighbourhood Homes agreement
    east_almo = Almo.objects.get(slug="kirkby-east-homes")
    east_director = UserFactory(username="east.director", first_name="Eve", last_name="Director")
    ProfileFactory(user=east_director, role="board_member", almo=east_almo, department=None)
    SigningAuthority.objects.create(user=east_director, almo=east_almo)
    with pytest.raises(ValidationError) as error:
        services.agreement_update(agreement=draft, expected_revision=draft.revision, almo_signatory=east_director)
    assert "no authority to sign" in str(error.value.message_dict["almo_signatory"])


def test_authority_is_only_granted_where_the_user_belongs(demo_data):
    main = demo_data["main"]
    with pytest.raises(ValidationError, match="Only an officer of one of"):
        SigningAuthority(user=user("board.member"), council=main.council).full_clean()
    with pytest.raises(ValidationError, match="Only a user of"):
        SigningAuthority(user=user("legal.officer"), almo=main.almo).full_clean()
    with pytest.raises(ValidationError, match="either the council or one ALMO"):
        SigningAuthority(user=user("legal.officer"), almo=main.almo, council=main.council).full_clean()


def test_asvs_v8_2_1_the_forms_offer_only_authorised_signatories(client_as, demo_data):
    draft = draft_copy_of_main(demo_data)
    response = client_as("coordinator").get(reverse("agreements:agreement_edit", args=[draft.pk]))
    form = response.context["form"]
    council = set(form.fields["council_signatory"].queryset.values_list("username", flat=True))
    almo = set(form.fields["almo_signatory"].queryset.values_list("username", flat=True))
    assert council == {"council.signatory"}
    assert almo == {"almo.signatory"}
    create = client_as("coordinator").get(reverse("agreements:agreement_create")).context["form"]
    assert "coordinator" not in set(create.fields["almo_signatory"].queryset.values_list("username", flat=True))
    assert set(create.fields["council_signatory"].queryset.values_list("username", flat=True)) == {"council.signatory"}
    # A forged POST naming the coordinator is refused, naming the field.
    posted = client_as("coordinator").post(
        reverse("agreements:agreement_edit", args=[draft.pk]),
        edit_data(draft, council_signatory=user("coordinator").pk),
    )
    assert posted.status_code == 200
    assert "council_signatory" in posted.context["form"].errors
    draft.refresh_from_db()
    assert draft.council_signatory == user("council.signatory")


def test_asvs_v8_3_1_approval_is_refused_once_authority_is_revoked(client_as, demo_data):
    draft = draft_copy_of_main(demo_data)
    final = services.agreement_send_for_signoff(agreement=draft, user=user("coordinator"))
    SigningAuthority.objects.filter(user=user("council.signatory")).delete()
    with pytest.raises(ValidationError, match="no authority to sign"):
        services.agreement_approve(agreement=draft, user=user("council.signatory"), version_number=final.number)
    response = client_as("council.signatory").post(
        reverse("agreements:agreement_approve", args=[draft.pk]), {"version_number": final.number}
    )
    assert response.status_code == 403
    assert not Approval.objects.filter(version=final).exists()


def test_asvs_v2_3_5_a_coordinator_named_by_a_direct_database_edit_still_cannot_approve(demo_data):
    """Defence in depth: the approval checks the rule again, whatever the stored agreement says."""
    draft = draft_copy_of_main(demo_data)
    final = services.agreement_send_for_signoff(agreement=draft, user=user("coordinator"))
    coordinator = user("coordinator")
    SigningAuthority.objects.create(user=coordinator, almo=draft.almo)
    Agreement.objects.filter(pk=draft.pk).update(almo_signatory=coordinator)
    draft.refresh_from_db()
    with pytest.raises(ValidationError, match="coordinates this agreement"):
        services.agreement_approve(agreement=draft, user=coordinator, version_number=final.number)
    with pytest.raises(ValidationError, match="coordinates this agreement"):
        services.agreement_decline(agreement=draft, user=coordinator, version_number=final.number, reason="No")


def test_sending_for_sign_off_needs_signatories_who_may_sign(demo_data):
    draft = draft_copy_of_main(demo_data)
    SigningAuthority.objects.filter(user=user("almo.signatory")).delete()
    with pytest.raises(ValidationError, match="no authority to sign"):
        services.agreement_send_for_signoff(agreement=draft, user=user("coordinator"))
    assert Agreement.objects.get(pk=draft.pk).status == Agreement.Status.DRAFT


def test_administrator_grants_authority_in_the_admin_and_it_is_logged(client_as, demo_data, caplog):
    legal = user("legal.officer")
    council = demo_data["main"].council
    with caplog.at_level(logging.INFO, logger="almo_sla.security"):
        response = client_as("admin").post(
            reverse("admin:services_signingauthority_add"),
            {"user": legal.pk, "council": council.pk, "almo": "", "note": "Deputy director"},
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    authority = SigningAuthority.objects.get(user=legal)
    assert authority.granted_by == user("admin")
    assert authority.history.count() == 1
    assert any("signing authority granted" in r.getMessage() for r in caplog.records)
    assert client_as("coordinator").get(reverse("admin:services_signingauthority_changelist")).status_code == 302
