"""Forms of the resource network."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tmhub.core.forms import BootstrapFormMixin, style_widget
from tmhub.core.models import District, IndustryField
from tmhub.network.models import ServiceType
from tmhub.orgs.models import Organization


class YuanField(forms.DecimalField):
    """Money typed in yuan (two decimals), handed to services in fen."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 13)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", Decimal("0"))
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        return None if value is None else int(value * 100)


def fen_to_yuan(fen):
    return None if fen is None else Decimal(fen) / 100


class ServiceForm(BootstrapFormMixin, forms.Form):
    service_type = forms.ModelChoiceField(label=_("Service type"),
                                          queryset=ServiceType.objects.filter(is_active=True))
    title = forms.CharField(label=_("Title (Chinese)"), max_length=200)
    title_en = forms.CharField(label=_("Title (English)"), max_length=200, required=False)
    description = forms.CharField(label=_("Description"), max_length=2000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 4}))
    fields = forms.ModelMultipleChoiceField(label=_("Fields served"), required=False,
                                            queryset=IndustryField.objects.all(),
                                            widget=forms.CheckboxSelectMultiple)
    districts = forms.ModelMultipleChoiceField(label=_("Districts served"), required=False,
                                               queryset=District.objects.all(),
                                               widget=forms.CheckboxSelectMultiple)
    price_min_fen = YuanField(label=_("Price from (yuan)"), required=False)
    price_max_fen = YuanField(label=_("Price up to (yuan)"), required=False)
    price_on_request = forms.BooleanField(label=_("Price on request"), required=False)
    capacity = forms.IntegerField(label=_("Capacity (cases a year)"), required=False,
                                  min_value=1, max_value=100000)
    languages = forms.CharField(label=_("Languages"), max_length=100, required=False,
                                help_text=_("For example: Chinese, English"))
    international = forms.BooleanField(
        label=_("International reach (works with high-level partners abroad)"), required=False)

    @classmethod
    def initial_for(cls, service) -> dict:
        return {
            "service_type": service.service_type_id, "title": service.title,
            "title_en": service.title_en, "description": service.description,
            "fields": list(service.fields.all()), "districts": list(service.districts.all()),
            "price_min_fen": fen_to_yuan(service.price_min_fen),
            "price_max_fen": fen_to_yuan(service.price_max_fen),
            "price_on_request": service.price_on_request, "capacity": service.capacity,
            "languages": service.languages, "international": service.international,
        }


class ProviderChoiceForm(BootstrapFormMixin, forms.Form):
    """Which of the user's provider organisations a new entry belongs to."""

    provider = forms.ModelChoiceField(label=pgettext_lazy("network", "Provider"), queryset=None)

    def __init__(self, *args, providers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = providers


class NeedForm(BootstrapFormMixin, forms.Form):
    """A service need for one of the user's projects."""

    project = forms.ModelChoiceField(label=_("Project"), queryset=None)
    service_type = forms.ModelChoiceField(label=_("Service type"),
                                          queryset=ServiceType.objects.filter(is_active=True))
    title = forms.CharField(label=_("What is needed"), max_length=200)
    description = forms.CharField(label=_("Details"), max_length=2000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 4}))
    field = forms.ModelChoiceField(label=_("Field"), queryset=IndustryField.objects.all(),
                                   required=False,
                                   help_text=_("Empty: the project's field."))
    district = forms.ModelChoiceField(label=_("District"), queryset=District.objects.all(),
                                      required=False,
                                      help_text=_("Empty: the institution's district."))
    budget_fen = YuanField(label=_("Budget (yuan)"), required=False,
                           help_text=_("Empty: to be agreed with the provider."))
    deadline = forms.DateField(label=_("Deadline"),
                               widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, projects=None, **kwargs):
        super().__init__(*args, **kwargs)
        if projects is None:  # editing: the need stays with its project
            del self.fields["project"]
        else:
            self.fields["project"].queryset = projects

    @classmethod
    def initial_for(cls, need) -> dict:
        return {"service_type": need.service_type_id, "title": need.title,
                "description": need.description, "field": need.field_id,
                "district": need.district_id, "budget_fen": fen_to_yuan(need.budget_fen),
                "deadline": need.deadline}


class IntroduceForm(BootstrapFormMixin, forms.Form):
    provider = forms.ModelChoiceField(label=pgettext_lazy("network", "Provider"),
                                      queryset=Organization.objects.filter(is_active=True),
                                      widget=forms.HiddenInput)
    message = forms.CharField(label=_("Message to the provider"), max_length=1000,
                              required=False, widget=forms.Textarea(attrs={"rows": 2}))


DATE = forms.DateInput(attrs={"type": "date"})


class CollaborationForm(BootstrapFormMixin, forms.Form):
    scope = forms.CharField(label=_("Scope of work"), max_length=2000,
                            widget=forms.Textarea(attrs={"rows": 3}))
    started_on = forms.DateField(label=_("Start date"), widget=DATE)
    ends_on = forms.DateField(label=_("Planned end date"), required=False, widget=DATE)
    fee_fen = YuanField(label=_("Fee (yuan)"), required=False)
    outcome = forms.CharField(label=_("Outcome"), max_length=2000, required=False,
                              widget=forms.Textarea(attrs={"rows": 3}),
                              help_text=_("Recorded before the collaboration is completed."))

    @classmethod
    def initial_for(cls, collaboration) -> dict:
        return {"scope": collaboration.scope, "started_on": collaboration.started_on,
                "ends_on": collaboration.ends_on,
                "fee_fen": fen_to_yuan(collaboration.fee_fen),
                "outcome": collaboration.outcome}


class DocumentForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    file = forms.FileField(label=_("File"))


SCORE_CHOICES = [(str(n), str(n)) for n in range(1, 6)]


class RatingForm(BootstrapFormMixin, forms.Form):
    """1–5 on each named criterion of the rater's side, and a comment."""

    comment = forms.CharField(label=_("Comment"), max_length=1000, required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        comment = self.fields.pop("comment")
        for code, label in criteria.items():
            widget = forms.RadioSelect()
            style_widget(widget)  # added after the mixin styled the declared fields
            self.fields[code] = forms.ChoiceField(label=label, choices=SCORE_CHOICES,
                                                  widget=widget)
        self.fields["comment"] = comment
        self.criteria = list(criteria)

    def scores(self) -> dict:
        return {code: self.cleaned_data[code] for code in self.criteria}


INVESTOR_KINDS = ("angel", "venture_capital", "loan_guarantee", "bank", "proof_of_concept",
                  "incubator", "science_park")


class FinancingForm(BootstrapFormMixin, forms.Form):
    """A financing round; the amount in yuan (handed to the service in fen)."""

    project = forms.ModelChoiceField(label=_("Project"), queryset=None, required=False)
    company = forms.ModelChoiceField(label=_("Company"), queryset=None, required=False,
                                     help_text=_("The company the project created, if any."))
    kind = forms.ChoiceField(label=_("Kind of financing"), choices=())
    instrument = forms.ChoiceField(label=_("Instrument"), choices=())
    investor = forms.ModelChoiceField(
        label=_("Investor organisation"), required=False,
        queryset=Organization.objects.filter(kind__in=INVESTOR_KINDS, is_active=True))
    investor_name = forms.CharField(label=_("Investor (if not registered)"), max_length=200,
                                    required=False)
    amount_fen = YuanField(label=_("Amount (yuan)"), min_value=Decimal("0.01"))
    financed_on = forms.DateField(label=_("Date"), widget=DATE)
    equity_share = forms.DecimalField(label=_("Equity share (%)"), required=False,
                                      max_digits=5, decimal_places=2, min_value=0,
                                      max_value=100)
    beijing_fund = forms.BooleanField(
        label=_("The Beijing science and technology innovation fund took part"),
        required=False)

    def __init__(self, *args, projects, companies, **kwargs):
        from tmhub.network.choices import FinancingInstrument, FinancingKind

        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects
        self.fields["company"].queryset = companies
        self.fields["kind"].choices = FinancingKind.choices
        self.fields["instrument"].choices = FinancingInstrument.choices


class ReverseForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reason for the reversal"), max_length=500)
