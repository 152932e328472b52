"""Districts API shapes: read-only views of the records the caller may see (writes go through
the pages' services)."""

from rest_framework import serializers

from tmhub.districts.models import CommissionerPost, Landing, LiaisonAgreement, MatchEvent


class LiaisonAgreementSerializer(serializers.ModelSerializer):
    district_code = serializers.CharField(source="district.code", read_only=True)
    institution_name = serializers.CharField(source="institution.name", read_only=True)

    class Meta:
        model = LiaisonAgreement
        fields = ["id", "district", "district_code", "institution", "institution_name",
                  "district_contact", "institution_contact", "scope", "scope_en",
                  "starts_on", "ends_on", "renews"]
        read_only_fields = fields


class CommissionerPostSerializer(serializers.ModelSerializer):
    district_code = serializers.CharField(source="district.code", read_only=True)
    holder_name = serializers.SerializerMethodField()

    class Meta:
        model = CommissionerPost
        fields = ["id", "district", "district_code", "title", "title_en", "park",
                  "time_basis", "status", "applications_close_on", "holder", "holder_name",
                  "term_start", "term_end"]
        read_only_fields = fields

    def get_holder_name(self, obj) -> str:
        return str(obj.holder) if obj.holder_id else ""


class MatchEventSerializer(serializers.ModelSerializer):
    district_code = serializers.CharField(source="district.code", read_only=True)
    registered = serializers.IntegerField(read_only=True)
    attended = serializers.IntegerField(source="attended_count", read_only=True)

    class Meta:
        model = MatchEvent
        fields = ["id", "district", "district_code", "title", "title_en", "kind", "organiser",
                  "held_on", "place", "online", "field", "capacity", "registered", "attended"]
        read_only_fields = fields


class LandingSerializer(serializers.ModelSerializer):
    district_code = serializers.CharField(source="district.code", read_only=True)

    class Meta:
        model = Landing
        fields = ["id", "district", "district_code", "kind", "title", "occurred_on",
                  "company_name", "credit_code", "contract", "investor", "amount_fen",
                  "project", "event", "managers"]
        read_only_fields = fields
