"""Stage gates and evidence in the API: each project's gate status, and its evidence records
(`GET/POST /api/v1/projects/{id}/evidence/`), through the same service and policy as the page."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from tmhub.core import policies
from tmhub.transfer import gates, services
from tmhub.transfer.choices import RECORDED_EVIDENCE_CHOICES, EvidenceKind
from tmhub.transfer.models import ProjectEvidence


class GateSerializer(serializers.Serializer):
    """One stage gate as it stands for the project: the kinds that open it (any one), the
    ones the project holds, and what it still needs, in words."""

    stage = serializers.CharField()
    evidence_kinds = serializers.ListField(
        child=serializers.ChoiceField(EvidenceKind.choices), source="kinds"
    )
    met_by = serializers.ListField(child=serializers.ChoiceField(EvidenceKind.choices))
    is_open = serializers.BooleanField()
    needs = serializers.CharField()


@extend_schema_field(GateSerializer(many=True))
class GatesField(serializers.Field):
    """Every gated stage with the project's status (read-only)."""

    def __init__(self, **kwargs):
        kwargs.update(source="*", read_only=True)
        super().__init__(**kwargs)

    def to_representation(self, project):
        return GateSerializer(gates.gates(project), many=True).data


class GatedListSerializer(serializers.ListSerializer):
    """A list of projects reads the gate rules and every row's evidence once."""

    def to_representation(self, data):
        rows = list(data.all() if hasattr(data, "all") else data)
        gates.prime(rows)
        return super().to_representation(rows)


class EvidenceSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=RECORDED_EVIDENCE_CHOICES)
    recorded_by_name = serializers.CharField(
        source="recorded_by.__str__", read_only=True, default=None
    )
    has_file = serializers.SerializerMethodField()

    class Meta:
        model = ProjectEvidence
        fields = [
            "id",
            "kind",
            "occurred_on",
            "title",
            "party",
            "amount_fen",
            "note",
            "recorded_by",
            "recorded_by_name",
            "recorded_at",
            "has_file",
        ]
        read_only_fields = ["id", "recorded_by", "recorded_at"]

    def get_has_file(self, obj) -> bool:
        return bool(obj.file)


class ProjectEvidenceActions:
    """The `evidence` action of the project endpoint (mixed into ProjectViewSet)."""

    @extend_schema(
        methods=["GET"],
        responses=EvidenceSerializer(many=True),
        description="The project's recorded stage evidence, newest first. Signed "
        "contracts and receipts count by themselves (see `gates`).",
    )
    @extend_schema(
        methods=["POST"], request=EvidenceSerializer, responses={201: EvidenceSerializer}
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def evidence(self, request, pk=None):
        project = self.visible_object()
        if request.method == "GET":
            rows = project.evidence.select_related("recorded_by")[:500]
            return Response(EvidenceSerializer(rows, many=True).data)
        payload = EvidenceSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        if not policies.allows(request.user, "record_evidence", project):
            raise ValidationError(
                _("You are not allowed to take this step."), code="transition_forbidden"
            )
        evidence = services.record_evidence(project, actor=request.user, **payload.validated_data)
        return Response(EvidenceSerializer(evidence).data, status=201)
