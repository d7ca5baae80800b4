from django.contrib import admin
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from knox.models import AuthToken

from core.models import AuditEvent
from core.services import (
    api_token_revoke,
    audit_event_build,
    audit_record,
    audit_record_many,
    instance_fields,
    jsonable,
)

admin.site.site_header = _("Digital transformation portal – administration")
admin.site.site_title = _("Digital transformation portal")
admin.site.index_title = _("Administration")
admin.site.empty_value_display = "—"


class AuditedAdmin(admin.ModelAdmin):
    """Every save or delete through the admin leaves an audit row with old and new values."""

    def save_model(self, request, obj, form, change):
        changes = {
            name: [jsonable(form.initial.get(name)) if change else None, jsonable(form.cleaned_data.get(name))]
            for name in form.changed_data
        }
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            audit_record(
                actor=request.user,
                action=AuditEvent.Action.UPDATE if change else AuditEvent.Action.CREATE,
                instance=obj,
                changes=changes,
                note=str(_("Administration")),
            )

    def save_formset(self, request, form, formset, change):
        note = str(_("Administration"))
        before = {
            inline.instance.pk: {name: jsonable(inline.initial.get(name)) for name in inline.changed_data}
            for inline in formset.initial_forms
        }
        deleted = [(inline.instance, str(inline.instance.pk)) for inline in formset.deleted_forms if inline.instance.pk]
        with transaction.atomic():
            super().save_formset(request, form, formset, change)
            events = [
                audit_event_build(
                    actor=request.user, action=AuditEvent.Action.CREATE, instance=obj, note=note,
                    changes=instance_fields(obj, [f.name for f in obj._meta.concrete_fields if f.name != "id"]),
                )
                for obj in formset.new_objects
            ]
            for obj, fields in formset.changed_objects:
                changes = {name: [before[obj.pk].get(name), jsonable(getattr(obj, name))] for name in fields}
                events.append(audit_event_build(
                    actor=request.user, action=AuditEvent.Action.UPDATE, instance=obj, changes=changes, note=note
                ))
            for obj, pk in deleted:
                event = audit_event_build(actor=request.user, action=AuditEvent.Action.DELETE, instance=obj, note=note)
                event.object_id = pk
                events.append(event)
            audit_record_many(events)

    def delete_model(self, request, obj):
        with transaction.atomic():
            audit_record(actor=request.user, action=AuditEvent.Action.DELETE, instance=obj,
                         note=str(_("Administration")))
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                audit_record(
                    actor=request.user, action=AuditEvent.Action.DELETE, instance=obj, note=str(_("Administration"))
                )
            super().delete_queryset(request, queryset)


class ReadOnlyAdminMixin:
    """Shown, never edited here: the rows are written by the portal's services, with their checks and audit."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["at", "by", "action", "object_type", "object_repr"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_repr", "object_id", "note", "actor_name"]
    date_hierarchy = "at"
    list_select_related = ["actor"]

    @admin.display(description=_("by"), ordering="actor_name")
    def by(self, obj):
        return obj.actor_label

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.action(description=_("Mark the conflict as resolved"))
def conflict_mark_resolved(modeladmin, request, queryset):
    from core.services import conflict_resolve

    for obj in queryset:
        conflict_resolve(obj=obj, by=request.user)


# knox's own admin lets staff make a token for anyone, outside the owner's MFA and without an audit row.
admin.site.unregister(AuthToken)


@admin.register(AuthToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are made by their owners on their own page; staff see them and may revoke them (audited)."""

    list_display = ("token_key", "user", "created", "expiry")
    search_fields = ("token_key", "user__username")
    fields = ("token_key", "user", "created", "expiry")
    readonly_fields = fields
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # revoking goes through the action, which leaves the audit row

    @admin.action(description=_("Revoke the selected API tokens"), permissions=["view"])
    def revoke(self, request, queryset):
        for token in queryset.select_related("user"):
            api_token_revoke(user=token.user, token_key=token.token_key, by=request.user)
        self.message_user(request, _("The selected API tokens were revoked."))
