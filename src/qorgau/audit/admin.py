from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from qorgau.audit.models import AccessLogEntry


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(admin.ModelAdmin):
    """Read-only: the log is appended by the application and changed by no one."""

    list_display = ["seq", "at", "actor_username", "action", "record_kind", "record_id", "channel"]
    list_filter = ["action", "record_kind", "channel"]
    search_fields = ["actor_username"]
    date_hierarchy = "at"

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in AccessLogEntry._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
