"""The forms of writing a plan: its heading, a target, a task, a retirement, the document to read."""

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from authoring.selectors import units_under
from core.periods import month_parse
from plans.models import PlanKind, Recurrence
from targets.models import Comparator, Counts, Indicator, Judged, Reporters
from units.models import Unit, UnitKind

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
DUE_HELP = _("As the plan writes it: 2026, Quý II/2026, 09/2026 or 31/12/2026.")
# Service errors name model fields; the forms type some of them under another name.
FIELD_OF_ERROR = {"due_on": "due", "due_kind": "due", "retired_from": "from_month"}


def unit_label(unit: Unit) -> str:
    return f"{'· ' * max(unit.depth - 2, 0)}{unit.name}"


class UnitChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return unit_label(obj)


class UnitsChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return unit_label(obj)


def errors_to_form(form: forms.Form, error: ValidationError) -> None:
    """A service's refusal shown at the fields it names (or at the top of the form)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, messages in error.message_dict.items():
        name = FIELD_OF_ERROR.get(name, name)
        form.add_error(name if name in form.fields else None, messages)


class PlanForm(forms.Form):
    issuer = UnitChoice(label=_("Issuing unit"), queryset=Unit.objects.none())
    parent = forms.ModelChoiceField(label=_("Implements the plan"), queryset=None, required=False,
                                    empty_label=_("— none —"))
    number = forms.CharField(label=_("Reference number"), max_length=50, required=False,
                             help_text=_("e.g. 86-KH/TU"))
    kind = forms.ChoiceField(label=_("Kind of document"), choices=PlanKind.choices, initial=PlanKind.KE_HOACH)
    title = forms.CharField(label=_("Title"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    issued_on = forms.DateField(label=_("Issued on"), required=False, input_formats=DATE_FORMATS,
                                help_text=_("dd/mm/yyyy"))
    year_start = forms.IntegerField(label=_("From year"), min_value=2000, max_value=2100)
    year_end = forms.IntegerField(label=_("To year"), min_value=2000, max_value=2100)

    def __init__(self, *args, issuers, parents, parent_required: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["issuer"].queryset = issuers
        self.fields["parent"].queryset = parents
        self.fields["parent"].required = parent_required
        self.fields["parent"].label_from_instance = lambda plan: f"{plan.short_label} – {plan.title[:80]}"

    def plan_data(self) -> dict[str, Any]:
        return {key: self.cleaned_data[key] for key in ("issuer", "parent", "number", "kind", "title", "issued_on",
                                                        "year_start", "year_end") if key in self.fields}


class PlanEditForm(PlanForm):
    """A draft's heading; its issuer stays the one it was drafted for."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["issuer"]

    def plan_data(self) -> dict[str, Any]:
        return {key: value for key, value in super().plan_data().items() if key != "issuer"}


class DocumentForm(PlanForm):
    text = forms.CharField(label=_("The plan's text (pasted)"), required=False, strip=False,
                           widget=forms.Textarea(attrs={"rows": 8}))
    file = forms.FileField(label=_("…or the document (.docx, .pdf with a text layer, .txt)"), required=False)

    def clean(self):
        data = super().clean()
        if not data.get("text", "").strip() and not data.get("file"):
            raise ValidationError(_("Paste the plan's text or choose its document."))
        return data


class AmendReasonMixin(forms.Form):
    reason = forms.CharField(label=_("Reason for the amendment"), required=False,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("The plan is issued: this change is an amendment, kept with its reason."))


def named_units(initial: dict, names: tuple[str, ...]) -> set[int]:
    """The ids of the units an item already names in `names` (units or ids, one or a list)."""
    ids = set()
    for name in names:
        value = initial.get(name)
        for unit in value if isinstance(value, list | tuple | set) else [value]:
            if unit is not None and unit != "":
                ids.add(unit.pk if isinstance(unit, Unit) else int(unit))
    return ids


class TargetForm(AmendReasonMixin):
    indicator = forms.ModelChoiceField(label=_("Indicator"), queryset=Indicator.objects.filter(is_active=True))
    comparator = forms.ChoiceField(label=_("Comparator"), choices=Comparator.choices)
    value = forms.DecimalField(label=_("Value (%)"), required=False, min_value=Decimal(0), max_value=Decimal(100),
                               max_digits=5, decimal_places=2)
    value_max = forms.DecimalField(label=_("Upper value (%), for a range"), required=False, min_value=Decimal(0),
                                   max_value=Decimal(100), max_digits=5, decimal_places=2)
    due = forms.CharField(label=_("Due"), max_length=40, help_text=DUE_HELP)
    scope_unit = UnitChoice(label=_("Unit whose figures it measures"), queryset=Unit.objects.none(),
                            required=False, empty_label=_("— the issuing unit —"))
    counts = forms.ChoiceField(label=_("Units that count"), choices=Counts.choices, initial=Counts.ALL)
    applies_to_kinds = forms.MultipleChoiceField(label=_("Only units of these kinds"), required=False,
                                                 choices=UnitKind.choices, widget=forms.CheckboxSelectMultiple)
    applies_to_units = UnitsChoice(label=_("Only these units (with the units under them)"),
                                   queryset=Unit.objects.none(), required=False)
    judged = forms.ChoiceField(label=_("Judged on"), choices=Judged.choices, initial=Judged.EACH)
    reporters = forms.ChoiceField(label=_("Who reports"), choices=Reporters.choices, initial=Reporters.EACH)
    responsible_unit = UnitChoice(label=_("Responsible unit"), queryset=Unit.objects.none(), required=False,
                                  empty_label=_("— the issuing unit —"))
    series = forms.CharField(label=_("Series (stages of one target)"), max_length=50, required=False)
    clause = forms.CharField(label=_("Clause (as the plan writes it)"), widget=forms.Textarea(attrs={"rows": 3}))

    field_order = ["indicator", "comparator", "value", "value_max", "due", "clause", "scope_unit", "counts",
                   "applies_to_kinds", "applies_to_units", "judged", "reporters", "responsible_unit", "series",
                   "reason"]

    def __init__(self, *args, issuer: Unit, **kwargs):
        super().__init__(*args, **kwargs)
        keep = named_units(self.initial, ("scope_unit", "applies_to_units", "responsible_unit"))
        units = units_under(issuer, keep=keep)
        for name in ("applies_to_units", "responsible_unit"):
            self.fields[name].queryset = units
        self.fields["scope_unit"].queryset = units_under(issuer, keep=keep, above=True)

    def target_data(self) -> dict[str, Any]:
        return {key: value for key, value in self.cleaned_data.items() if key != "reason"}


def contributions_read(text: str) -> dict[str, str]:
    """"P.X: provides the data" lines → {"P.X": "provides the data"}."""
    parts = {}
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        code, colon, part = line.partition(":")
        if not colon or not code.strip():
            raise ValidationError(_("Write each contribution on its own line as “unit code: its part”."))
        parts[code.strip()] = part.strip()
    return parts


class TaskForm(AmendReasonMixin):
    number = forms.IntegerField(label=_("No."), min_value=1, required=False,
                                help_text=_("Empty: after the last task."))
    group = forms.CharField(label=_("Task group"), max_length=255, required=False)
    title = forms.CharField(label=_("Task"), widget=forms.Textarea(attrs={"rows": 3}))
    lead_unit = UnitChoice(label=_("Lead unit"), queryset=Unit.objects.none(), required=False)
    lead_text = forms.CharField(label=_("Lead unit (as written)"), max_length=255, required=False)
    cooperating_units = UnitsChoice(label=_("Cooperating units"), queryset=Unit.objects.none(), required=False)
    cooperating_text = forms.CharField(label=_("Cooperating units (as written)"), max_length=500, required=False)
    due = forms.CharField(label=_("Due"), max_length=40, required=False,
                          help_text=_("As the plan writes it: 2026, Quý II/2026, 09/2026 or 31/12/2026; empty for "
                                      "recurring work."))
    recurrence = forms.ChoiceField(label=_("Recurrence"), choices=Recurrence.choices, required=False)
    expected_output = forms.CharField(label=_("Expected output"), required=False,
                                      widget=forms.Textarea(attrs={"rows": 2}))
    responsible_person = forms.CharField(label=_("Person responsible"), max_length=255, required=False)
    contributions = forms.CharField(label=_("What each cooperating unit contributes"), required=False,
                                    widget=forms.Textarea(attrs={"rows": 2}),
                                    help_text=_("One line each: unit code: its part."))
    accepting_unit = UnitChoice(label=_("Accepting unit"), queryset=Unit.objects.none(), required=False,
                                empty_label=_("— the issuing committee's office —"))

    def __init__(self, *args, issuer: Unit, **kwargs):
        super().__init__(*args, **kwargs)
        names = ("lead_unit", "cooperating_units", "accepting_unit")
        units = units_under(issuer, keep=named_units(self.initial, names))
        for name in names:
            self.fields[name].queryset = units

    def clean_contributions(self) -> dict[str, str]:
        return contributions_read(self.cleaned_data.get("contributions", ""))

    def task_data(self) -> dict[str, Any]:
        data = {key: value for key, value in self.cleaned_data.items() if key != "reason"}
        if not data.get("number"):
            data.pop("number", None)
        return data


class RetireForm(forms.Form):
    from_month = forms.CharField(label=_("No longer applies from the month"), max_length=20,
                                 help_text=_("e.g. 10/2026"))

    def clean_from_month(self):
        try:
            return month_parse(self.cleaned_data["from_month"])
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc


class CloseForm(forms.Form):
    closed_from = forms.DateField(label=_("Closed from the day"), input_formats=DATE_FORMATS,
                                  help_text=_("dd/mm/yyyy"))


class ApplyForm(forms.Form):
    reason = forms.CharField(label=_("Reason for the amendment"), widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("Kept with the new version, as the amendment's reason."))


class RemoveForm(forms.Form):
    reason = forms.CharField(label=_("Reason for the amendment"), required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))
