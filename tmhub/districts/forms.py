"""Forms of the districts pages; every one hands its cleaned data to a service."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tmhub.accounts.selectors import users_with_role
from tmhub.core.access import get_scope
from tmhub.core.choices import OrgKind
from tmhub.core.forms import BootstrapFormMixin
from tmhub.core.models import District
from tmhub.core.roles import Role
from tmhub.core.widgets import SearchableSelect
from tmhub.districts.choices import ParticipantKind
from tmhub.districts.models import (
    CommissionerApplication,
    CommissionerPost,
    EventRegistration,
    Landing,
    LiaisonAgreement,
    MatchEvent,
)
from tmhub.orgs.models import Organization
from tmhub.transfer.choices import PartyRole
from tmhub.transfer.models import Contract, Project

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
INSTITUTION_KINDS = [OrgKind.UNIVERSITY, OrgKind.RESEARCH_INSTITUTE, OrgKind.MEDICAL,
                     OrgKind.NEW_RD_INSTITUTION]


def districts_for(user):
    """The districts the user runs: every district for the city, their own for officers."""
    scope = get_scope(user)
    if scope.is_municipal:
        return District.objects.all()
    return District.objects.filter(pk__in=scope.district_ids)


class DistrictFieldMixin:
    """A district select limited to the districts the user runs (one: chosen for them)."""

    def setup_district(self, user):
        choices = districts_for(user)
        self.fields["district"] = forms.ModelChoiceField(label=_("District"),
                                                         queryset=choices)
        if choices.count() == 1:
            self.fields["district"].initial = choices.first()
        self.order_fields(["district", *[n for n in self.fields if n != "district"]])
        self.style_fields(self)


class AgreementForm(DistrictFieldMixin, BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = LiaisonAgreement
        fields = ["institution", "district_contact", "district_phone", "institution_contact",
                  "institution_phone", "scope", "scope_en", "starts_on", "ends_on"]
        widgets = {"starts_on": DATE, "ends_on": DATE, "institution": SearchableSelect,
                   "scope": forms.Textarea(attrs={"rows": 3}),
                   "scope_en": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = Organization.objects.filter(
            kind__in=INSTITUTION_KINDS, is_active=True)
        self.setup_district(user)


class RenewForm(BootstrapFormMixin, forms.Form):
    ends_on = forms.DateField(label=_("Renewed term ends"), widget=DATE)
    scope = forms.CharField(label=_("Scope of cooperation (if it changes)"), required=False,
                            max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class PostForm(DistrictFieldMixin, BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = CommissionerPost
        fields = ["title", "title_en", "park", "time_basis", "duties", "applications_close_on"]
        widgets = {"applications_close_on": DATE,
                   "duties": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_district(user)


class ApplicationForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = CommissionerApplication
        fields = ["statement"]
        widgets = {"statement": forms.Textarea(attrs={"rows": 3})}


class AppointForm(BootstrapFormMixin, forms.Form):
    application = forms.ModelChoiceField(label=_("Applicant"),
                                         queryset=CommissionerApplication.objects.none())
    term_start = forms.DateField(label=_("Term starts"), widget=DATE)
    term_end = forms.DateField(label=_("Term ends"), widget=DATE)

    def __init__(self, *args, post, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["application"].queryset = post.applications.filter(
            status="submitted").select_related("applicant")
        self.fields["application"].label_from_instance = lambda a: str(a.applicant)


class EventForm(DistrictFieldMixin, BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = MatchEvent
        fields = ["title", "title_en", "kind", "organiser", "held_on", "place", "online",
                  "field", "capacity", "description", "is_published"]
        widgets = {"held_on": DATE, "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_district(user)


class RegisterForm(BootstrapFormMixin, forms.Form):
    participant_kind = forms.ChoiceField(label=_("Register as"),
                                         choices=ParticipantKind.choices)
    organization = forms.ModelChoiceField(label=_("For the organisation"), required=False,
                                          queryset=Organization.objects.none())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        scope = get_scope(user)
        self.fields["organization"].queryset = Organization.objects.filter(
            pk__in=scope.orgs(Role.ENTERPRISE, Role.INSTITUTION_ADMIN))


def contracts_in(districts):
    """Contracts whose transferee, or (with none recorded) institution, lies in one of
    `districts` — the contracts that may land there."""
    ids = [d.pk for d in districts]
    return Contract.objects.filter(
        Q(parties__role=PartyRole.BUYER, parties__organization__district__in=ids)
        | Q(institution__district__in=ids)).distinct().order_by("-signed_on")


def financings_in(districts, user):
    """Approved, unreversed financing rounds of `districts` that `user` may read and that
    have not landed yet — the rounds that may be recorded as an investment there."""
    from tmhub.network.models import Financing

    return (Financing.objects.restrict(user).effective()
            .filter(district__in=[d.pk for d in districts], landings__isnull=True)
            .select_related("company", "project", "investor").order_by("-financed_on"))


class _FinancingChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj} · {obj.investor_label} · {obj.amount_text}"


class LandingForm(DistrictFieldMixin, BootstrapFormMixin, forms.ModelForm):
    financing = _FinancingChoice(
        label=_("Financing round"), queryset=None, required=False, widget=SearchableSelect,
        help_text=_("For an investment: the approved round in the district (recorded under "
                    "Financing); its investor, amount and date are taken from it."))

    class Meta:
        model = Landing
        fields = ["kind", "title", "occurred_on", "company_name", "credit_code", "contract",
                  "financing", "project", "event", "managers", "note"]
        widgets = {"occurred_on": DATE, "contract": SearchableSelect,
                   "project": SearchableSelect, "note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        districts = list(districts_for(user))
        self.fields["contract"].queryset = contracts_in(districts)
        self.fields["financing"].queryset = financings_in(districts, user)
        self.fields["project"].queryset = Project.objects.restrict(user).order_by("-id")
        self.fields["event"].queryset = MatchEvent.objects.filter(district__in=districts)
        self.fields["managers"].queryset = users_with_role(Role.MANAGER).order_by("username")
        self.fields["managers"].widget = forms.SelectMultiple(attrs={"data-searchable": "local"})
        self.fields["managers"].widget.choices = self.fields["managers"].choices
        self.setup_district(user)
        self.order_fields(["district", "kind", "title", "occurred_on", "company_name",
                           "credit_code", "contract", "financing", "project", "event",
                           "managers", "note"])


class _AttendeeChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        org = f" · {obj.organization.name}" if obj.organization_id else ""
        return f"{obj.person}{org}"


class FollowUpForm(BootstrapFormMixin, forms.Form):
    """An introduction made at the event between two attendees."""

    first = _AttendeeChoice(label=_("Person introduced"), queryset=EventRegistration.objects.none())
    second = _AttendeeChoice(label=_("Introduced to"), queryset=EventRegistration.objects.none())
    note = forms.CharField(label=_("What was agreed next"), max_length=1000,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        attendees = (EventRegistration.objects.filter(event=event, attended=True)
                     .select_related("person", "organization"))
        self.fields["first"].queryset = attendees
        self.fields["second"].queryset = attendees
