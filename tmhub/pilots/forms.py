"""The pilots' forms (Bootstrap-styled by BootstrapFormMixin)."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from tmhub.core.choices import RESEARCH_KINDS, Department
from tmhub.core.forms import BootstrapFormMixin
from tmhub.core.models import District, IndustryField
from tmhub.core.roles import Role
from tmhub.core.widgets import SearchableSelect
from tmhub.pilots.choices import AssignmentMode, ProgrammeKind
from tmhub.pilots.models import KpiType, Programme

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PilotForm(BootstrapFormMixin, forms.Form):
    programme = forms.ModelChoiceField(label=_("Funding programme"),
                                       queryset=Programme.objects.all())
    code = forms.CharField(label=_("Project code"), max_length=40)
    title = forms.CharField(label=_("Title"), max_length=200)
    institution = forms.ModelChoiceField(label=_("Undertaking institution"), queryset=None,
                                         widget=SearchableSelect)
    principal_investigator = forms.CharField(label=_("Principal investigator"), max_length=100)
    budget_yuan = forms.DecimalField(label=_("Budget (yuan)"), min_value=Decimal(0),
                                     max_value=Decimal("90000000000"), decimal_places=2)
    starts_on = forms.DateField(label=_("Project starts"), widget=DATE)
    ends_on = forms.DateField(label=_("Project ends"), widget=DATE)
    field = forms.ModelChoiceField(label=_("Industry field"), required=False,
                                   queryset=IndustryField.objects.all())
    district = forms.ModelChoiceField(label=_("District"), required=False,
                                      queryset=District.objects.all(),
                                      help_text=_("Empty: the institution's district."))
    selection_reason = forms.CharField(label=_("Reason for selection"), max_length=1000,
                                       widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        from tmhub.orgs.models import Organization

        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = Organization.objects.filter(
            kind__in=RESEARCH_KINDS).order_by("name")

    def service_values(self) -> dict:
        data = dict(self.cleaned_data)
        data["budget_fen"] = int((data.pop("budget_yuan") * 100).to_integral_value())
        return data


class KpiForm(BootstrapFormMixin, forms.Form):
    kpi_type = forms.ModelChoiceField(label=_("KPI type"), queryset=KpiType.objects.all())
    target = forms.DecimalField(label=_("Target"), min_value=Decimal("0.01"),
                                max_value=Decimal("999999999999"), decimal_places=2)
    due_on = forms.DateField(label=_("Due date"), widget=DATE)
    weight = forms.IntegerField(label=_("Weight"), min_value=1, max_value=100, initial=1)


class KpiReportForm(BootstrapFormMixin, forms.Form):
    value = forms.DecimalField(label=_("Value reached"), min_value=Decimal(0),
                               max_value=Decimal("999999999999"), decimal_places=2)
    evidence = forms.CharField(label=_("Evidence"), max_length=1000)


class LinkContractForm(BootstrapFormMixin, forms.Form):
    contract = forms.ModelChoiceField(label=_("Contract"), queryset=None, widget=SearchableSelect)

    def __init__(self, *args, pilot, user, **kwargs):
        from tmhub.transfer.models import Contract

        super().__init__(*args, **kwargs)
        self.fields["contract"].queryset = (
            Contract.objects.restrict(user).filter(institution_id=pilot.institution_id)
            .exclude(pk__in=pilot.contracts.values("pk")).order_by("-signed_on"))


class AssignForm(BootstrapFormMixin, forms.Form):
    manager = forms.ModelChoiceField(label=_("Manager"), queryset=None, widget=SearchableSelect)
    mode = forms.ChoiceField(label=_("Assignment mode"), choices=AssignmentMode.choices)
    replaces = forms.ModelChoiceField(label=_("Replaces"), queryset=None, required=False,
                                      help_text=_("Choose the assignment this one replaces, if "
                                                  "any: it ends today."))
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)

    def __init__(self, *args, pilot, **kwargs):
        from tmhub.accounts.models import User

        super().__init__(*args, **kwargs)
        self.fields["manager"].queryset = User.objects.filter(
            is_active=True, memberships__role=Role.MANAGER, memberships__is_active=True
        ).distinct().order_by("display_name", "username")
        self.fields["manager"].label_from_instance = lambda u: str(u)
        self.fields["replaces"].queryset = pilot.active_assignments().select_related("manager")


class ReasonForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500)


class ReportForm(BootstrapFormMixin, forms.Form):
    done = forms.CharField(label=_("What was done"), max_length=4000,
                           widget=forms.Textarea(attrs={"rows": 4}))
    risks = forms.CharField(label=_("Risks"), max_length=2000, required=False,
                            widget=forms.Textarea(attrs={"rows": 2}))
    next_steps = forms.CharField(label=_("Next steps"), max_length=2000, required=False,
                                 widget=forms.Textarea(attrs={"rows": 2}))
    kpi_progress = forms.CharField(label=_("KPI progress"), max_length=2000, required=False,
                                   widget=forms.Textarea(attrs={"rows": 2}))


class StageDueForm(BootstrapFormMixin, forms.Form):
    due_on = forms.DateField(label=_("Stage report due"), widget=DATE)


class ProgrammeForm(BootstrapFormMixin, forms.Form):
    code = forms.CharField(label=_("Programme code"), max_length=40)
    name_zh = forms.CharField(label=_("Name (Chinese)"), max_length=200)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("Programme kind"), choices=ProgrammeKind.choices)
    department = forms.ChoiceField(
        label=_("Funding department"), choices=Department.choices, initial=Department.SCIENCE,
        help_text=_("Its department officers can be named programme officers: they read and "
                    "steer the programme's pilots."))


class OfficerAddForm(BootstrapFormMixin, forms.Form):
    """One of the funding department's officers who is not yet named on the programme."""

    officer = forms.ModelChoiceField(label=_("Programme officer"), queryset=None,
                                     widget=SearchableSelect)

    def __init__(self, *args, programme, **kwargs):
        from tmhub.pilots.services import eligible_officers

        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = eligible_officers(programme.department).exclude(
            pk__in=programme.officers.values("pk"))
        self.fields["officer"].label_from_instance = lambda u: str(u)


class OfficerRemoveForm(forms.Form):
    """The named officer to take off the programme (a button per officer)."""

    officer = forms.ModelChoiceField(queryset=None)

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = programme.officers.all()
