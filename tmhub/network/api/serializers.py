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
