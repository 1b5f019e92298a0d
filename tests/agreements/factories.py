"""Helpers that build drafting scenarios on the demo data."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from agreements import services
from agreements.models import Agreement
from services.periods import financial_year_start


def user(username):
    return get_user_model().objects.get(username=username)


def draft_copy_of_main(demo, *, reference="SLA-KNH-NEXT", start=None) -> Agreement:
    """A draft for the coordinator's ALMO, copied from the active demo agreement, with both signatories."""
    main = demo["main"]
    today = timezone.localdate()
    start = start or dt.date(financial_year_start(today), 4, 1)
    return services.agreement_create(
        user=user("coordinator"),
        copy_from=main,
        council=main.council,
        almo=main.almo,
        title="Next agreement",
        reference=reference,
        start_date=start,
        end_date=start.replace(year=start.year + 3) - dt.timedelta(days=1),
        council_signatory=user("council.signatory"),
        almo_signatory=user("almo.signatory"),
    )


def active_agreement(demo, **kwargs) -> Agreement:
    agreement = draft_copy_of_main(demo, **kwargs)
    version = services.agreement_send_for_signoff(agreement=agreement, user=user("coordinator"))
    services.agreement_approve(agreement=agreement, user=user("council.signatory"), version_number=version.number)
    services.agreement_approve(agreement=agreement, user=user("almo.signatory"), version_number=version.number)
    agreement.refresh_from_db()
    return agreement
