from django import forms
from django.utils.translation import gettext_lazy as _

from tasks.services import ProductInput
from tasks.status import Status

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProgressForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    period = forms.CharField(widget=forms.HiddenInput, required=False)
    on = forms.DateField(label=_("Date"), widget=DATE_INPUT)
    text = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3}))
    obstacles = forms.CharField(label=_("Obstacles"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    proposals = forms.CharField(label=_("Proposals"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class SubmitForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    period = forms.CharField(widget=forms.HiddenInput, required=False)
    link = forms.CharField(label=_("Link to the product"), required=False, max_length=500)
    document_number = forms.CharField(label=_("Document number"), required=False, max_length=100)
    document_date = forms.DateField(label=_("Document date"), required=False, widget=DATE_INPUT)
    document_summary = forms.CharField(label=_("Document summary"), required=False,
                                       widget=forms.Textarea(attrs={"rows": 2}))

    def product(self) -> ProductInput:
        data = self.cleaned_data
        return ProductInput(link=data["link"], document_number=data["document_number"],
                            document_date=data["document_date"], document_summary=data["document_summary"])


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("Reason for returning"), widget=forms.Textarea(attrs={"rows": 2}))


class BoardFilterForm(forms.Form):
    plan = forms.ChoiceField(label=_("Plan"), required=False)
    unit = forms.CharField(label=_("Lead unit (identifier code)"), required=False, max_length=35)
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("— all —")), *Status.choices])
    due = forms.RegexField(label=_("Deadline (2026-Q2 or 2026)"), required=False, regex=r"^\d{4}(-Q[1-4])?$",
                           error_messages={"invalid": _("Write the deadline as 2026-Q2 or 2026.")})

    def __init__(self, *args, plans, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].choices = [("", _("— all —")), *[(plan.key, plan.short_label) for plan in plans]]
