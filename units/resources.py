from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields, resources

from units.models import Unit
from units.services import unit_create, unit_move, unit_update


class UnitResource(resources.ModelResource):
    """Units through the tree services: a new code is added under its parent, a changed parent moves the branch."""

    parent = fields.Field(column_name="parent", attribute="parent_code", readonly=False)

    class Meta:
        model = Unit
        import_id_fields = ["code"]
        fields = ["code", "name", "kind", "parent", "opened_on", "closed_on"]
        clean_model_instances = True

    def dehydrate_parent(self, unit) -> str:
        parent = Unit.objects.get_parent(unit)
        return parent.code if parent else ""

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        try:
            instance.full_clean(exclude=["path", "depth", "numchild", *errors], validate_unique=False)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def save_instance(self, instance, is_create, row, **kwargs):
        if self._is_dry_run(kwargs) and not self._is_using_transactions(kwargs):
            return
        user = kwargs.get("user")
        parent_code = (row.get("parent") or "").strip()
        parent = Unit.objects.filter(code=parent_code).first()
        if parent is None and (is_create or parent_code):
            raise ValidationError({"parent": _("The parent unit %(code)s does not exist.") % {"code": parent_code}})
        data = {name: getattr(instance, name) for name in ("name", "kind", "opened_on", "closed_on")}
        if is_create:
            created = unit_create(code=instance.code, parent=parent, by=user, **data)
            instance.pk, instance.path = created.pk, created.path
            return
        current = Unit.objects.get(pk=instance.pk)
        unit_update(unit=current, by=user, **data)
        if parent is not None and Unit.objects.get_parent(current) != parent:
            unit_move(unit=current, parent=parent, by=user)
