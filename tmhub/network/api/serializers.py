"""Serializers of the network API: public fields only."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tmhub.network.models import ProviderService
from tmhub.orgs.models import Organization


class PublicServiceSerializer(serializers.ModelSerializer):
    service_type = serializers.SlugRelatedField(slug_field="code", read_only=True)
    fields = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    districts = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = ProviderService
        fields = ["id", "service_type", "title", "title_en", "description", "fields",
                  "districts", "price_min_fen", "price_max_fen", "price_on_request",
                  "capacity", "languages", "international"]
        read_only_fields = fields


class ProviderSerializer(serializers.ModelSerializer):
    district = serializers.SlugRelatedField(slug_field="code", read_only=True)
    fields = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    services = serializers.SerializerMethodField()

    class Meta:
        model = Organization
        fields = ["id", "name", "name_en", "kind", "district", "fields", "services"]
        read_only_fields = fields

    @extend_schema_field(PublicServiceSerializer(many=True))
    def get_services(self, org):
        return PublicServiceSerializer(org.public_list, many=True).data


# ---------------------------------------------------------------- needs, collaborations, money
from tmhub.core.models import District, IndustryField  # noqa: E402
from tmhub.network.choices import FinancingInstrument, FinancingKind  # noqa: E402
from tmhub.network.models import (  # noqa: E402
    Collaboration,
    Financing,
    Introduction,
    Rating,
    ServiceNeed,
    ServiceType,
)


class IntroductionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Introduction
        fields = ["id", "provider", "status", "reasons", "introduced_by", "created_at",
                  "answered_by", "answered_at"]
        read_only_fields = fields


class ServiceNeedSerializer(serializers.ModelSerializer):
    service_type = serializers.SlugRelatedField(slug_field="code",
                                                queryset=ServiceType.objects.filter(
                                                    is_active=True))
    field = serializers.SlugRelatedField(slug_field="code", required=False, allow_null=True,
                                         queryset=IndustryField.objects.all())
    district = serializers.SlugRelatedField(slug_field="code", required=False,
                                            allow_null=True, queryset=District.objects.all())
    project = serializers.IntegerField(source="project_id")
    introductions = serializers.SerializerMethodField()

    class Meta:
        model = ServiceNeed
        fields = ["id", "project", "service_type", "field", "district", "title",
                  "description", "budget_fen", "deadline", "status", "posted_by",
                  "created_at", "introductions"]
        read_only_fields = ["id", "status", "posted_by", "created_at", "introductions"]

    @extend_schema_field(IntroductionSerializer(many=True))
    def get_introductions(self, need):
        user = self.context["request"].user
        rows = Introduction.objects.restrict(user).filter(need=need)
        return IntroductionSerializer(rows, many=True).data


class IntroduceSerializer(serializers.Serializer):
    provider = serializers.IntegerField()
    message = serializers.CharField(max_length=1000, required=False, allow_blank=True,
                                    default="")


class RatingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Rating
        fields = ["id", "rater_side", "scores", "overall", "comment", "rated_by", "created_at"]
        read_only_fields = fields


class CollaborationSerializer(serializers.ModelSerializer):
    ratings = serializers.SerializerMethodField()
    ratings_released = serializers.SerializerMethodField()

    class Meta:
        model = Collaboration
        fields = ["id", "introduction", "project", "provider", "managers", "scope",
                  "started_on", "ends_on", "fee_fen", "outcome", "status", "completed_on",
                  "rating_closes_on", "ratings_released", "ratings"]
        read_only_fields = fields

    @extend_schema_field(serializers.BooleanField())
    def get_ratings_released(self, collaboration):
        return collaboration.ratings_released()

    @extend_schema_field(RatingSerializer(many=True))
    def get_ratings(self, collaboration):
        user = self.context["request"].user
        rows = Rating.objects.restrict(user).filter(collaboration=collaboration)
        return RatingSerializer(rows, many=True).data


class RateSerializer(serializers.Serializer):
    scores = serializers.DictField(child=serializers.IntegerField())
    comment = serializers.CharField(max_length=1000, required=False, allow_blank=True,
                                    default="")


class FinancingSerializer(serializers.ModelSerializer):
    project = serializers.IntegerField(source="project_id", required=False, allow_null=True)
    company = serializers.IntegerField(source="company_id", required=False, allow_null=True)
    kind = serializers.ChoiceField(choices=FinancingKind.choices)
    instrument = serializers.ChoiceField(choices=FinancingInstrument.choices)
    amount_fen = serializers.IntegerField()  # the service refuses zero and negatives
    district = serializers.SlugRelatedField(slug_field="code", read_only=True)
    field = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Financing
        fields = ["id", "project", "company", "kind", "instrument", "investor",
                  "investor_name", "amount_fen", "financed_on", "equity_share",
                  "beijing_fund", "district", "field", "reversal_of", "reason",
                  "recorded_by", "status", "decided_by", "decided_at", "created_at"]
        read_only_fields = ["id", "district", "field", "reversal_of", "reason",
                            "recorded_by", "status", "decided_by", "decided_at", "created_at"]
