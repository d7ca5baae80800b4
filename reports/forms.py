from typing import NamedTuple

from django import forms
from django.utils.translation import gettext_lazy as _

from core.formatting import parse_count
from reports.services import EvidenceInput, ValueInput
from targets.models import Indicator


class CountInput(forms.CharField):
    """A count typed as clerks type it ("1.234"); free text is refused on the field."""

    widget = forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "class": "count"})

    def to_python(self, value):
        value = super().to_python(value)
        try:
            return parse_count(value)
        except ValueError as exc:
            raise forms.ValidationError(str(exc), code="invalid_count") from exc


ACCEPT = ".pdf,.png,.jpg,.jpeg,.doc,.docx,.xls,.xlsx,.ppt,.pptx,.odt,.ods,.odp"
DONE_CHOICES = [("", _("— not entered —")), ("yes", _("Done")), ("no", _("Not done"))]


class ErrorEntry(NamedTuple):
    """One line of the summary above the form: the field it links to (None for the form as a whole), what it is."""

    field_id: str | None
    indicator: str
    label: str
    message: str


class ReportForm(forms.Form):
    """One row of fields per indicator; the same rules as the API apply in the services."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, rows: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            indicator: Indicator = row["indicator"]
            value = row.get("value")
            prefix = indicator.code
            if indicator.has_counts:
                self.fields[f"{prefix}-numerator"] = CountInput(
                    label=indicator.numerator_label, required=False,
                    initial=value.numerator if value else None)
                self.fields[f"{prefix}-denominator"] = CountInput(
                    label=indicator.denominator_label, required=False,
                    initial=value.denominator if value else None)
            else:
                initial = "" if not value or value.done is None else ("yes" if value.done else "no")
                self.fields[f"{prefix}-done"] = forms.ChoiceField(
                    label=indicator.name, choices=DONE_CHOICES, required=False, initial=initial)
            self.fields[f"{prefix}-note"] = forms.CharField(
                label=_("Note"), required=False, initial=value.note if value else "",
                widget=forms.Textarea(attrs={"rows": 2}))
            self.fields[f"{prefix}-evidence"] = forms.FileField(
                label=_("Evidence file"), required=False, widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}))

    def value_inputs(self) -> list[ValueInput]:
        """What the clerk entered, indicator by indicator; rows left wholly empty are not sent."""
        values = []
        for row in self.rows:
            indicator = row["indicator"]
            data = self.cleaned_data
            note = data.get(f"{indicator.code}-note", "")
            if indicator.has_counts:
                numerator = data.get(f"{indicator.code}-numerator")
                denominator = data.get(f"{indicator.code}-denominator")
                if numerator is None and denominator is None and not note:
                    continue
                values.append(ValueInput(indicator.pk, numerator=numerator, denominator=denominator, note=note))
            else:
                done = {"yes": True, "no": False}.get(data.get(f"{indicator.code}-done") or "")
                if done is None and not note:
                    continue
                values.append(ValueInput(indicator.pk, done=done, note=note))
        return values

    def evidence_inputs(self) -> list[EvidenceInput]:
        """The files chosen beside the indicators' figures."""
        return [EvidenceInput(row["indicator"].pk, upload) for row in self.rows
                if (upload := self.cleaned_data.get(f"{row['indicator'].code}-evidence"))]

    def entered_count(self) -> int:
        """How many indicators have their figures entered (both counts, or done / not done), as shown or typed."""
        count = 0
        for row in self.rows:
            code = row["indicator"].code
            names = [f"{code}-numerator", f"{code}-denominator"] if row["indicator"].has_counts else [f"{code}-done"]
            if all(str(self[name].value() if self[name].value() is not None else "").strip() for name in names):
                count += 1
        return count

    def error_summary(self) -> list[ErrorEntry]:
        """Every error, in the order of the page, each pointing at its field; the fields in error are described
        by their messages for screen readers (the messages carry the id `<field id>_error`)."""
        entries = [ErrorEntry(None, "", "", message) for message in self.non_field_errors()]
        names = {row["indicator"].code: row["indicator"].name for row in self.rows}
        for name in self.fields:
            if name not in self.errors or name == "version":
                continue
            bound = self[name]
            bound.field.widget.attrs["aria-describedby"] = f"{bound.auto_id}_error"
            indicator = names.get(name.rsplit("-", 1)[0], "")
            label = "" if bound.label == indicator else str(bound.label)
            entries.extend(ErrorEntry(bound.auto_id, indicator, label, message) for message in bound.errors)
        return entries

    def add_service_errors(self, errors: dict[str, list[str]]) -> None:
        """Map "code.field" errors from the services onto the form's fields."""
        for key, messages in errors.items():
            code, _sep, name = key.partition(".")
            field = f"{code}-{name}"
            if name == "note" or field not in self.fields:
                field = f"{code}-note" if f"{code}-note" in self.fields else None
            for message in messages:
                self.add_error(field, message)


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("Reason for returning"), required=False,
                             widget=forms.Textarea(attrs={"rows": 3, "form": "return-form"}))

    def __init__(self, *args, indicators=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = list(indicators)
        for indicator in self.indicators:
            # On the review page these sit in the table, beside each indicator, outside the return form itself.
            self.fields[f"reason-{indicator.code}"] = forms.CharField(
                label=indicator.name, required=False, max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2, "form": "return-form"}))

    def value_reasons(self) -> dict[str, str]:
        return {i.code: self.cleaned_data.get(f"reason-{i.code}", "") for i in self.indicators}


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason for reopening"), widget=forms.Textarea(attrs={"rows": 3}))
