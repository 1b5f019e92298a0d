"""Demo data for drafting: named signatories, and a circulated version of the KEH draft with comments.

Idempotent: called from ``services.demo.seed`` every time ``seed_demo`` runs.
"""

from __future__ import annotations

import datetime as dt

from agreements.models import Agreement, AgreementVersion, Comment
from agreements.snapshots import agreement_snapshot
from services.models import Service


def seed_drafting(*, main: Agreement, east: Agreement, users: dict) -> None:
    council_signatory, almo_signatory = users["council.signatory"], users["almo.signatory"]
    if (main.council_signatory_id, main.almo_signatory_id) != (council_signatory.pk, almo_signatory.pk):
        main.council_signatory, main.almo_signatory = council_signatory, almo_signatory
        main.save()
    if east.council_signatory_id != council_signatory.pk:
        east.council_signatory = council_signatory
        east.save()
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
