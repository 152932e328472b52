"""/api/v1/managers/ and /api/v1/registrations/: same scopes as the web UI."""

from django.http import Http404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from tmhub.core.api.viewsets import RestrictedViewSetMixin
from tmhub.talent import registration as reg
from tmhub.talent.api.serializers import (
    ManagerSerializer,
    RegistrationSerializer,
    TransitionSerializer,
)
from tmhub.talent.filters import DirectoryFilter, RegistrationFilter
from tmhub.talent.models import ManagerProfile, ManagerRegistration


@extend_schema_view(list=extend_schema(parameters=[
    OpenApiParameter("q", str, description="Search (jieba-segmented, Chinese or English)"),
]))
class ManagerViewSet(RestrictedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Technology managers: the public directory for everyone, plus, for scoped roles, the
    managers in their scope with contact details and the masked ID number (the fields each
    caller reads are the profile policy's `visible_fields`, checked on the loaded rows)."""

    queryset = ManagerProfile.objects.select_related(
        "employer", "work_district", "discipline").prefetch_related(
        "fields", "competences").order_by("full_name", "id")
    serializer_class = ManagerSerializer
    filterset_class = DirectoryFilter
    # The FilterSet's own `ordering` (name / registered / experience, id as tie-breaker) sorts;
    # DRF's OrderingFilter would read the same parameter and undo it.
    filter_backends = [DjangoFilterBackend]
    permission_classes = [permissions.AllowAny]


class RegistrationViewSet(RestrictedViewSetMixin, mixins.CreateModelMixin,
                          viewsets.ReadOnlyModelViewSet):
    """Manager registrations (入库登记) with a `transition` action."""

    queryset = ManagerRegistration.objects.select_related("profile")
    serializer_class = RegistrationSerializer
    filterset_class = RegistrationFilter
    permission_classes = [permissions.IsAuthenticated]

    def perform_create(self, serializer):
        # The profile field only accepts profiles the caller may change; the service checks
        # the policy again for every caller.
        profile = serializer.validated_data["profile"]
        serializer.instance = reg.start_registration(
            actor=self.request.user, profile=profile,
            statement=serializer.validated_data.get("statement", ""),
        )

    @extend_schema(request=TransitionSerializer, responses=RegistrationSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        # Visible is enough to try; the workflow decides who may take the step.
        try:
            registration = ManagerRegistration.objects.restrict(request.user).get(pk=pk)
        except (ManagerRegistration.DoesNotExist, ValueError) as exc:
            raise Http404 from exc
        payload = TransitionSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        registration = reg.transition_registration(
            registration, payload.validated_data["target"], actor=request.user,
            reason=payload.validated_data["reason"],
            field_comments=payload.validated_data["field_comments"],
            expected_status=registration.status,
        )
        return Response(RegistrationSerializer(registration, context={"request": request}).data,
                        status=status.HTTP_200_OK)
