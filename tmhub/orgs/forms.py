"""Organisation and registration forms: parse input; services do the writing."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tmhub.core import policies
from tmhub.core.forms import BootstrapFormMixin
from tmhub.orgs.change_requests import REQUESTABLE_FIELDS, IdentityChangeRequest
from tmhub.orgs.models import InstitutionRegistration, Organization
from tmhub.orgs.policies import IDENTITY_FIELDS


class OrganizationForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Organization
        fields = [
            "name", "name_en", "kind", "credit_code", "district", "fields",
            "has_transfer_office", "address", "website", "description", "contact_name",
            "contact_phone", "contact_email",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not policies.allows(user, "change_identity", self.instance):
            # Shown, not editable: a posted value is ignored and the service refuses a change.
            for name in sorted(IDENTITY_FIELDS):
                self.fields[name].disabled = True
                self.fields[name].help_text = _(
                    "Changed only by the city's administrators: use “Request a change of "
                    "identity” on the organisation's page."
                )


class RegistrationForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = InstitutionRegistration
        fields = ["premises_address", "premises_area", "fulltime_staff", "has_written_rules",
                  "rules_summary", "business_scope"]
        widgets = {
            "rules_summary": forms.Textarea(attrs={"rows": 3}),
            "business_scope": forms.Textarea(attrs={"rows": 3}),
        }


class IdentityChangeForm(BootstrapFormMixin, forms.Form):
    """A request to change the legal name, kind or credit code; the city reviews it."""

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        for name in REQUESTABLE_FIELDS:
            field = Organization._meta.get_field(name).formfield(required=name != "credit_code")
            field.initial = getattr(organization, name)
            self.fields[name] = field
        self.fields["reason"] = IdentityChangeRequest._meta.get_field("reason").formfield(
            widget=forms.Textarea(attrs={"rows": 3}),
            help_text=_("For example: renamed by the resolution of …, with its date."),
        )
        self.style_fields(self)
