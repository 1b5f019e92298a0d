from django.contrib import admin

from api.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Administrators can see and revoke (delete) tokens; only their owner can make one."""

    list_display = ["user", "key_start", "created_at", "last_used_at"]
    search_fields = ["user__username", "user__email", "key_start"]
    readonly_fields = ["user", "key_start", "created_at", "last_used_at"]
    exclude = ["key_hash"]

    def has_add_permission(self, request):
        return False
