from django import forms
from django.utils.translation import gettext_lazy as _


class PreferenceForm(forms.Form):
    email = forms.BooleanField(
        label=_("Also send me notifications by e-mail"), required=False,
        help_text=_("Notifications are always shown under the bell in the portal; e-mail is a copy."))
