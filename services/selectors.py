"""Reads of the service catalogue."""

from django.db.models import Count, QuerySet

from services.models import Service


def service_list() -> QuerySet[Service]:
    """Every service of the council with its department, in one query. All roles may read it."""
    return (
        Service.objects.select_related("department")
        .annotate(agreement_count=Count("schedules__agreement", distinct=True))
        .order_by("department__name", "name")
    )
