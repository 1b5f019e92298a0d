from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from agreements.models import Agreement, Schedule, ScheduleYearCost, ServiceNotice, Standard, StandardTarget


class ScheduleInline(admin.TabularInline):
    model = Schedule
    fields = ["service", "notice_period_months", "annual_cost", "reporting_frequency"]
    extra = 0
    show_change_link = True


@admin.register(Agreement)
class AgreementAdmin(SimpleHistoryAdmin):
    list_display = ["reference", "title", "almo", "status", "start_date", "end_date"]
    list_filter = ["status", "almo"]
    search_fields = ["reference", "title"]
    list_select_related = ["almo"]
    inlines = [ScheduleInline]


class StandardInline(admin.StackedInline):
    model = Standard
    extra = 0
    show_change_link = True


@admin.register(Schedule)
class ScheduleAdmin(SimpleHistoryAdmin):
    list_display = ["service", "agreement", "notice_period_months", "annual_cost"]
    list_filter = ["agreement", "service__department"]
    list_select_related = ["service", "agreement"]
    inlines = [StandardInline]


class TargetInline(admin.TabularInline):
    model = StandardTarget
    extra = 0


@admin.register(Standard)
class StandardAdmin(SimpleHistoryAdmin):
    list_display = ["title", "schedule", "kind", "unit", "direction"]
    list_filter = ["kind", "unit"]
    list_select_related = ["schedule__service", "schedule__agreement"]
    inlines = [TargetInline]


@admin.register(StandardTarget)
class StandardTargetAdmin(SimpleHistoryAdmin):
    list_display = ["standard", "effective_from", "value"]
    list_select_related = ["standard"]


@admin.register(ScheduleYearCost)
class ScheduleYearCostAdmin(SimpleHistoryAdmin):
    list_display = ["schedule", "financial_year", "amount", "note"]
    list_select_related = ["schedule__service", "schedule__agreement"]


@admin.register(ServiceNotice)
class ServiceNoticeAdmin(SimpleHistoryAdmin):
    list_display = ["schedule", "served_on", "effective_date", "served_by", "withdrawn_on"]
    list_select_related = ["schedule__service", "served_by"]


from agreements.models import (  # noqa: E402
    AgreementVersion,
    Approval,
    Comment,
    DraftingStep,
    Variation,
    VariationChange,
)


@admin.register(AgreementVersion)
class AgreementVersionAdmin(SimpleHistoryAdmin):
    list_display = ["agreement", "number", "purpose", "comment_deadline", "created_by", "created_at"]
    list_filter = ["purpose"]
    readonly_fields = ["snapshot"]


@admin.register(Comment)
class CommentAdmin(SimpleHistoryAdmin):
    list_display = ["version", "service", "author", "status", "created_at"]
    list_filter = ["status"]


class VariationChangeInline(admin.TabularInline):
    model = VariationChange
    extra = 0


@admin.register(Variation)
class VariationAdmin(SimpleHistoryAdmin):
    list_display = ["agreement", "number", "status", "effective_date"]
    list_filter = ["status"]
    inlines = [VariationChangeInline]


@admin.register(VariationChange)
class VariationChangeAdmin(SimpleHistoryAdmin):
    list_display = ["variation", "schedule", "field", "old_value", "new_value"]


@admin.register(Approval)
class ApprovalAdmin(SimpleHistoryAdmin):
    list_display = ["agreement", "party", "user", "decision", "version", "variation", "decided_at"]


@admin.register(DraftingStep)
class DraftingStepAdmin(SimpleHistoryAdmin):
    list_display = ["agreement", "kind", "user", "window_open", "unanswered_comments", "created_at"]
    list_filter = ["kind"]
    list_select_related = ["agreement", "user"]
    readonly_fields = ["agreement", "version", "kind", "user", "reason", "window_open", "unanswered_comments"]


# Issue 14: the council's standard schedule per service.
from agreements.council_templates import ServiceTemplate  # noqa: E402


@admin.register(ServiceTemplate)
class ServiceTemplateAdmin(SimpleHistoryAdmin):
    list_display = ["service", "notice_period_months", "reporting_frequency", "updated_at"]
    list_select_related = ["service"]
    search_fields = ["service__name"]
