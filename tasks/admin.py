from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyAdminMixin
from tasks.models import TaskClosure, TaskRecord, TaskReminder


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


@admin.register(TaskClosure)
class TaskClosureAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """A task is closed by an amendment of its plan, with its audit row; the admin only reads it."""

    list_display = ["task", "plan_key", "closed_from", "closed_by", "closed_at"]
    search_fields = ["task__plan__key", "task__title"]
    list_select_related = ["task__plan", "closed_by"]
    date_hierarchy = "closed_from"
    readonly_fields = [f.name for f in TaskClosure._meta.fields]

    @admin.display(description=_("plan"), ordering="task__plan__key")
    def plan_key(self, obj):
        return obj.task.plan.key
