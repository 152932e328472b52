"""Serializers of the social-evaluation API (issue 17 item 5): indicator systems with their
tree, rating rounds, ratings with their explanation. Writes go through the services."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from tmhub.evaluation.models import (
    Indicator,
    IndicatorSystem,
    Rating,
    RatingObjection,
    RatingReview,
    RatingRound,
)
from tmhub.evaluation.rating_choices import IndicatorKind, SubjectKind
from tmhub.orgs.models import Organization


class IndicatorSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Indicator
        fields = ["id", "code", "parent", "kind", "name_zh", "name_en", "weight", "order",
                  "metric_key", "curve", "guidance"]


class IndicatorWriteSerializer(serializers.Serializer):
    """`{code, kind, name_zh, name_en, weight, order, metric_key, curve, guidance, parent}`:
    `parent` the code of a dimension of the same system (empty: top level)."""

    code = serializers.SlugField(max_length=60)
    kind = serializers.ChoiceField(choices=IndicatorKind.choices)
    name_zh = serializers.CharField(max_length=200)
    name_en = serializers.CharField(max_length=200, required=False, allow_blank=True,
                                    default="")
    weight = serializers.DecimalField(max_digits=5, decimal_places=2, min_value=0,
                                      max_value=100)
    order = serializers.IntegerField(min_value=0, max_value=32000, required=False, default=0)
    metric_key = serializers.CharField(max_length=80, required=False, allow_blank=True,
                                       default="")
    curve = serializers.JSONField(required=False, default=dict)
    guidance = serializers.CharField(max_length=2000, required=False, allow_blank=True,
                                     default="")
    parent = serializers.SlugField(max_length=60, required=False, allow_blank=True,
                                   default="")


class IndicatorSystemSerializer(serializers.ModelSerializer):
    indicators = IndicatorSerializer(many=True, read_only=True)

    class Meta:
        model = IndicatorSystem
        fields = ["id", "code", "version", "name_zh", "name_en", "subject_kind", "status",
                  "is_template", "basis", "levels", "copied_from", "published_at",
                  "indicators"]
        read_only_fields = ["version", "status", "copied_from", "published_at"]
        extra_kwargs = {"code": {"validators": []}}


class RatingRoundSerializer(serializers.ModelSerializer):
    manager_system = serializers.PrimaryKeyRelatedField(
        queryset=IndicatorSystem.objects.all(), required=False, allow_null=True)
    institution_system = serializers.PrimaryKeyRelatedField(
        queryset=IndicatorSystem.objects.all(), required=False, allow_null=True)
    organization = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.all(), required=False, allow_null=True,
        help_text=_("Empty: the city runs it. An accredited evaluation organisation, or the "
                    "caller's institution for an internal round."))
    subject_filter = serializers.JSONField(
        required=False, default=dict,
        help_text=_("{\"districts\": [ids], \"institution_kinds\": [kinds], "
                    "\"institutions\": [ids], \"fields\": [ids]}; empty: all registered."))
    progress_percent = serializers.IntegerField(read_only=True)
    cutoff = serializers.DateField(read_only=True)
    objections_until = serializers.DateField(read_only=True)

    class Meta:
        model = RatingRound
        fields = ["id", "name", "period_start", "period_end", "cutoff", "manager_system",
                  "institution_system", "objection_days", "runner", "organization", "purpose",
                  "subject_filter", "status", "progress_done", "progress_total",
                  "progress_percent", "last_error", "computed_at", "published_at",
                  "approved_by", "objections_until"]
        read_only_fields = ["runner", "status", "progress_done", "progress_total",
                            "last_error", "computed_at", "published_at", "approved_by"]


class RatingRowSerializer(serializers.Serializer):
    code = serializers.CharField(source="indicator.code")
    name = serializers.CharField(source="indicator.name")
    depth = serializers.IntegerField()
    kind = serializers.CharField()
    weight = serializers.DecimalField(max_digits=5, decimal_places=2)
    metric_key = serializers.CharField()
    metric_label = serializers.CharField()
    metric_definition = serializers.CharField()
    unit = serializers.CharField()
    source = serializers.CharField()
    raw_value = serializers.DecimalField(max_digits=20, decimal_places=4, allow_null=True)
    points = serializers.DecimalField(max_digits=7, decimal_places=2)
    contribution = serializers.DecimalField(max_digits=7, decimal_places=2)
    explanation = serializers.CharField()
    records_url = serializers.CharField()


class RatingObjectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = RatingObjection
        fields = ["id", "text", "status", "resolution", "created_at", "resolved_at",
                  "total_before"]
        read_only_fields = fields


class SubjectRatingSerializer(serializers.ModelSerializer):
    subject = serializers.SerializerMethodField()
    level_name = serializers.CharField(read_only=True)
    round_name = serializers.CharField(source="round.name", read_only=True)

    class Meta:
        model = Rating
        fields = ["id", "round", "round_name", "system", "subject_kind", "subject", "total",
                  "level", "level_name", "computed_at"]
        read_only_fields = fields

    def get_subject(self, rating) -> dict:
        if rating.subject_kind == SubjectKind.MANAGER:
            return {"kind": rating.subject_kind, "user": rating.manager_id,
                    "name": rating.subject_name}
        return {"kind": rating.subject_kind, "organization": rating.institution_id,
                "name": rating.subject_name}


class SubjectRatingDetailSerializer(SubjectRatingSerializer):
    explanation = serializers.SerializerMethodField()
    objections = RatingObjectionSerializer(many=True, read_only=True)

    class Meta(SubjectRatingSerializer.Meta):
        fields = [*SubjectRatingSerializer.Meta.fields, "explanation", "objections"]
        read_only_fields = fields

    def get_explanation(self, rating) -> list:
        from tmhub.evaluation.rating_explain import rows_of

        request = self.context.get("request")
        viewer = getattr(getattr(request, "user", None), "pk", None)
        return RatingRowSerializer(rows_of(rating, viewer), many=True).data


class ObjectionRequestSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=3000,
                                 help_text=_("What is wrong with the rating."))


class RoundStepReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True,
                                   default="", help_text=_("Why (required to return, suspend "
                                                           "or resume a round)."))


class RatingReviewSerializer(serializers.ModelSerializer):
    indicator_code = serializers.CharField(source="indicator.code", read_only=True)
    subject_name = serializers.CharField(read_only=True)

    class Meta:
        model = RatingReview
        fields = ["id", "round", "indicator", "indicator_code", "subject_kind", "manager",
                  "institution", "subject_name", "reviewer", "score", "comment", "scored_at"]
        read_only_fields = fields


class ReviewAssignRequestSerializer(serializers.Serializer):
    indicator = serializers.IntegerField(help_text=_("A scored indicator of the round."))
    reviewer = serializers.IntegerField(help_text=_("The expert's user id."))
    subjects = serializers.ListField(child=serializers.IntegerField(), required=False,
                                     allow_null=True, default=None,
                                     help_text=_("Subject ids (empty: every subject)."))


class ReviewScoreRequestSerializer(serializers.Serializer):
    review = serializers.IntegerField(help_text=_("One of the caller's reviews."))
    score = serializers.DecimalField(max_digits=5, decimal_places=2, min_value=0,
                                     max_value=100)
    comment = serializers.CharField(max_length=2000, required=False, allow_blank=True,
                                    default="")


class ObjectionResolveRequestSerializer(serializers.Serializer):
    objection = serializers.IntegerField(help_text=_("An open objection to this rating."))
    decision = serializers.ChoiceField(choices=[("upheld", _("Uphold")),
                                                ("rejected", _("Reject"))])
    resolution = serializers.CharField(max_length=3000, required=False, allow_blank=True,
                                       default="")
