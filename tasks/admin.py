from django.contrib import admin

from core.admin import ReadOnlyAdminMixin
from tasks.models import TaskRecord, TaskReminder


@admin.register(TaskRecord)
class TaskRecordAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Progress is written through the task pages and the API, audited; the admin only reads it."""

    list_display = ["task", "period", "state", "due_on", "done_on", "accepted_at"]
    list_filter = ["state"]
    search_fields = ["task__title"]
    list_select_related = ["task"]
    readonly_fields = [f.name for f in TaskRecord._meta.fields]


@admin.register(TaskReminder)
class TaskReminderAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["task", "due_on", "kind", "sent_at"]
    list_filter = ["kind"]
    list_select_related = ["task"]
