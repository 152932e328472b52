"""/api/v1/credentials/: external training certificates, as on the pages (same policy)."""

from __future__ import annotations

from django.http import FileResponse, Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.response import Response

from tmhub.core import policies
from tmhub.core.access import CHANGE
from tmhub.core.api.fields import RestrictedPrimaryKeyRelatedField
from tmhub.core.api.serializers import TransitionSerializer
from tmhub.core.api.viewsets import RestrictedViewSetMixin
from tmhub.talent import levels
from tmhub.talent.credentials import ExternalCertificate
from tmhub.talent.models import ManagerProfile


@extend_schema_serializer(component_name="ExternalCertificate")
class CredentialSerializer(serializers.ModelSerializer):
    # A profile the caller may not record for reads exactly like a missing one (400).
    profile = RestrictedPrimaryKeyRelatedField(action=CHANGE,
                                               queryset=ManagerProfile.objects.all())
    evidence = serializers.FileField(write_only=True)
    steps = serializers.SerializerMethodField()

    class Meta:
        model = ExternalCertificate
        fields = ["id", "profile", "issuer", "level", "number", "issued_on", "evidence",
                  "status", "recorded_by", "verified_by", "verified_at", "decision_note",
                  "steps"]
        read_only_fields = ["status", "recorded_by", "verified_by", "verified_at",
                            "decision_note"]

    def get_steps(self, obj) -> list[str]:
        request = self.context.get("request")
        user = getattr(request, "user", None)
        return [b.target for b in levels.CREDENTIAL_WORKFLOW.buttons(obj, user) if b.enabled]


class CredentialViewSet(RestrictedViewSetMixin, mixins.CreateModelMixin,
                        viewsets.ReadOnlyModelViewSet):
    """External training certificates the caller may see; POST (multipart) records one with
    its evidence; `transition` verifies or rejects (the city); `evidence` downloads the file."""

    queryset = ExternalCertificate.objects.select_related("profile").order_by("-id")
    serializer_class = CredentialSerializer
    permission_classes = [permissions.IsAuthenticated]
    parser_classes = [MultiPartParser, JSONParser]

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = levels.record_external_certificate(actor=self.request.user, **data)

    @extend_schema(request=TransitionSerializer, responses=CredentialSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        certificate = self.get_object()
        policies.require(request.user, "verify", certificate)
        payload = TransitionSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        certificate = levels.decide_external_certificate(
            certificate, payload.validated_data["target"], actor=request.user,
            reason=payload.validated_data["reason"])
        return Response(CredentialSerializer(certificate, context={"request": request}).data,
                        status=status.HTTP_200_OK)

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def evidence(self, request, pk=None):
        certificate = self.get_object()
        if not certificate.evidence:
            raise Http404
        response = FileResponse(certificate.evidence.open("rb"), as_attachment=True)
        response["Cache-Control"] = "no-store"
        return response
