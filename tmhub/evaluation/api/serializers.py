"""Serializers of the evaluation API."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tmhub.evaluation.choices import NO_TITLE, Education
from tmhub.evaluation.models import TitleDirection, TitleLevel

MAX_YEARS = 80


class TitleEligibilityRequestSerializer(serializers.Serializer):
    """`{level, direction, education, years_since_education, current_title,
    years_in_current_title}`: full years as integers, `current_title` a level code or `none`."""

    level = serializers.CharField(max_length=30)
    direction = serializers.CharField(max_length=30)
    education = serializers.ChoiceField(choices=Education.choices)
    years_since_education = serializers.IntegerField(min_value=0, max_value=MAX_YEARS)
    current_title = serializers.CharField(max_length=30)
    years_in_current_title = serializers.IntegerField(min_value=0, max_value=MAX_YEARS)

    def validate_level(self, value):
        level = TitleLevel.objects.filter(code=value).first()
        if level is None:
            raise serializers.ValidationError(_("Unknown title level."), code="invalid_choice")
        return level

    def validate_direction(self, value):
        direction = TitleDirection.objects.filter(code=value).first()
        if direction is None:
            raise serializers.ValidationError(_("Unknown title direction."),
                                              code="invalid_choice")
        return direction

    def validate_current_title(self, value):
        if value == NO_TITLE:
            return None
        level = TitleLevel.objects.filter(code=value).first()
        if level is None:
            raise serializers.ValidationError(
                _("Give a title level code, or “none”."), code="invalid_choice")
        return level

    def validate(self, attrs):
        if attrs.get("current_title") is None and attrs.get("years_in_current_title"):
            raise serializers.ValidationError({"years_in_current_title": serializers.ErrorDetail(
                _("Without a current title the years in it are 0."), code="no_title")})
        return attrs


class TitleConditionSerializer(serializers.Serializer):
    code = serializers.CharField()
    met = serializers.BooleanField(allow_null=True)
    explanation = serializers.CharField()


class TitleEligibilitySerializer(serializers.Serializer):
    eligible = serializers.BooleanField()
    conditions = TitleConditionSerializer(many=True)


# ---------------------------------------------------------------- applications
from tmhub.core import policies  # noqa: E402
from tmhub.evaluation.models import (  # noqa: E402
    PanelMember,
    RatingEvidence,
    RepresentativeWork,
    ReviewAssignment,
    TitleApplication,
    TitlePanel,
    TitleRound,
)


class TitleWorkSerializer(serializers.ModelSerializer):
    """A representative work; `figures` are read from the platform record it was picked from."""

    source = serializers.SerializerMethodField()
    figures = serializers.SerializerMethodField()

    class Meta:
        model = RepresentativeWork
        fields = ["id", "kind", "title", "role", "role_detail", "happened_on", "source",
                  "figures"]
        read_only_fields = fields

    def get_source(self, work) -> str:
        for name in ("contract", "project", "reward_split"):
            if getattr(work, f"{name}_id"):
                return name
        return "upload"

    def get_figures(self, work) -> list[list[str]]:
        from tmhub.evaluation.services.works import figures

        return [[str(label), str(value)] for label, value in figures(work)]


class TitleRatingDimensionSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    weight = serializers.DecimalField(max_digits=5, decimal_places=2)
    points = serializers.DecimalField(max_digits=7, decimal_places=2)
    contribution = serializers.DecimalField(max_digits=7, decimal_places=2)


class TitleRatingEvidenceSerializer(serializers.ModelSerializer):
    """The social-evaluation rating an application cites, with the figures kept when it was
    cited (models/rating_evidence.py); `stale` when the rating was computed again since."""

    system_name = serializers.CharField(read_only=True)
    level_name = serializers.CharField(read_only=True)
    dimensions = serializers.SerializerMethodField()
    stale = serializers.SerializerMethodField()

    class Meta:
        model = RatingEvidence
        fields = ["rating", "round_name", "system_name", "system_version", "cutoff", "total",
                  "level", "level_name", "dimensions", "rating_computed_at", "attached_at",
                  "stale"]
        read_only_fields = fields

    @extend_schema_field(TitleRatingDimensionSerializer(many=True))
    def get_dimensions(self, evidence):
        return TitleRatingDimensionSerializer(evidence.dimension_rows(), many=True).data

    def get_stale(self, evidence) -> bool:
        from tmhub.evaluation.services.rating_use import is_stale

        return is_stale(evidence)


class TitleRatingAttachSerializer(serializers.Serializer):
    rating = serializers.IntegerField(help_text=_("Your latest published rating (its id)."))


class TitleApplicationSerializer(serializers.ModelSerializer):
    """A title application; write the draft's fields (the round only on creation); steps go
    through the `transition`, `return`, `vote` and `revoke` actions."""

    round = serializers.PrimaryKeyRelatedField(queryset=TitleRound.objects.all())
    level = serializers.SlugRelatedField(slug_field="code", queryset=TitleLevel.objects.all())
    direction = serializers.SlugRelatedField(slug_field="code",
                                             queryset=TitleDirection.objects.all())
    current_title = serializers.SlugRelatedField(slug_field="code", allow_null=True,
                                                 required=False,
                                                 queryset=TitleLevel.objects.all())
    applicant_name = serializers.CharField(source="applicant.full_name", read_only=True)
    institution_name = serializers.CharField(source="institution.name", read_only=True)
    works = TitleWorkSerializer(many=True, read_only=True)
    rating_evidence = serializers.SerializerMethodField()
    allowed_steps = serializers.SerializerMethodField()

    class Meta:
        model = TitleApplication
        fields = ["id", "round", "applicant_name", "institution", "institution_name", "level",
                  "direction", "education", "years_since_education", "current_title",
                  "years_in_current_title", "summary", "status", "submitted_at",
                  "employer_notice_start", "employer_notice_end", "endorsed_at", "panel_size",
                  "members_present", "votes_for", "votes_against", "votes_abstain",
                  "result_notice_start", "result_notice_end", "decided_at",
                  "certificate_number", "revoked_at", "revocation_reason", "works",
                  "rating_evidence", "allowed_steps"]
        read_only_fields = ["institution", "status", "submitted_at", "employer_notice_start",
                            "employer_notice_end", "endorsed_at", "panel_size",
                            "members_present", "votes_for", "votes_against", "votes_abstain",
                            "result_notice_start", "result_notice_end", "decided_at",
                            "certificate_number", "revoked_at", "revocation_reason"]

    @extend_schema_field(TitleRatingEvidenceSerializer(allow_null=True))
    def get_rating_evidence(self, application):
        """The cited rating (attach with POST, detach with DELETE on `rating-evidence`)."""
        # Read with the application (RatingEvidencePolicy: whoever sees the application),
        # loaded by the viewset's select_related: no query per row.
        try:
            evidence = application.rating_evidence
        except RatingEvidence.DoesNotExist:
            return None
        return TitleRatingEvidenceSerializer(evidence).data

    def get_allowed_steps(self, application) -> list[str]:
        from tmhub.evaluation.workflows import APPLICATION_WORKFLOW

        request = self.context.get("request")
        if request is None:
            return []
        # the steps the caller's role may take from here (their guards decide on the step)
        return [str(t.target) for t in APPLICATION_WORKFLOW.allowed_for(application,
                                                                         request.user)]


class TitleReturnSerializer(serializers.Serializer):
    comments = serializers.DictField(child=serializers.CharField(max_length=1000,
                                                                 allow_blank=True))
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True,
                                   default="")


class TitleVoteSerializer(serializers.Serializer):
    panel_size = serializers.IntegerField(min_value=1, max_value=99)
    members_present = serializers.IntegerField(min_value=0, max_value=99)
    votes_for = serializers.IntegerField(min_value=0, max_value=99)
    votes_against = serializers.IntegerField(min_value=0, max_value=99)
    votes_abstain = serializers.IntegerField(min_value=0, max_value=99, default=0)


class TitleRevokeSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class TitleAssignSerializer(serializers.Serializer):
    expert = serializers.IntegerField(min_value=1)


# ---------------------------------------------------------------- panels
class TitlePanelMemberSerializer(serializers.ModelSerializer):
    expert_name = serializers.CharField(source="expert.full_name", read_only=True)
    institution_name = serializers.CharField(source="expert.institution.name", read_only=True)

    class Meta:
        model = PanelMember
        fields = ["id", "expert", "expert_name", "institution_name", "is_chair"]
        read_only_fields = ["id", "expert_name", "institution_name"]
        extra_kwargs = {"expert": {"read_only": True}}


class TitlePanelSerializer(serializers.ModelSerializer):
    round = serializers.PrimaryKeyRelatedField(queryset=TitleRound.objects.all())
    level = serializers.SlugRelatedField(slug_field="code", queryset=TitleLevel.objects.all())
    direction = serializers.SlugRelatedField(slug_field="code",
                                             queryset=TitleDirection.objects.all())
    members = TitlePanelMemberSerializer(source="memberships", many=True, read_only=True)

    class Meta:
        model = TitlePanel
        fields = ["id", "round", "level", "direction", "name", "members"]


class TitlePanelAddMemberSerializer(serializers.Serializer):
    expert = serializers.IntegerField(min_value=1)
    is_chair = serializers.BooleanField(default=False)


# ---------------------------------------------------------------- reviews
class TitleReviewSerializer(serializers.ModelSerializer):
    """A review: the reviewer's own with their scores; another reviewer's (after the vote)
    with its total only and no name."""

    application_level = serializers.CharField(source="application.level.code", read_only=True)
    application_direction = serializers.CharField(source="application.direction.code",
                                                  read_only=True)
    applicant_name = serializers.CharField(source="application.applicant.full_name",
                                           read_only=True)
    application_status = serializers.CharField(source="application.status", read_only=True)
    reviewer_name = serializers.SerializerMethodField()
    scores = serializers.SerializerMethodField()
    comment = serializers.SerializerMethodField()

    class Meta:
        model = ReviewAssignment
        fields = ["id", "application", "applicant_name", "application_level",
                  "application_direction", "application_status", "reviewer_name",
                  "assigned_at", "submitted_at", "recused_at", "total", "scores", "comment"]
        read_only_fields = fields

    def _full(self, review) -> bool:
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if user is None:
            return False
        return review.expert.user_id == user.pk or policies.allows(user, "view_reviewer",
                                                                    review)

    def get_reviewer_name(self, review) -> str | None:
        return review.expert.full_name if self._full(review) else None

    def get_scores(self, review) -> dict[str, int] | None:
        if not self._full(review):
            return None
        return {s.criterion.code: s.score for s in review.scores.select_related("criterion")}

    def get_comment(self, review) -> str | None:
        return review.comment if self._full(review) else None


class TitleScoresSerializer(serializers.Serializer):
    scores = serializers.DictField(child=serializers.IntegerField(min_value=0, max_value=1000))
    comment = serializers.CharField(max_length=3000, required=False, allow_blank=True,
                                    default="")


class TitleConflictSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=1000)


class TitleVerificationSerializer(serializers.Serializer):
    number = serializers.CharField()
    result = serializers.ChoiceField(choices=[("valid", "valid"), ("revoked", "revoked"),
                                              ("unknown", "unknown")])
    holder_name = serializers.CharField(required=False)
    institution = serializers.CharField(required=False)
    level = serializers.CharField(required=False)
    direction = serializers.CharField(required=False)
    approved_on = serializers.DateField(required=False, allow_null=True)
    revoked_on = serializers.DateField(required=False, allow_null=True)
