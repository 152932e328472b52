"""Forms of My work."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from tmhub.core.forms import BootstrapFormMixin
from tmhub.mywork.models import RoyaltyTerms
from tmhub.transfer.choices import IPStatus

# A date field's value in the one format <input type="date"> reads, whatever the UI language
# (Chinese formats 2026/12/02 by default, which the browser shows as an empty field).
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class FeePaymentForm(BootstrapFormMixin, forms.Form):
    year = forms.IntegerField(label=_("Patent year"), min_value=1, max_value=20)
    paid_on = forms.DateField(label=_("Paid on"), widget=DATE)
    amount_yuan = forms.DecimalField(label=_("Amount paid (yuan)"), min_value=0,
                                     max_digits=12, decimal_places=2)

    def clean(self):
        data = super().clean()
        if data.get("amount_yuan") is not None:
            data["amount_fen"] = int(data.pop("amount_yuan") * 100)
        return data


class IPStatusForm(BootstrapFormMixin, forms.Form):
    """A status change of an IP record: to what, from which day, and why."""

    status = forms.ChoiceField(label=_("New status"), choices=IPStatus.choices)
    effective_on = forms.DateField(label=_("Effective date"),
                                   widget=DATE)
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False,
                             help_text=_("The office's notice or decision, or the holder's "
                                         "request; needed for a lapse, abandonment or "
                                         "restoration."))


class RoyaltyTermsForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = RoyaltyTerms
        fields = ["rate_percent", "period_months", "first_period_start", "report_within_days",
                  "payment_within_days", "ends_on"]
        widgets = {"first_period_start": DATE,
                   "ends_on": DATE}


class RoyaltyReportForm(BootstrapFormMixin, forms.Form):
    """A licensee's report for one of the periods still owed (``periods``: start → label)."""

    period_start = forms.ChoiceField(label=_("Period"))
    received_on = forms.DateField(label=_("Date received"),
                                  widget=DATE)
    net_sales_yuan = forms.DecimalField(label=_("Net sales declared (yuan)"), min_value=0,
                                        max_digits=14, decimal_places=2)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, periods=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period_start"].choices = list(periods)

    def clean(self):
        data = super().clean()
        if data.get("net_sales_yuan") is not None:
            data["net_sales_fen"] = int(data.pop("net_sales_yuan") * 100)
        if data.get("period_start"):
            data["period_start"] = datetime.date.fromisoformat(data["period_start"])
        return data


class ReversalForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reason for the reversal"), max_length=500)
