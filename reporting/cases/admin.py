"""Escalation procedures, cases, monitoring meetings and service credits in the Django admin."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from reporting.cases.models import (
    AgendaItem,
    Attendee,
    CaseStep,
    CriticalStandard,
    EscalationCase,
    EscalationStep,
    MeetingAction,
    MonitoringMeeting,
    ServiceCreditScheme,
)


class CaseStepInline(admin.TabularInline):
    model = CaseStep
    extra = 0


@admin.register(EscalationCase)
class EscalationCaseAdmin(SimpleHistoryAdmin):
    list_display = ["pk", "agreement", "direction", "ground", "department", "status", "opened_on"]
    list_filter = ["status", "direction", "ground"]
    inlines = [CaseStepInline]


class AgendaInline(admin.TabularInline):
    model = AgendaItem
    extra = 0


class ActionInline(admin.TabularInline):
    model = MeetingAction
    extra = 0


@admin.register(MonitoringMeeting)
class MonitoringMeetingAdmin(SimpleHistoryAdmin):
    list_display = ["agreement", "financial_year", "quarter", "held_on", "status"]
    inlines = [AgendaInline, ActionInline]


admin.site.register(EscalationStep, SimpleHistoryAdmin)
admin.site.register(ServiceCreditScheme, SimpleHistoryAdmin)
admin.site.register(MeetingAction, SimpleHistoryAdmin)
admin.site.register(CaseStep, SimpleHistoryAdmin)
admin.site.register([AgendaItem, Attendee, CriticalStandard])
