"""django-import-export resources that write audit rows like every other write in the portal."""

from django.utils.translation import gettext as _
from import_export import resources, widgets

from core.models import AuditEvent
from core.services import audit_record, jsonable


class AuditedResource(resources.ModelResource):
    """Rows imported in the admin are validated with full_clean and leave an audit row each, old → new."""

    audit_fields: tuple[str, ...] = ()

    def save_instance(self, instance, is_create, row, **kwargs):
        before = None
        if not is_create and instance.pk:
            before = type(instance).objects.filter(pk=instance.pk).values(*self.audit_fields).first()
        super().save_instance(instance, is_create, row, **kwargs)
        if self._is_dry_run(kwargs) and not self._is_using_transactions(kwargs):
            return
        changes = {
            name: [jsonable(before.get(name)) if before else None, jsonable(getattr(instance, f"{name}_id", None)
                                                                            if name in self._fk_names()
                                                                            else getattr(instance, name))]
            for name in self.audit_fields
        }
        changes = {k: v for k, v in changes.items() if v[0] != v[1]}
        if changes or is_create:
            audit_record(actor=kwargs.get("user"), action=AuditEvent.Action.CREATE if is_create
                         else AuditEvent.Action.UPDATE, instance=instance, changes=changes, note="Excel/CSV")

    def _fk_names(self) -> set[str]:
        model = self._meta.model
        return {f.name for f in model._meta.concrete_fields if f.is_relation}


class CodeWidget(widgets.ForeignKeyWidget):
    """A foreign key given by its code; an unknown code is a row error a person can read."""

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row=row, **kwargs)
        except self.model.DoesNotExist as exc:
            raise ValueError(_("There is no %(model)s with the code “%(value)s”.") % {
                "model": self.model._meta.verbose_name, "value": value}) from exc
