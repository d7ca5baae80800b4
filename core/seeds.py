"""Reading the project's structured seed files, with errors that name the file, the entry and the field."""

from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml
from django.utils.translation import gettext as _


class SeedFileError(Exception):
    def __init__(self, path: Path | str, message: str, *, entry: str = "", field: str = ""):
        self.path = Path(path)
        self.entry = entry
        self.field = field
        self.message = message
        where = [self.path.name]
        if entry:
            where.append(_("at %(entry)s") % {"entry": entry})
        if field:
            where.append(_("field “%(field)s”") % {"field": field})
        super().__init__(f"{', '.join(where)}: {message}")


def seed_yaml_read(path: Path) -> Any:
    try:
        with open(path, encoding="utf-8") as handle:
            return yaml.safe_load(handle)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = _(" (line %(line)s)") % {"line": mark.line + 1} if mark else ""
        raise SeedFileError(path, _("the file is not valid YAML%(line)s.") % {"line": line}) from exc
    except OSError as exc:
        raise SeedFileError(path, _("the file cannot be read: %(error)s") % {"error": exc.strerror}) from exc


def require(mapping: Any, field: str, *, path: Path, entry: str, kind: type | tuple = str) -> Any:
    """The value of a required field of the right type, or a SeedFileError that names it."""
    if not isinstance(mapping, dict):
        raise SeedFileError(path, _("the entry must be a mapping of fields."), entry=entry)
    if field not in mapping or mapping[field] in (None, ""):
        raise SeedFileError(path, _("this field is required."), entry=entry, field=field)
    value = mapping[field]
    if not isinstance(value, kind):
        raise SeedFileError(path, _("this field has the wrong type."), entry=entry, field=field)
    return value


def seed_decimal(value: Any, *, path: Path, entry: str, field: str) -> Decimal | None:
    """A number from YAML as the two-decimal Decimal the models store, so reloads compare equal."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise SeedFileError(path, _("this field must be a number."), entry=entry, field=field)
    try:
        return Decimal(str(value)).quantize(Decimal("0.01"))
    except InvalidOperation as exc:
        raise SeedFileError(path, _("this field must be a number."), entry=entry, field=field) from exc
