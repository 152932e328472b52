"""The free-text need form of the service-provider search."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tmhub.core.forms import BootstrapFormMixin
from tmhub.core.models import District, IndustryField


class NeedForm(BootstrapFormMixin, forms.Form):
    q = forms.CharField(label=_("Service needed"), max_length=500, required=False,
                        widget=forms.TextInput(attrs={
                            "placeholder": _("e.g. patent drafting, audit, legal advice")}))
    field = forms.ModelChoiceField(IndustryField.objects.all(), label=_("Industry field"),
                                   required=False, empty_label=_("Any field"))
    district = forms.ModelChoiceField(District.objects.all(), label=_("District"),
                                      required=False, empty_label=_("Any district"))
