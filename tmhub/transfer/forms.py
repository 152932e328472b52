"""Forms of the transfer pages: they parse input; the services validate and write."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from tmhub.accounts.models import User
from tmhub.accounts.selectors import users_with_role
from tmhub.core.access import CHANGE, get_scope
from tmhub.core.choices import OrgKind
from tmhub.core.forms import BootstrapFormMixin
from tmhub.core.roles import Role
from tmhub.core.widgets import RemoteSelect, RemoteSelectMultiple, SearchableSelect
from tmhub.orgs.models import Organization
from tmhub.transfer.choices import ActivityKind, ManagerRole, TransferMode
from tmhub.transfer.models import (
    Achievement,
    Contract,
    Cost,
    Demand,
    Installment,
    IPRecord,
    Project,
    Receipt,
)
from tmhub.transfer.models.contracts import CONFIRMABLE_OVER_AMOUNT
from tmhub.transfer.policies import recordable_institution_ids

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class YuanField(forms.DecimalField):
    """Money typed in yuan (two decimals), handed to services in fen."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 15)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", Decimal("0"))
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        return None if value is None else int(value * 100)


def fen_to_yuan(fen):
    return None if fen is None else Decimal(fen) / 100


# The kinds of organisation that do transfer work, offered to the city's administrators.
INSTITUTION_KINDS = [OrgKind.UNIVERSITY, OrgKind.RESEARCH_INSTITUTE, OrgKind.MEDICAL,
                     OrgKind.NEW_RD_INSTITUTION]


def institutions_for(user):
    """Organisations the user may record transfer work for (the policies' `acts_for`)."""
    ids = recordable_institution_ids(get_scope(user))
    if ids is None:
        return Organization.objects.filter(kind__in=INSTITUTION_KINDS)
    return Organization.objects.filter(pk__in=ids)


def managers_queryset():
    return users_with_role(Role.MANAGER).order_by("username")


class InstitutionChoiceMixin:
    """Adds an `institution` choice limited to what the user may act for."""

    institution_label = _("Institution")

    def add_institution_field(self, user, name="institution"):
        queryset = institutions_for(user)
        self.fields[name] = forms.ModelChoiceField(queryset=queryset, label=self.institution_label,
                                                   widget=SearchableSelect)
        if queryset.count() == 1:
            self.fields[name].initial = queryset.first()
        self.order_fields([name])


class AchievementForm(InstitutionChoiceMixin, BootstrapFormMixin, forms.ModelForm):
    institution_label = _("Owner institution")
    asking_price = YuanField(label=_("Asking price (yuan)"), required=False)

    class Meta:
        model = Achievement
        fields = ["title", "abstract", "keywords", "field", "discipline", "trl", "disclosed_on",
                  "transfer_mode", "asking_terms", "publish_asking_terms"]
        widgets = {"abstract": forms.Textarea(attrs={"rows": 5}),
                   "asking_terms": forms.Textarea(attrs={"rows": 3}), "disclosed_on": DATE,
                   "discipline": RemoteSelect("core:lookup-disciplines")}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            self.add_institution_field(user, "owner")
            self.fields["owner"].widget.attrs["class"] = "form-select"
        else:
            self.fields["asking_price"].initial = fen_to_yuan(self.instance.asking_price_fen)

    def service_values(self) -> dict:
        data = dict(self.cleaned_data)
        data["asking_price_fen"] = data.pop("asking_price", None)
        data.pop("owner", None)
        return data


class InventorForm(BootstrapFormMixin, forms.Form):
    name = forms.CharField(label=_("Inventor"), max_length=100)
    affiliation = forms.CharField(label=_("Affiliation"), max_length=200, required=False)
    share = forms.DecimalField(label=_("Share (%)"), max_digits=5, decimal_places=2,
                               min_value=Decimal("0.01"), max_value=Decimal("100"))


InventorFormSet = forms.formset_factory(InventorForm, extra=2, can_delete=True)


def inventors_from(formset) -> list[dict]:
    return [f.cleaned_data for f in formset.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")]


class IPRecordForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = IPRecord
        fields = ["ip_type", "number", "title", "status", "filed_on", "granted_on", "expires_on"]
        widgets = {"filed_on": DATE, "granted_on": DATE, "expires_on": DATE}

    def validate_unique(self):
        pass  # the service checks duplicates with a clear message


class AttachmentForm(BootstrapFormMixin, forms.Form):
    file = forms.FileField(label=_("File"))


class DemandForm(BootstrapFormMixin, forms.ModelForm):
    budget_min = YuanField(label=_("Budget from (yuan)"), required=False)
    budget_max = YuanField(label=_("Budget up to (yuan)"), required=False)

    class Meta:
        model = Demand
        fields = ["organization", "title", "problem", "expected_outcome", "keywords", "field",
                  "district", "deadline", "contact_name", "contact_phone", "contact_email"]
        widgets = {"problem": forms.Textarea(attrs={"rows": 4}),
                   "expected_outcome": forms.Textarea(attrs={"rows": 3}), "deadline": DATE}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        scope = get_scope(user)
        if self.instance.pk:
            del self.fields["organization"]
            self.fields["budget_min"].initial = fen_to_yuan(self.instance.budget_min_fen)
            self.fields["budget_max"].initial = fen_to_yuan(self.instance.budget_max_fen)
        elif scope.orgs(Role.ENTERPRISE) and not scope.is_municipal:
            self.fields["organization"].queryset = Organization.objects.filter(
                pk__in=scope.orgs(Role.ENTERPRISE))
            self.fields["organization"].initial = next(iter(scope.orgs(Role.ENTERPRISE)))
        else:
            self.fields["organization"].queryset = Organization.objects.filter(
                kind=OrgKind.ENTERPRISE)

    def service_values(self) -> dict:
        data = dict(self.cleaned_data)
        data["budget_min_fen"] = data.pop("budget_min", None)
        data["budget_max_fen"] = data.pop("budget_max", None)
        data.pop("organization", None)
        return data


class ProjectForm(InstitutionChoiceMixin, BootstrapFormMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Project
        fields = ["title", "description", "field", "started_on", "achievements", "demands",
                  "partners"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "started_on": DATE,
                   "achievements": forms.SelectMultiple(attrs={"size": 5}),
                   "demands": forms.SelectMultiple(attrs={"size": 5}),
                   "partners": RemoteSelectMultiple("core:lookup-organizations")}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        institutions = institutions_for(user)
        if self.instance.pk is None:
            self.add_institution_field(user)
            owners = institutions
        else:
            owners = Organization.objects.filter(pk=self.instance.institution_id)
            self.fields["version"].initial = self.instance.version
        self.fields["achievements"].queryset = Achievement.objects.restrict(user).filter(
            owner__in=owners)
        self.fields["demands"].queryset = Demand.objects.restrict(user)
        self.fields["partners"].queryset = Organization.objects.exclude(kind__in=[
            OrgKind.DISTRICT_GOVERNMENT, OrgKind.MUNICIPAL_DEPARTMENT])
        for name in ("achievements", "demands", "partners"):
            self.fields[name].required = False


class MoveForm(forms.Form):
    target = forms.CharField()
    reason = forms.CharField(required=False)
    version = forms.IntegerField(required=False)


class AssignForm(BootstrapFormMixin, forms.Form):
    user = forms.ModelChoiceField(label=_("Manager"), queryset=User.objects.none(),
                                  widget=RemoteSelect("core:lookup-managers"))
    role = forms.ChoiceField(label=_("Role"), choices=ManagerRole.choices,
                             initial=ManagerRole.SUPPORTING)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = managers_queryset()


class ActivityForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ActivityKind.choices)
    occurred_at = forms.DateTimeField(label=_("When"), required=False, widget=forms.DateTimeInput(
        attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))
    manager = forms.ModelChoiceField(label=_("Manager"), queryset=User.objects.none(),
                                     required=False, widget=SearchableSelect)
    summary = forms.CharField(label=_("Summary"), max_length=300)
    counterpart = forms.ModelChoiceField(label=_("Counterpart organisation"),
                                         queryset=Organization.objects.all(), required=False,
                                         widget=RemoteSelect("core:lookup-organizations"))
    counterpart_person = forms.CharField(label=_("Counterpart person"), max_length=100,
                                         required=False)
    details = forms.CharField(label=_("Details"), required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, project=None, **kwargs):
        super().__init__(*args, **kwargs)
        if project is not None:
            self.fields["manager"].queryset = User.objects.filter(
                transfer_assignments__project=project,
                transfer_assignments__released_on__isnull=True)


class ContractForm(InstitutionChoiceMixin, BootstrapFormMixin, forms.ModelForm):
    amount = YuanField(label=_("Contract amount"))
    counterparty = forms.ModelChoiceField(label=_("Client / transferee"),
                                          queryset=Organization.objects.all(),
                                          widget=RemoteSelect("core:lookup-organizations"))

    class Meta:
        model = Contract
        fields = ["project", "title", "kind", "currency", "signed_on", "term_start", "term_end",
                  "registration_number", "registered_on", "notes"]
        widgets = {"signed_on": DATE, "term_start": DATE, "term_end": DATE,
                   "registered_on": DATE, "notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_institution_field(user)
        self.fields["project"].queryset = Project.objects.restrict(user, CHANGE)
        self.order_fields(["institution", "project", "title", "kind", "counterparty", "amount"])

    def service_values(self) -> dict:
        data = dict(self.cleaned_data)
        data["amount_fen"] = data.pop("amount")
        for name in ("institution", "project", "counterparty"):
            data.pop(name, None)
        return data


class ReceiptForm(BootstrapFormMixin, forms.ModelForm):
    amount = YuanField(label=_("Amount received (yuan)"), min_value=Decimal("0.01"))
    # Only when the receipt takes the total received above the contract amount.
    confirm_over_amount = forms.BooleanField(
        label=_("Confirm: the total received may exceed the contract amount"), required=False)
    over_amount = forms.ChoiceField(
        label=_("Why above the contract amount"), required=False,
        choices=[("", "—"), *[(k.value, k.label) for k in CONFIRMABLE_OVER_AMOUNT]])
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)

    class Meta:
        model = Receipt
        fields = ["received_on", "note"]
        widgets = {"received_on": DATE}


class ReversalForm(BootstrapFormMixin, forms.Form):
    """Why a receipt or cost is reversed (the reversing entry keeps it)."""

    reason = forms.CharField(label=_("Reason for the reversal"), max_length=500)


class CostForm(BootstrapFormMixin, forms.ModelForm):
    amount = YuanField(label=_("Amount (yuan)"), min_value=Decimal("0.01"))

    class Meta:
        model = Cost
        fields = ["incurred_on", "category", "note"]
        widgets = {"incurred_on": DATE}


class InstallmentForm(BootstrapFormMixin, forms.ModelForm):
    amount = YuanField(label=_("Amount (yuan)"), min_value=Decimal("0.01"))

    class Meta:
        model = Installment
        fields = ["due_on", "description"]
        widgets = {"due_on": DATE}


class SplitForm(BootstrapFormMixin, forms.Form):
    contract = forms.ModelChoiceField(label=_("Contract"), queryset=Contract.objects.none(),
                                      required=False)
    transfer_mode = forms.ChoiceField(label=_("Transfer mode"), choices=TransferMode.choices)
    income_date = forms.DateField(label=_("Income date"), widget=DATE)
    amount = YuanField(label=_("Amount to split (yuan)"), min_value=Decimal("0.01"))
    profit_year = forms.IntegerField(label=_("Year of operating profit (1–5)"), required=False,
                                     min_value=1, max_value=10)
    team_share = forms.DecimalField(label=_("Team share (%)"), max_digits=5, decimal_places=2,
                                    required=False)
    office_share = forms.DecimalField(label=_("Transfer office share (%)"), max_digits=5,
                                      decimal_places=2, required=False)
    institution_share = forms.DecimalField(label=_("Institution share (%)"), max_digits=5,
                                           decimal_places=2, required=False)
    notes = forms.CharField(label=_("Notes"), required=False,
                            widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contract"].queryset = Contract.objects.restrict(user, CHANGE)


class AllocationForm(BootstrapFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    contribution = forms.DecimalField(label=_("Contribution (%)"), max_digits=5,
                                      decimal_places=2)


AllocationFormSet = forms.formset_factory(AllocationForm, extra=3)
