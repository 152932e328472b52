"""The free-text need form of the service-provider search."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tmhub.core.forms import BootstrapFormMixin
from tmhub.core.models import District, IndustryField


class NeedForm(BootstrapFormMixin, forms.Form):
    q = forms.CharField(label=_("What do you need?"), max_length=500, required=False)
    field = forms.ModelChoiceField(IndustryField.objects.all(), label=_("Industry field"),
                                   required=False)
    district = forms.ModelChoiceField(District.objects.all(), label=_("District"),
                                      required=False)
