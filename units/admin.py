from django.contrib import admin
from django.db import transaction

from core.admin import AuditedAdmin
from core.resources import TextExportMixin
from units.forms import UnitAdminForm
from units.models import Membership, Unit
from units.resources import UnitResource
from units.services import unit_create, unit_move, unit_update


@admin.register(Unit)
class UnitAdmin(TextExportMixin, admin.ModelAdmin):
    form = UnitAdminForm
    resource_classes = [UnitResource]
    list_display = ["code", "name", "kind", "depth", "opened_on", "closed_on"]
    list_filter = ["kind", "depth"]
    search_fields = ["code", "name"]
    ordering = ["path"]
    readonly_fields = ["path", "depth", "numchild"]
    fields = ["code", "name", "kind", "parent", "opened_on", "closed_on", "path", "depth", "numchild"]

    def save_model(self, request, obj, form, change):
        # The tree is kept by the services, which also write the audit rows.
        data = {name: form.cleaned_data[name] for name in ("code", "name", "kind", "opened_on", "closed_on")}
        parent = form.cleaned_data.get("parent")
        with transaction.atomic():
            if not change:
                created = unit_create(parent=parent, by=request.user, **data)
                obj.pk, obj.path = created.pk, created.path
                return
            current = Unit.objects.get(pk=obj.pk)
            unit_update(unit=current, by=request.user, **data)
            if parent is not None and "parent" in form.changed_data:
                unit_move(unit=current, parent=parent, by=request.user)

    def has_delete_permission(self, request, obj=None):
        # Units close (closed_on); deleting one would orphan its reports and history.
        return False


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin):
    list_display = ["user", "unit", "role"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__email", "unit__code", "unit__name"]
    autocomplete_fields = ["unit"]
    list_select_related = ["user", "unit"]
    raw_id_fields = ["user"]
