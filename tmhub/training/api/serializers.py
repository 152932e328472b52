"""Training API shapes."""

from django.db.models import Q
from rest_framework import serializers

from tmhub.accounts.models import User
from tmhub.core.access import CHANGE, get_scope
from tmhub.core.api.fields import RestrictedPrimaryKeyRelatedField
from tmhub.core.api.serializers import ReasonSerializer  # noqa: F401 (re-exported)
from tmhub.training.models import (
    Certificate,
    CertificateRevocation,
    Cohort,
    Course,
    Enrolment,
    Programme,
)
from tmhub.training.policies import enrollable_trainees


class CourseSerializer(serializers.ModelSerializer):
    # A programme the caller may not change reads exactly like a missing one (400).
    programme = RestrictedPrimaryKeyRelatedField(action=CHANGE,
                                                 queryset=Programme.objects.all())
    programme_code = serializers.CharField(source="programme.code", read_only=True)
    level = serializers.CharField(source="programme.level", read_only=True)
    provider = serializers.CharField(source="programme.provider.name_zh", read_only=True)

    class Meta:
        model = Course
        fields = ["id", "programme", "programme_code", "level", "provider", "code", "name_zh",
                  "name_en", "module", "hours", "is_elective", "description_zh",
                  "description_en"]
        read_only_fields = ["id"]


class CohortSerializer(serializers.ModelSerializer):
    level = serializers.CharField(source="programme.level", read_only=True)
    provider = serializers.CharField(source="programme.provider.name_zh", read_only=True)
    seats_taken = serializers.IntegerField(source="seats_counted", read_only=True)

    class Meta:
        model = Cohort
        fields = ["id", "programme", "code", "title", "status", "level", "provider",
                  "start_date", "end_date", "enrolment_deadline", "capacity", "seats_taken",
                  "mode", "location"]
        read_only_fields = ["id", "status"]


class TraineeField(serializers.PrimaryKeyRelatedField):
    """The person to enrol, among those the caller may put forward at all: themselves and the
    managers of the enrolment policy's `enrollable_trainees` (any cohort). Anyone else reads
    exactly like a missing user (400 `does_not_exist`), so user ids cannot be probed; the
    service still decides per cohort."""

    def get_queryset(self):
        request = self.context.get("request")
        scope = get_scope(getattr(request, "user", None))
        if not scope.is_authenticated:
            return User.objects.none()
        return User.objects.filter(
            Q(pk=scope.user_id) | Q(pk__in=enrollable_trainees(scope).values("pk"))
        )


class EnrolmentSerializer(serializers.ModelSerializer):
    cohort = RestrictedPrimaryKeyRelatedField(queryset=Cohort.objects.all())
    trainee = TraineeField(required=False)
    trainee_name = serializers.CharField(source="trainee.__str__", read_only=True)
    cohort_code = serializers.CharField(source="cohort.code", read_only=True)

    class Meta:
        model = Enrolment
        fields = ["id", "cohort", "cohort_code", "trainee", "trainee_name", "organization",
                  "status", "source", "motivation", "hours_attended", "created_at",
                  "decided_at", "completed_at"]
        read_only_fields = ["id", "organization", "status", "source", "hours_attended",
                            "created_at", "decided_at", "completed_at"]
        validators: list = []  # one active enrolment per cohort is the service's rule


class CertificateSerializer(serializers.ModelSerializer):
    class Meta:
        model = Certificate
        fields = ["id", "number", "trainee", "holder_name", "level", "hours", "issued_at",
                  "status", "revoked_at", "organization", "enrolment"]
        read_only_fields = fields


class RevocationSerializer(serializers.ModelSerializer):
    """A revocation request: who asked and why, and its decision (four eyes)."""

    class Meta:
        model = CertificateRevocation
        fields = ["id", "certificate", "status", "reason", "requested_by", "requested_at",
                  "decided_by", "decided_at", "decision_note"]
        read_only_fields = fields


class EnrolRequestSerializer(serializers.Serializer):
    """Ask for a place in a cohort, optionally saying why."""

    motivation = serializers.CharField(required=False, allow_blank=True, default="",
                                       max_length=2000)  # as the page's EnrolForm


class VerificationSerializer(serializers.Serializer):
    """What the public may learn from a certificate number: nothing beyond name and level."""

    number = serializers.CharField()
    result = serializers.ChoiceField(choices=["valid", "revoked", "unknown"])
    holder_name = serializers.CharField(required=False)
    level = serializers.CharField(required=False)
