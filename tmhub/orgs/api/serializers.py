"""Organisation API shapes: each caller sees the fields the Organization policy shows them
(contact details only to those who may change the record)."""

from rest_framework import serializers

from tmhub.core.access import CHANGE
from tmhub.core.api.fields import RestrictedPrimaryKeyRelatedField
from tmhub.core.api.serializers import VisibleFieldsMixin
from tmhub.core.choices import OrgKind
from tmhub.core.models import District, IndustryField
from tmhub.orgs.change_requests import IdentityChangeRequest
from tmhub.orgs.models import InstitutionRegistration, Organization
from tmhub.orgs.policies import CONTACT_FIELDS, REGISTER_INSTITUTION

PUBLIC_FIELDS = [
    "id", "name", "name_en", "kind", "credit_code", "district", "fields",
    "has_transfer_office", "website", "description", "is_active",
]
PRIVATE_FIELDS = sorted(CONTACT_FIELDS)


class OrganizationSerializer(VisibleFieldsMixin, serializers.ModelSerializer):
    PRIVATE_FIELDS = PRIVATE_FIELDS  # dropped for some callers: not required in the schema
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


class InstitutionRegistrationSerializer(serializers.ModelSerializer):
    # Only organisations the caller may register (the policy's `register_institution`); any
    # other id is refused exactly like a missing one.
    organization = RestrictedPrimaryKeyRelatedField(queryset=Organization.objects.all(),
                                                    action=REGISTER_INSTITUTION)
    organization_name = serializers.CharField(source="organization.name", read_only=True)

    class Meta:
        model = InstitutionRegistration
        fields = [
            "id", "organization", "organization_name", "status", "registry_number",
            "premises_address", "premises_area", "fulltime_staff", "has_written_rules",
            "rules_summary", "business_scope", "submitted_at", "decided_at",
        ]
        read_only_fields = ["id", "status", "registry_number", "submitted_at", "decided_at"]



class IdentityChangeRequestSerializer(serializers.ModelSerializer):
    """A request to change an organisation's legal name, kind or credit code. On create, give
    the organisation (one whose record the caller edits), any of the three new values and the
    reason; the city decides through the `transition` action."""

    organization = RestrictedPrimaryKeyRelatedField(queryset=Organization.objects.all(),
                                                    action=CHANGE)
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    name = serializers.CharField(max_length=200, required=False, write_only=True)
    kind = serializers.ChoiceField(choices=OrgKind.choices, required=False, write_only=True)
    credit_code = serializers.CharField(max_length=18, required=False, allow_blank=True,
                                        allow_null=True, write_only=True)

    class Meta:
        model = IdentityChangeRequest
        fields = [
            "id", "organization", "organization_name", "status", "old_values", "new_values",
            "reason", "opinion", "created_at", "decided_at", "name", "kind", "credit_code",
        ]
        read_only_fields = ["id", "status", "old_values", "new_values", "opinion",
                            "created_at", "decided_at"]
        # The service says what is missing (reason_required), as on the page.
        extra_kwargs = {"reason": {"required": False, "allow_blank": True}}
