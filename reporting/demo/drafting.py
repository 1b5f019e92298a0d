"""Demo data for drafting: named signatories, and a circulated version of the KEH draft with comments.

Idempotent: called from ``reporting.demo.seed`` every time ``seed_demo`` runs.
"""

from __future__ import annotations

import datetime as dt

from agreements.models import Agreement, AgreementVersion, Approval, Comment, Variation, VariationChange
from agreements.snapshots import agreement_snapshot
from services.models import Service, SigningAuthority


def seed_drafting(*, main: Agreement, east: Agreement, users: dict) -> None:
    council_signatory, almo_signatory = users["council.signatory"], users["almo.signatory"]
    # An administrator granted them signing authority: the council's, and Kirkby Neighbourhood Homes'.
    SigningAuthority.objects.get_or_create(
        user=council_signatory,
        council=main.council,
        defaults={"note": "Delegated by the Director of Housing (demo)", "granted_by": users["admin"]},
    )
    SigningAuthority.objects.get_or_create(
        user=almo_signatory,
        almo=main.almo,
        defaults={"note": "Delegated by the Parent Board (demo)", "granted_by": users["admin"]},
    )
    if (main.council_signatory_id, main.almo_signatory_id) != (council_signatory.pk, almo_signatory.pk):
        main.council_signatory, main.almo_signatory = council_signatory, almo_signatory
        main.save()
    if east.council_signatory_id != council_signatory.pk:
        east.council_signatory = council_signatory
        east.save()
    _seed_rejected_variation(main, council_signatory, almo_signatory)
    if east.versions.exists():
        return
    # The KEH draft went out for comment as v1; the coordinator has answered and is drafting v2.
    version = AgreementVersion.objects.create(
        agreement=east,
        number=1,
        purpose=AgreementVersion.Purpose.CIRCULATED,
        snapshot=agreement_snapshot(east),
        comment_deadline=dt.date(2026, 2, 13),
        created_by=east.coordinator,
    )
    legal = Service.objects.get(slug="legal-advice-and-conveyancing")
    Comment.objects.create(
        version=version,
        service=legal,
        author=users["legal.officer"],
        body="Ten working days for written advice is not achievable for leasehold matters: we propose 15.",
        status=Comment.Status.ANSWERED,
        response="Agreed for leasehold advice only; the 10-day standard stays for tenancy advice.",
        responded_by=east.coordinator,
    )
    Comment.objects.create(
        version=version,
        author=council_signatory,
        body="Please add the 2.5% annual uplift to every yearly cost before this goes for sign-off.",
    )


def _seed_rejected_variation(main: Agreement, council_signatory, almo_signatory) -> None:
    """A variation to the active KNH agreement that the ALMO rejected: kept, and it changed nothing."""
    if main.variations.exists():
        return
    grounds = main.schedules.get(service__slug="estate-grounds-maintenance")
    variation = Variation.objects.create(
        agreement=main,
        number=1,
        reason="The council proposed moving grass cutting to a per-cut charge.",
        effective_date=dt.date(2026, 4, 1),
        status=Variation.Status.REJECTED,
        proposed_by=main.coordinator,
    )
    VariationChange.objects.create(
        variation=variation,
        schedule=grounds,
        field=VariationChange.Field.ANNUAL_COST,
        old_value=str(grounds.annual_cost),
        new_value="575000",
    )
    Approval.objects.create(
        agreement=main,
        variation=variation,
        party=Approval.Party.COUNCIL,
        user=council_signatory,
        decision=Approval.Decision.APPROVED,
    )
    Approval.objects.create(
        agreement=main,
        variation=variation,
        party=Approval.Party.ALMO,
        user=almo_signatory,
        decision=Approval.Decision.REJECTED,
        reason="A 6.5% rise is not affordable within the HRA business plan.",
    )
