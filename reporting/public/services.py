"""Publishing a quarter's performance on the ALMO's public page."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from almo_sla.access import can
from reporting.models import QuarterlyReturn
from reporting.public.models import PublishedQuarter
from services.periods import Quarter


@transaction.atomic
def quarter_publish(*, almo, quarter: Quarter, by) -> PublishedQuarter:
    """Publish ``quarter`` for ``almo``: only when it has returns and every one of them is accepted."""
    if not can(by, "reporting.publish_performance", almo):
        raise PermissionDenied
    returns = list(
        QuarterlyReturn.objects.select_for_update()
        .filter(agreement__almo=almo, financial_year=quarter.year, quarter=quarter.number)
        .select_related("department")
    )
    if not returns:
        raise ValidationError({"quarter": f"There are no returns for {quarter.label} to publish."})
    waiting = sorted(r.department.name for r in returns if r.status != QuarterlyReturn.Status.ACCEPTED)
    if waiting:
        raise ValidationError(
            {
                "quarter": f"Every return for {quarter.label} must be accepted first; "
                f"still waiting: {', '.join(waiting)}."
            }
        )
    if PublishedQuarter.objects.filter(almo=almo, financial_year=quarter.year, quarter=quarter.number).exists():
        raise ValidationError({"quarter": f"{quarter.label} is already published."})
    return PublishedQuarter.objects.create(
        almo=almo, financial_year=quarter.year, quarter=quarter.number, published_by=by
    )
