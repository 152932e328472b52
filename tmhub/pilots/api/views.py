"""The pilots' endpoints: the same scopes as the pages (reads), steps through the services."""

from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from tmhub.core.api.serializers import TransitionSerializer
from tmhub.core.api.viewsets import RestrictedViewSetMixin
from tmhub.pilots import attainment, services
from tmhub.pilots.api.serializers import (
    PilotAssignmentSerializer,
    PilotKpiSerializer,
    PilotSerializer,
    StageReportSerializer,
)
from tmhub.pilots.filters import PilotFilter
from tmhub.pilots.models import Pilot


class PilotViewSet(RestrictedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Pilots the caller may read, with their KPIs (actual values as of today), manager
    assignments and stage reports as sub-resources."""

    queryset = Pilot.objects.select_related("programme", "institution").prefetch_related(
        "contracts")
    serializer_class = PilotSerializer
    filterset_class = PilotFilter

    @extend_schema(responses=PilotKpiSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def kpis(self, request, pk=None):
        pilot = self.get_object()
        rows, _overall = attainment.progress(pilot)
        kpis = []
        for kpi, actual, att in rows:
            kpi.actual, kpi.current_attainment = actual, att
            kpis.append(kpi)
        return Response(PilotKpiSerializer(kpis, many=True).data)

    @extend_schema(responses=PilotAssignmentSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def assignments(self, request, pk=None):
        pilot = self.get_object()
        return Response(PilotAssignmentSerializer(
            pilot.assignments.select_related("manager"), many=True).data)

    @extend_schema(responses=StageReportSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def reports(self, request, pk=None):
        pilot = self.get_object()
        return Response(StageReportSerializer(pilot.reports.all(), many=True).data)

    @extend_schema(request=TransitionSerializer, responses=PilotSerializer)
    @action(detail=True, methods=["post"])
    def step(self, request, pk=None):
        # Read scope (the service decides who may take the step); DRF's get_object_or_404
        # answers 404 for an id that is not a number too (a filter on "null,null" was a 500).
        pilot = get_object_or_404(Pilot.objects.restrict(request.user), pk=self.kwargs["pk"])
        payload = TransitionSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        pilot = services.step_pilot(pilot, payload.validated_data["target"], actor=request.user,
                                    reason=payload.validated_data["reason"])
        return Response(PilotSerializer(pilot).data)
