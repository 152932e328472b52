"""The form of stage evidence on a project page (reports, companies founded, investments)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tmhub.core.forms import BootstrapFormMixin
from tmhub.transfer.forms import DATE, YuanField
from tmhub.transfer.services.evidence import RECORDED_KINDS


class EvidenceForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("Evidence kind"), choices=[(k.value, k.label) for k in RECORDED_KINDS]
    )
    occurred_on = forms.DateField(
        label=_("Date of the report, founding or investment"), widget=DATE
    )
    title = forms.CharField(
        label=_("Document or reference"),
        max_length=200,
        help_text=_(
            "The report's number, the company's name and credit code, or the investment agreement."
        ),
    )
    party = forms.CharField(label=_("Issued by / company / investor"), max_length=200)
    amount = YuanField(
        label=_("Amount (yuan)"),
        required=False,
        help_text=_("The appraised value, registered capital or sum invested."),
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    file = forms.FileField(label=_("File (optional)"), required=False)

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data["amount_fen"] = data.pop("amount")
        data["upload"] = data.pop("file") or None
        return data
