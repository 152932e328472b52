"""Manager and registration API shapes: each caller gets the fields the profile policy lets
them read (`policies.visible_fields`): the public ones for everyone, contacts and the masked ID
for the manager's overseers. The full ID number is never part of any representation.
"""

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from tmhub.core.access import CHANGE
from tmhub.core.api.fields import RestrictedPrimaryKeyRelatedField
from tmhub.core.api.serializers import TransitionSerializer as CoreTransitionSerializer
from tmhub.core.api.serializers import VisibleFieldsMixin
from tmhub.talent.choices import TrainingLevel
from tmhub.talent.documents import DocumentKind, RegistrationDocument, documents_for
from tmhub.talent.models import ManagerProfile, ManagerRegistration
from tmhub.talent.policies import PUBLIC_PROFILE_FIELDS
from tmhub.talent.registration import REGISTRATION_WORKFLOW, opinions

FIELDS = [
    "id", "full_name", "name_en", "employer", "employer_name", "work_district",
    "employment_type", "position", "degree", "school", "major", "discipline", "fields",
    "competences", "languages", "training_level", "professional_title", "entry_route",
    "years_experience", "bio", "registry_number", "registered_at",
    "identity_type", "id_number_masked", "nationality", "phone", "email", "is_listed",
    "claimed_training_level",
]


class ManagerSerializer(VisibleFieldsMixin, serializers.ModelSerializer):
    # Dropped for callers who may not read them (not required in the schema).
    PRIVATE_FIELDS = [name for name in FIELDS
                      if name not in PUBLIC_PROFILE_FIELDS and name != "employer_name"]
    employer_name = serializers.CharField(source="employer.name", read_only=True, default="")
    work_district = serializers.SlugRelatedField(slug_field="code", read_only=True,
                                                 allow_null=True)
    discipline = serializers.SlugRelatedField(slug_field="code", read_only=True,
                                              allow_null=True)
    fields = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    competences = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    # Blank until a certificate backs a level (verified) or a level was once claimed: the
    # schema says so ("" beside the level codes).
    training_level = serializers.ChoiceField(choices=TrainingLevel.choices, allow_blank=True,
                                             read_only=True)
    claimed_training_level = serializers.ChoiceField(choices=TrainingLevel.choices,
                                                     allow_blank=True, read_only=True)

    class Meta:
        model = ManagerProfile
        fields = FIELDS
        read_only_fields = fields


@extend_schema_serializer(component_name="ManagerRegistrationStep")
class StepSerializer(serializers.Serializer):
    """A step the caller may take now (POST its `target` to the transition action); `blocked`
    says, in words, what must be done first (the step is refused until it is empty)."""

    target = serializers.CharField()
    label = serializers.CharField()
    needs_reason = serializers.BooleanField()
    blocked = serializers.ListField(child=serializers.CharField())


@extend_schema_serializer(component_name="ManagerRegistrationDocument")
class DocumentSerializer(serializers.ModelSerializer):
    """A supporting document; `download` is its policy-checked download (GET, recorded)."""

    download = serializers.SerializerMethodField()

    class Meta:
        model = RegistrationDocument
        fields = ["id", "kind", "original_name", "size", "content_type", "uploaded_at",
                  "download"]
        read_only_fields = fields

    def get_download(self, document) -> str:
        return reverse("registration-document-file", args=[document.registration_id,
                                                            document.pk])


@extend_schema_serializer(component_name="ManagerRegistrationDocumentUpload")
class DocumentUploadSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    file = serializers.FileField()


@extend_schema_serializer(component_name="ManagerRegistrationOpinion")
class OpinionSerializer(serializers.Serializer):
    """An opinion given with a step (endorsement, the city's decisions)."""

    time = serializers.DateTimeField()
    step = serializers.CharField()
    to_state = serializers.CharField()
    by = serializers.CharField()
    text = serializers.CharField()


@extend_schema_serializer(component_name="ManagerRegistration")
class RegistrationSerializer(serializers.ModelSerializer):
    # A profile the caller may not register reads exactly like a missing one (400).
    profile = RestrictedPrimaryKeyRelatedField(action=CHANGE,
                                               queryset=ManagerProfile.objects.all())
    full_name = serializers.CharField(source="profile.full_name", read_only=True)
    steps = serializers.SerializerMethodField()
    # 申请入库 in one step: create and submit (a profile that is not complete is refused with
    # every missing field, code `required`, and nothing is created).
    submit = serializers.BooleanField(write_only=True, required=False, default=False)
    opinions = serializers.SerializerMethodField()
    documents = serializers.SerializerMethodField()

    class Meta:
        model = ManagerRegistration
        fields = ["id", "profile", "full_name", "status", "registry_number", "statement",
                  "field_comments", "last_reason", "submitted_at", "endorsed_at", "decided_at",
                  "created_at", "updated_at", "steps", "submit", "opinions", "documents"]
        read_only_fields = ["id", "full_name", "status", "registry_number", "field_comments",
                            "last_reason", "submitted_at", "endorsed_at", "decided_at",
                            "created_at", "updated_at"]
        # One active registration per person is checked by the service, with a clear message.
        validators = []

    @extend_schema_field(StepSerializer(many=True))
    def get_steps(self, registration):
        """The registration workflow's buttons for the caller, as the detail page shows them."""
        request = self.context.get("request")
        buttons = REGISTRATION_WORKFLOW.buttons(registration, getattr(request, "user", None))
        return StepSerializer(
            [{"target": b.target, "label": str(b.label), "needs_reason": b.needs_reason,
              "blocked": [str(m) for m in b.blocked]} for b in buttons], many=True).data


    @extend_schema_field(OpinionSerializer(many=True))
    def get_opinions(self, registration):
        return OpinionSerializer(opinions(registration), many=True).data

    @extend_schema_field(DocumentSerializer(many=True))
    def get_documents(self, registration):
        """The documents the caller may read (none for district or department officers)."""
        request = self.context.get("request")
        return DocumentSerializer(documents_for(registration, getattr(request, "user", None)),
                                  many=True).data


@extend_schema_serializer(component_name="ManagerRegistrationTransition")
class TransitionSerializer(CoreTransitionSerializer):
    """A registration step; a return may carry comments per profile field."""

    field_comments = serializers.DictField(child=serializers.CharField(), required=False,
                                           default=dict)
