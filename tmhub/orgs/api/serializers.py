"""Organisation API shapes: contact details only for those who may change the record."""

from rest_framework import serializers

from tmhub.core.access import get_scope
from tmhub.core.api.fields import RestrictedPrimaryKeyRelatedField
from tmhub.core.models import District, IndustryField
from tmhub.orgs.models import InstitutionRegistration, Organization

PUBLIC_FIELDS = [
    "id", "name", "name_en", "kind", "credit_code", "district", "fields",
    "has_transfer_office", "website", "description", "is_active",
]
PRIVATE_FIELDS = ["address", "contact_name", "contact_phone", "contact_email"]


class OrganizationSerializer(serializers.ModelSerializer):
    PRIVATE_FIELDS = PRIVATE_FIELDS  # dropped unless show_private: not required in the schema
    district = serializers.SlugRelatedField(
        slug_field="code", queryset=District.objects.all(), required=False, allow_null=True
    )
    fields = serializers.SlugRelatedField(
        slug_field="code", queryset=IndustryField.objects.all(), many=True, required=False
    )

    class Meta:
        model = Organization
        fields = PUBLIC_FIELDS + PRIVATE_FIELDS
        read_only_fields = ["id", "is_active"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not self.context.get("show_private"):
            for name in PRIVATE_FIELDS:
                data.pop(name, None)
        return data


class AdministeredOrganizationField(RestrictedPrimaryKeyRelatedField):
    """Organisations the caller administers: an institution registers itself, and any other id
    is refused exactly like a missing one."""

    def limit(self, queryset):
        return queryset.filter(pk__in=get_scope(self.user()).orgs("institution_admin"))


class InstitutionRegistrationSerializer(serializers.ModelSerializer):
    organization = AdministeredOrganizationField(queryset=Organization.objects.all())
    organization_name = serializers.CharField(source="organization.name", read_only=True)

    class Meta:
        model = InstitutionRegistration
        fields = [
            "id", "organization", "organization_name", "status", "registry_number",
            "premises_address", "premises_area", "fulltime_staff", "has_written_rules",
            "rules_summary", "business_scope", "submitted_at", "decided_at",
        ]
        read_only_fields = ["id", "status", "registry_number", "submitted_at", "decided_at"]

