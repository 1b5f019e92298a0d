from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from services.models import Almo, Benchmark, Council, Department, MarketTest, Profile, Service


@admin.register(Council)
class CouncilAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Almo)
class AlmoAdmin(admin.ModelAdmin):
    list_display = ["name", "council", "homes_managed"]
    list_filter = ["council"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "council", "is_housing"]
    list_filter = ["council", "is_housing"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Service)
class ServiceAdmin(SimpleHistoryAdmin):
    list_display = ["name", "department", "kind", "category", "hra_funded"]
    list_filter = ["department", "kind", "category", "hra_funded"]
    list_select_related = ["department"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "almo", "department", "council"]
    list_filter = ["role", "almo", "department"]
    list_select_related = ["user", "almo", "department"]
    autocomplete_fields = ["user"]


@admin.register(Benchmark)
class BenchmarkAdmin(SimpleHistoryAdmin):
    list_display = ["service", "almo", "kind", "amount", "basis", "source", "obtained_on", "entered_by"]
    list_filter = ["almo", "kind", "basis"]
    raw_id_fields = ["entered_by"]


@admin.register(MarketTest)
class MarketTestAdmin(SimpleHistoryAdmin):
    list_display = ["service", "almo", "status", "decision", "recorded_on", "recorded_by"]
    list_filter = ["almo", "status", "decision"]
    raw_id_fields = ["recorded_by"]
