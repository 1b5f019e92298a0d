from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from reporting.models import (
    BoardPack,
    Departure,
    Evidence,
    QuarterlyReturn,
    ReturnEvent,
    ReturnReminder,
    StandardResult,
)


class ResultInline(admin.TabularInline):
    model = StandardResult
    fields = ["standard", "target_value", "actual", "milestone_outcome", "rag"]
    extra = 0
    show_change_link = True


@admin.register(QuarterlyReturn)
class QuarterlyReturnAdmin(SimpleHistoryAdmin):
    list_display = ["agreement", "department", "financial_year", "quarter", "due_date", "status"]
    list_filter = ["status", "financial_year", "quarter", "department"]
    list_select_related = ["agreement", "department"]
    inlines = [ResultInline]


class DepartureInline(admin.StackedInline):
    model = Departure
    extra = 0


@admin.register(StandardResult)
class StandardResultAdmin(SimpleHistoryAdmin):
    list_display = ["standard", "quarterly_return", "target_value", "actual", "milestone_outcome", "rag"]
    list_filter = ["rag"]
    list_select_related = ["standard", "quarterly_return__department"]
    inlines = [DepartureInline]


@admin.register(Departure)
class DepartureAdmin(SimpleHistoryAdmin):
    list_display = ["what_happened", "owner", "target_date", "resolved"]
    list_filter = ["resolved"]


@admin.register(Evidence)
class EvidenceAdmin(admin.ModelAdmin):
    list_display = ["original_name", "quarterly_return", "content_type", "size", "uploaded_by", "uploaded_at"]
    list_select_related = ["quarterly_return", "uploaded_by"]


@admin.register(ReturnEvent)
class ReturnEventAdmin(admin.ModelAdmin):
    list_display = ["quarterly_return", "from_status", "to_status", "by", "at"]
    list_select_related = ["quarterly_return", "by"]


@admin.register(ReturnReminder)
class ReturnReminderAdmin(admin.ModelAdmin):
    list_display = ["quarterly_return", "kind", "sent_at"]
    list_filter = ["kind"]
    list_select_related = ["quarterly_return__department", "quarterly_return__agreement"]


@admin.register(BoardPack)
class BoardPackAdmin(SimpleHistoryAdmin):
    list_display = ["almo", "financial_year", "quarter", "status", "pages", "requested_by", "requested_at"]
    list_filter = ["status", "almo", "financial_year", "quarter"]
    list_select_related = ["almo", "requested_by"]
    readonly_fields = ["sha256", "size", "pages", "render_seconds", "attempts", "started_at", "finished_at"]


# Improvement plans, escalation cases, meetings and service credits (issue 13)
from reporting.cases import admin as case_admin  # noqa: E402,F401

# --- Issue 14: tenant scrutiny, published performance, complaints -------------------------
from reporting.complaints.models import Complaint, ComplaintStage  # noqa: E402
from reporting.improvement import admin as plan_admin  # noqa: E402,F401
from reporting.public.models import PublishedQuarter  # noqa: E402
from reporting.scrutiny.models import Challenge  # noqa: E402


@admin.register(Challenge)
class ChallengeAdmin(SimpleHistoryAdmin):
    list_display = ["title", "almo", "kind", "status", "raised_on", "response_due", "escalated_on"]
    list_filter = ["almo", "kind", "status"]
    list_select_related = ["almo"]


@admin.register(PublishedQuarter)
class PublishedQuarterAdmin(SimpleHistoryAdmin):
    list_display = ["almo", "financial_year", "quarter", "published_by", "published_at"]
    list_filter = ["almo"]


class ComplaintStageInline(admin.TabularInline):
    model = ComplaintStage
    extra = 0


@admin.register(Complaint)
class ComplaintAdmin(SimpleHistoryAdmin):
    list_display = ["reference", "almo", "schedule", "source", "received_on"]
    list_filter = ["almo", "source"]
    list_select_related = ["almo", "schedule__service"]
    inlines = [ComplaintStageInline]


admin.site.register(ComplaintStage, SimpleHistoryAdmin)
