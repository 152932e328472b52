"""Organisation and registration forms: parse input; services do the writing."""

from django import forms

from tmhub.core.forms import BootstrapFormMixin
from tmhub.orgs.models import InstitutionRegistration, Organization


class OrganizationForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Organization
        fields = [
            "name", "name_en", "kind", "credit_code", "district", "fields",
            "has_transfer_office", "address", "website", "description", "contact_name",
            "contact_phone", "contact_email",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class RegistrationForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = InstitutionRegistration
        fields = ["premises_address", "premises_area", "fulltime_staff", "has_written_rules",
                  "rules_summary", "business_scope"]
        widgets = {
            "rules_summary": forms.Textarea(attrs={"rows": 3}),
            "business_scope": forms.Textarea(attrs={"rows": 3}),
        }
