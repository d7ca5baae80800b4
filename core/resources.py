"""django-import-export resources that write audit rows like every other write in the portal."""

import datetime as dt
import io
from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext as _
from import_export import resources, widgets
from import_export.admin import ImportExportMixin
from import_export.formats import base_formats
from openpyxl import Workbook
from openpyxl.styles import Font

from core.files import xlsx_inspect
from core.models import AuditEvent
from core.services import audit_record, jsonable
from core.xlsx import cell_put


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


class TextXLSX(base_formats.XLSX):
    """The admin's .xlsx: every string stored as text (a unit named "=…" stays a name, not a formula), and a file
    to import checked like every other upload before openpyxl reads it."""

    def export_data(self, dataset, **kwargs):
        workbook = Workbook()
        ws = workbook.active
        ws.title = (dataset.title or "Sheet1")[:31]
        for column, header in enumerate(dataset.headers or [], start=1):
            cell_put(ws, 1, column, header).font = Font(bold=True)
        first = 2 if dataset.headers else 1
        for r, row in enumerate(dataset, start=first):
            for column, value in enumerate(row, start=1):
                cell_put(ws, r, column, value if value is None or isinstance(value, (int, float, Decimal, dt.date))
                         else str(value))
        if dataset.headers:
            ws.freeze_panes = "A2"
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()

    def create_dataset(self, in_stream):
        upload = SimpleUploadedFile("import.xlsx", in_stream)
        xlsx_inspect(upload, max_rows=settings.PORTAL_IMPORT_MAX_ROWS, max_cols=100)
        return super().create_dataset(in_stream)


class TextExportMixin(ImportExportMixin):
    """Import and export in the admin, in CSV and in an .xlsx whose strings are never formulas."""

    formats: ClassVar[list] = [base_formats.CSV, TextXLSX]
