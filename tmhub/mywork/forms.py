"""Forms of My work."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tmhub.core.forms import BootstrapFormMixin


class FeePaymentForm(BootstrapFormMixin, forms.Form):
    year = forms.IntegerField(label=_("Patent year"), min_value=1, max_value=20)
    paid_on = forms.DateField(label=_("Paid on"), widget=forms.DateInput(attrs={"type": "date"}))
    amount_yuan = forms.DecimalField(label=_("Amount paid (yuan)"), min_value=0,
                                     max_digits=12, decimal_places=2)

    def clean(self):
        data = super().clean()
        if data.get("amount_yuan") is not None:
            data["amount_fen"] = int(data.pop("amount_yuan") * 100)
        return data
