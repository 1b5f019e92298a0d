"""The read-only API: each list is the same selector the pages use, so a token sees what its user sees."""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch, Q
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.exceptions import ValidationError

from agreements import cost_selectors, costs
from agreements import selectors as agreement_selectors
from agreements.models import ServiceNotice, Standard, StandardTarget
from api import serializers
from reporting import selectors as reporting_selectors
from reporting.models import StandardResult
from services.periods import financial_year_first_day, financial_year_start

ALMO = OpenApiParameter("almo", OpenApiTypes.STR, description="ALMO slug, e.g. kirkby-neighbourhood-homes")
YEAR = OpenApiParameter(
    "year", OpenApiTypes.INT, description="Financial year by the calendar year it starts in: 2025 is 2025/26"
)
QUARTER = OpenApiParameter(
    "quarter", OpenApiTypes.INT, enum=[1, 2, 3, 4], description="Q1 April–June … Q4 January–March"
)


def _int_param(request, name, low, high):
    value = request.query_params.get(name)
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except ValueError:
        raise ValidationError({name: f"Give {name} as a whole number."}) from None
    if not low <= number <= high:
        raise ValidationError({name: f"{name} must be from {low} to {high}."})
    return number


def year_param(request):
    return _int_param(request, "year", 2000, 2100)


def quarter_param(request):
    return _int_param(request, "quarter", 1, 4)


def runs_during(prefix: str, year: int) -> Q:
    """Agreements (at ``prefix``) that run for some of the financial year starting in ``year``."""
    first, last = financial_year_first_day(year), financial_year_first_day(year + 1) - dt.timedelta(days=1)
    return Q(**{f"{prefix}start_date__lte": last}) & (
        Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": first})
    )


class ReadOnly(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    almo_field = ""

    def filter_almo(self, qs):
        almo = self.request.query_params.get("almo")
        return qs.filter(**{self.almo_field: almo}) if almo else qs


@extend_schema_view(list=extend_schema(parameters=[ALMO, YEAR, OpenApiParameter("status", OpenApiTypes.STR)]))
class AgreementViewSet(ReadOnly):
    """Service level agreements you may see."""

    serializer_class = serializers.AgreementSerializer
    almo_field = "almo__slug"

    def get_queryset(self):
        qs = self.filter_almo(agreement_selectors.agreement_list(user=self.request.user))
        if (year := year_param(self.request)) is not None:
            qs = qs.filter(runs_during("", year))
        if status := self.request.query_params.get("status"):
            qs = qs.filter(status=status)
        return qs.order_by("reference", "pk")


@extend_schema_view(list=extend_schema(parameters=[ALMO, YEAR, OpenApiParameter("agreement", OpenApiTypes.STR)]))
class ScheduleViewSet(ReadOnly):
    """Schedules (one service in an agreement) you may see; department officers see their department's."""

    serializer_class = serializers.ScheduleSerializer
    almo_field = "agreement__almo__slug"

    def get_queryset(self):
        qs = self.filter_almo(agreement_selectors.schedules_all(user=self.request.user)).select_related(
            "agreement__almo"
        )
        if (year := year_param(self.request)) is not None:
            qs = qs.filter(runs_during("agreement__", year))
        if reference := self.request.query_params.get("agreement"):
            qs = qs.filter(agreement__reference=reference)
        return qs.order_by("agreement__reference", "pk")


@extend_schema_view(list=extend_schema(parameters=[ALMO, YEAR]))
class StandardViewSet(ReadOnly):
    """Standards of the schedules you may see, with their targets by effective date."""

    serializer_class = serializers.StandardSerializer
    almo_field = "schedule__agreement__almo__slug"

    def get_queryset(self):
        schedules = agreement_selectors.schedules_all(user=self.request.user)
        qs = (
            Standard.objects.filter(schedule__in=schedules.values("pk"))
            .select_related("schedule__agreement__almo", "schedule__service__department")
            .prefetch_related(Prefetch("targets", queryset=StandardTarget.objects.order_by("effective_from")))
        )
        qs = self.filter_almo(qs)
        if (year := year_param(self.request)) is not None:
            qs = qs.filter(runs_during("schedule__agreement__", year))
        return qs.order_by("schedule__agreement__reference", "schedule_id", "position", "pk")


@extend_schema_view(list=extend_schema(parameters=[ALMO, YEAR, QUARTER]))
class ResultViewSet(ReadOnly):
    """Quarterly results against each standard, on the returns you may see."""

    serializer_class = serializers.ResultSerializer
    almo_field = "quarterly_return__agreement__almo__slug"

    def get_queryset(self):
        returns = reporting_selectors.return_list(user=self.request.user)
        qs = StandardResult.objects.filter(quarterly_return__in=returns.values("pk")).select_related(
            "quarterly_return__agreement__almo", "quarterly_return__department", "standard__schedule__service"
        )
        qs = self.filter_almo(qs)
        if (year := year_param(self.request)) is not None:
            qs = qs.filter(quarterly_return__financial_year=year)
        if (quarter := quarter_param(self.request)) is not None:
            qs = qs.filter(quarterly_return__quarter=quarter)
        return qs.order_by("-quarterly_return__financial_year", "-quarterly_return__quarter", "pk")


@extend_schema_view(list=extend_schema(parameters=[ALMO, YEAR, QUARTER]))
class DepartureViewSet(ReadOnly):
    """Departures from standard, with reasons and remedial actions, on the returns you may see."""

    serializer_class = serializers.DepartureSerializer
    almo_field = "result__quarterly_return__agreement__almo__slug"

    def get_queryset(self):
        qs = self.filter_almo(reporting_selectors.departure_list(user=self.request.user)).select_related(
            "result__quarterly_return__agreement__almo"
        )
        if (year := year_param(self.request)) is not None:
            qs = qs.filter(result__quarterly_return__financial_year=year)
        if (quarter := quarter_param(self.request)) is not None:
            qs = qs.filter(result__quarterly_return__quarter=quarter)
        return qs.order_by("pk")


class CostViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """What each schedule costs in a financial year (term, renewals, served notices prorated, approved
    variations), for the agreed and active agreements you may see. ``year`` defaults to this one."""

    serializer_class = serializers.CostSerializer

    @extend_schema(parameters=[ALMO, YEAR])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def get_queryset(self):
        qs = cost_selectors.cost_schedules(user=self.request.user)
        if almo := self.request.query_params.get("almo"):
            qs = qs.filter(agreement__almo__slug=almo)
        year = year_param(self.request) or financial_year_start(timezone.localdate())
        return [{"schedule": s, "year": year, "cost": costs.schedule_cost(s, year)} for s in qs.order_by("pk")]


@extend_schema_view(list=extend_schema(parameters=[ALMO, YEAR]))
class NoticeViewSet(ReadOnly):
    """Notices served to stop buying a service (withdrawn ones too, with the date), on schedules you may see.
    ``year`` picks notices taking effect in that financial year."""

    serializer_class = serializers.NoticeSerializer
    almo_field = "schedule__agreement__almo__slug"

    def get_queryset(self):
        qs = self.filter_almo(
            ServiceNotice.objects.filter(
                schedule__in=cost_selectors.schedules_visible(self.request.user)
            ).select_related("schedule__agreement__almo", "schedule__service__department")
        )
        if (year := year_param(self.request)) is not None:
            qs = qs.filter(
                effective_date__gte=financial_year_first_day(year),
                effective_date__lt=financial_year_first_day(year + 1),
            )
        return qs.order_by("effective_date", "pk")
