"""Read-only representations: ISO 8601 dates, money as decimal strings, names beside ids."""

from rest_framework import serializers

from agreements.models import Agreement, Schedule, ServiceNotice, Standard, StandardTarget
from reporting.models import Departure, StandardResult
from services.periods import financial_year_label


class AlmoField(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    name = serializers.CharField()


class AgreementSerializer(serializers.ModelSerializer):
    council = serializers.CharField(source="council.name")
    almo = AlmoField()
    coordinator = serializers.SerializerMethodField()
    schedule_count = serializers.IntegerField()
    total_annual_cost = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)

    class Meta:
        model = Agreement
        fields = [
            "id",
            "reference",
            "title",
            "status",
            "council",
            "almo",
            "start_date",
            "end_date",
            "coordinator",
            "schedule_count",
            "total_annual_cost",
        ]

    def get_coordinator(self, obj) -> str:
        return obj.coordinator.get_full_name() or obj.coordinator.username


class ScheduleSerializer(serializers.ModelSerializer):
    agreement = serializers.CharField(source="agreement.reference")
    almo = serializers.CharField(source="agreement.almo.slug")
    department = serializers.CharField(source="service.department.name")
    service = serializers.CharField(source="service.name")
    service_slug = serializers.CharField(source="service.slug")
    hra_funded = serializers.BooleanField(source="service.hra_funded")

    class Meta:
        model = Schedule
        fields = [
            "id",
            "agreement_id",
            "agreement",
            "almo",
            "department",
            "service",
            "service_slug",
            "hra_funded",
            "expected_service_level",
            "reporting_what",
            "reporting_frequency",
            "reporting_to",
            "report_departures",
            "notice_period_months",
            "annual_cost",
            "cost_basis",
            "staff_time_share",
        ]


class TargetSerializer(serializers.ModelSerializer):
    class Meta:
        model = StandardTarget
        fields = ["effective_from", "value"]


class StandardSerializer(serializers.ModelSerializer):
    agreement = serializers.CharField(source="schedule.agreement.reference")
    almo = serializers.CharField(source="schedule.agreement.almo.slug")
    department = serializers.CharField(source="schedule.service.department.name")
    service = serializers.CharField(source="schedule.service.name")
    targets = TargetSerializer(many=True)

    class Meta:
        model = Standard
        fields = [
            "id",
            "schedule_id",
            "agreement",
            "almo",
            "department",
            "service",
            "kind",
            "title",
            "unit",
            "direction",
            "amber_tolerance",
            "deliverable",
            "due_date",
            "targets",
        ]


class ResultSerializer(serializers.ModelSerializer):
    return_id = serializers.IntegerField(source="quarterly_return_id")
    return_status = serializers.CharField(source="quarterly_return.status")
    agreement = serializers.CharField(source="quarterly_return.agreement.reference")
    almo = serializers.CharField(source="quarterly_return.agreement.almo.slug")
    department = serializers.CharField(source="quarterly_return.department.name")
    financial_year = serializers.IntegerField(source="quarterly_return.financial_year")
    quarter = serializers.IntegerField(source="quarterly_return.quarter")
    service = serializers.CharField(source="standard.schedule.service.name")
    standard = serializers.CharField(source="standard.title")

    class Meta:
        model = StandardResult
        fields = [
            "id",
            "return_id",
            "return_status",
            "agreement",
            "almo",
            "department",
            "financial_year",
            "quarter",
            "service",
            "standard_id",
            "standard",
            "target_value",
            "actual",
            "milestone_outcome",
            "delivered_on",
            "rag",
            "commentary",
        ]


class DepartureSerializer(serializers.ModelSerializer):
    return_id = serializers.IntegerField(source="result.quarterly_return_id")
    agreement = serializers.CharField(source="result.quarterly_return.agreement.reference")
    almo = serializers.CharField(source="result.quarterly_return.agreement.almo.slug")
    department = serializers.CharField(source="result.quarterly_return.department.name")
    financial_year = serializers.IntegerField(source="result.quarterly_return.financial_year")
    quarter = serializers.IntegerField(source="result.quarterly_return.quarter")
    service = serializers.CharField(source="result.standard.schedule.service.name")
    standard = serializers.CharField(source="result.standard.title")

    class Meta:
        model = Departure
        fields = [
            "id",
            "return_id",
            "agreement",
            "almo",
            "department",
            "financial_year",
            "quarter",
            "service",
            "standard",
            "what_happened",
            "cases",
            "reason",
            "remedial_action",
            "owner",
            "target_date",
            "resolved",
            "resolved_on",
        ]


class CostSerializer(serializers.Serializer):
    schedule_id = serializers.IntegerField(source="schedule.pk")
    agreement = serializers.CharField(source="schedule.agreement.reference")
    almo = serializers.CharField(source="schedule.agreement.almo.slug")
    department = serializers.CharField(source="schedule.service.department.name")
    service = serializers.CharField(source="schedule.service.name")
    category = serializers.CharField(source="schedule.service.category")
    hra_funded = serializers.BooleanField(source="schedule.service.hra_funded")
    financial_year = serializers.IntegerField(source="year")
    financial_year_label = serializers.SerializerMethodField()
    cost = serializers.DecimalField(max_digits=14, decimal_places=2)

    def get_financial_year_label(self, obj) -> str:
        return financial_year_label(obj["year"])


class NoticeSerializer(serializers.ModelSerializer):
    agreement = serializers.CharField(source="schedule.agreement.reference")
    almo = serializers.CharField(source="schedule.agreement.almo.slug")
    department = serializers.CharField(source="schedule.service.department.name")
    service = serializers.CharField(source="schedule.service.name")

    class Meta:
        model = ServiceNotice
        fields = [
            "id",
            "schedule_id",
            "agreement",
            "almo",
            "department",
            "service",
            "served_on",
            "effective_date",
            "reason",
            "withdrawn_on",
        ]
