from django import forms
from django.utils.translation import gettext_lazy as _

from units.models import Unit


class UnitAdminForm(forms.ModelForm):
    """The admin form: the parent is chosen by code, the tree fields are kept by the services."""

    parent = forms.ModelChoiceField(
        queryset=Unit.objects.all(), label=_("parent unit"), required=False, to_field_name="code",
        widget=forms.TextInput(attrs={"placeholder": "DN"}),
        help_text=_("The parent unit's identifier code; empty only for the national root."),
    )

    class Meta:
        model = Unit
        fields = ["code", "name", "kind", "opened_on", "closed_on"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.depth > 1:
            self.initial["parent"] = Unit.objects.get_parent(self.instance).code
