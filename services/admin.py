import logging

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from simple_history.admin import SimpleHistoryAdmin

from almo_sla.otp_devices import reset_devices
from services.models import (
    Almo,
    Benchmark,
    Council,
    Department,
    MarketTest,
    Notification,
    Profile,
    Service,
    SigningAuthority,
)


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


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class AccountAdmin(UserAdmin):
    """Django's user admin, with a logged reset of two-factor devices (a lost phone and codes)."""

    actions = ["reset_two_factor"]

    @admin.action(description="Reset two-factor authentication of the selected users", permissions=["change"])
    def reset_two_factor(self, request, queryset):
        for user in queryset:
            reset_devices(user=user, by=request.user, request=request)
        count = queryset.count()
        self.message_user(
            request,
            f"Two-factor authentication reset for {count} user{'s' if count != 1 else ''}: "
            "they set up an authenticator app again when they next sign in.",
            messages.SUCCESS,
        )


security_log = logging.getLogger("almo_sla.security")


@admin.register(SigningAuthority)
class SigningAuthorityAdmin(SimpleHistoryAdmin):
    """Administrators grant and revoke (delete) signing authority.

    Every change is kept in the history and written to the security log.
    """

    list_display = ["user", "council", "almo", "note", "granted_by", "granted_at"]
    list_filter = ["council", "almo"]
    list_select_related = ["user", "council", "almo", "granted_by"]
    autocomplete_fields = ["user"]
    readonly_fields = ["granted_by", "granted_at"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.granted_by = request.user
        super().save_model(request, obj, form, change)
        security_log.info(
            "signing authority %s: user=%s for=%r by=%s",
            "changed" if change else "granted",
            obj.user_id,
            str(obj.council or obj.almo),
            request.user.pk,
        )

    def delete_model(self, request, obj):
        security_log.info(
            "signing authority revoked: user=%s for=%r by=%s",
            obj.user_id,
            str(obj.council or obj.almo),
            request.user.pk,
        )
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Every e-mail recorded: who, about what, whether and when it was sent, and why not."""

    list_display = ["created_at", "event", "recipient", "subject", "delivery", "sent_at", "attempts", "failure_reason"]
    list_filter = ["event", "delivery", ("sent_at", admin.EmptyFieldListFilter)]
    list_select_related = ["recipient"]
    search_fields = ["subject", "recipient__username", "recipient__email", "key"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in Notification._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
