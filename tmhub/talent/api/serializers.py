"""Manager and registration API shapes: public fields for everyone, more for scoped roles.

The full ID number is never part of any representation; scoped roles get the masked form.
"""

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from tmhub.core.access import CHANGE
from tmhub.core.api.fields import RestrictedPrimaryKeyRelatedField
from tmhub.core.api.serializers import TransitionSerializer as CoreTransitionSerializer
from tmhub.talent.models import ManagerProfile, ManagerRegistration

PUBLIC_FIELDS = [
    "id", "full_name", "name_en", "employer", "employer_name", "work_district",
    "employment_type", "position", "degree", "school", "major", "discipline", "fields",
    "competences", "languages", "training_level", "professional_title", "entry_route",
    "years_experience", "bio", "registry_number", "registered_at",
]
PRIVATE_FIELDS = ["identity_type", "id_number_masked", "nationality", "phone", "email",
                  "is_listed"]


class ManagerSerializer(serializers.ModelSerializer):
    PRIVATE_FIELDS = PRIVATE_FIELDS  # dropped outside scope: not required in the schema
    employer_name = serializers.CharField(source="employer.name", read_only=True, default="")
    work_district = serializers.SlugRelatedField(slug_field="code", read_only=True,
                                                 allow_null=True)
    discipline = serializers.SlugRelatedField(slug_field="code", read_only=True,
                                              allow_null=True)
    fields = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    competences = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = ManagerProfile
        fields = PUBLIC_FIELDS + PRIVATE_FIELDS
        read_only_fields = fields

    def to_representation(self, instance):
        data = super().to_representation(instance)
        private_ids = self.context.get("private_ids")
        if private_ids is None or instance.pk not in private_ids:
            for name in PRIVATE_FIELDS:
                data.pop(name, None)
        return data


@extend_schema_serializer(component_name="ManagerRegistration")
class RegistrationSerializer(serializers.ModelSerializer):
    # A profile the caller may not register reads exactly like a missing one (400).
    profile = RestrictedPrimaryKeyRelatedField(action=CHANGE,
                                               queryset=ManagerProfile.objects.all())
    full_name = serializers.CharField(source="profile.full_name", read_only=True)

    class Meta:
        model = ManagerRegistration
        fields = ["id", "profile", "full_name", "status", "registry_number", "statement",
                  "field_comments", "last_reason", "submitted_at", "endorsed_at", "decided_at",
                  "created_at", "updated_at"]
        read_only_fields = ["id", "full_name", "status", "registry_number", "field_comments",
                            "last_reason", "submitted_at", "endorsed_at", "decided_at",
                            "created_at", "updated_at"]
        # One active registration per person is checked by the service, with a clear message.
        validators = []


@extend_schema_serializer(component_name="ManagerRegistrationTransition")
class TransitionSerializer(CoreTransitionSerializer):
    """A registration step; a return may carry comments per profile field."""

    field_comments = serializers.DictField(child=serializers.CharField(), required=False,
                                           default=dict)
