from django.contrib import admin

from bokjihub.audit.models import AccessLog


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    list_display = [
        "occurred_at",
        "username",
        "organisation_name",
        "role",
        "action",
        "purpose",
        "household_id",
        "ip_address",
    ]
    list_filter = ["action", "purpose", "role"]
    search_fields = ["username", "organisation_name"]
    date_hierarchy = "occurred_at"

    # The log is append-only: nobody edits or deletes it through the admin.
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
