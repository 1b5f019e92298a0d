"""Improvement plans in the Django admin (administrators only; the coordinator works in the app)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from reporting.improvement.models import (
    Improvement,
    ImprovementPlan,
    ImprovementTask,
    IndicatorTarget,
    KeyTheme,
    PerformanceIndicator,
    PlanReport,
    ProgressComment,
    QuickWin,
    ResourceAllocation,
    Risk,
    SteeringGroup,
    SteeringGroupMember,
    TargetDateRevision,
)


class TaskInline(admin.TabularInline):
    model = ImprovementTask
    extra = 0


class ResourceInline(admin.TabularInline):
    model = ResourceAllocation
    extra = 0


class RevisionInline(admin.TabularInline):
    model = TargetDateRevision
    extra = 0
    readonly_fields = ["from_date", "to_date", "reason", "agreed_by", "agreed_on", "recorded_by", "recorded_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ImprovementPlan)
class ImprovementPlanAdmin(SimpleHistoryAdmin):
    list_display = ["title", "almo", "status", "starts_on", "ends_on"]
    list_filter = ["status", "almo"]


@admin.register(KeyTheme)
class KeyThemeAdmin(SimpleHistoryAdmin):
    list_display = ["number", "title", "priority", "plan"]
    list_filter = ["priority", "plan"]


@admin.register(Improvement)
class ImprovementAdmin(SimpleHistoryAdmin):
    list_display = ["reference", "title", "lead_officer", "target_date", "status"]
    list_filter = ["status", "theme__plan"]
    list_select_related = ["theme"]
    inlines = [TaskInline, ResourceInline, RevisionInline]


class TargetInline(admin.TabularInline):
    model = IndicatorTarget
    extra = 0


@admin.register(PerformanceIndicator)
class PerformanceIndicatorAdmin(SimpleHistoryAdmin):
    list_display = ["code", "title", "theme", "standard"]
    inlines = [TargetInline]


class MemberInline(admin.TabularInline):
    model = SteeringGroupMember
    extra = 0


@admin.register(SteeringGroup)
class SteeringGroupAdmin(SimpleHistoryAdmin):
    list_display = ["name", "plan"]
    inlines = [MemberInline]


@admin.register(Risk)
class RiskAdmin(SimpleHistoryAdmin):
    list_display = ["area", "theme", "impact_level", "likelihood", "impact", "owner", "review_date"]


@admin.register(PlanReport)
class PlanReportAdmin(admin.ModelAdmin):
    list_display = ["plan", "status", "requested_by", "requested_at", "pages"]
    readonly_fields = ["file", "pages", "size", "failure_reason"]


admin.site.register(
    [
        ImprovementTask,
        ResourceAllocation,
        TargetDateRevision,
        ProgressComment,
        QuickWin,
        IndicatorTarget,
        SteeringGroupMember,
    ]
)
