"""/api/v1/managers/ and /api/v1/registrations/: same scopes as the web UI."""

from django.http import Http404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from tmhub.core.access import CHANGE, get_scope
from tmhub.core.api.viewsets import RestrictedViewSetMixin
from tmhub.talent import registration as reg
from tmhub.talent.api.serializers import (
    ManagerSerializer,
    RegistrationSerializer,
    TransitionSerializer,
)
from tmhub.talent.filters import DirectoryFilter, RegistrationFilter
from tmhub.talent.models import VIEW_PRIVATE, ManagerProfile, ManagerRegistration


@extend_schema_view(list=extend_schema(parameters=[
    OpenApiParameter("q", str, description="Search (jieba-segmented, Chinese or English)"),
]))
class ManagerViewSet(RestrictedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Technology managers: the public directory for everyone, plus, for scoped roles, the
    managers in their scope with contact details and the masked ID number."""

    queryset = ManagerProfile.objects.select_related(
        "employer", "work_district", "discipline").prefetch_related(
        "fields", "competences").order_by("full_name", "id")
    serializer_class = ManagerSerializer
    filterset_class = DirectoryFilter
    # The FilterSet's own `ordering` (name / registered / experience, id as tie-breaker) sorts;
    # DRF's OrderingFilter would read the same parameter and undo it.
    filter_backends = [DjangoFilterBackend]
    permission_classes = [permissions.AllowAny]

    def get_serializer(self, *args, **kwargs):
        serializer = super().get_serializer(*args, **kwargs)
        instance = args[0] if args else None
        user = self.request.user
        if instance is not None and get_scope(user).is_authenticated:
            rows = instance if kwargs.get("many") else [instance]
            # One query per page: which of these rows may this user see in full?
            ids = [row.pk for row in rows]
            private = ManagerProfile.objects.restrict(user, VIEW_PRIVATE).filter(pk__in=ids)
            serializer.context["private_ids"] = set(private.values_list("pk", flat=True))
        return serializer


class RegistrationViewSet(RestrictedViewSetMixin, mixins.CreateModelMixin,
                          viewsets.ReadOnlyModelViewSet):
    """Manager registrations (入库登记) with a `transition` action."""

    queryset = ManagerRegistration.objects.select_related("profile")
    serializer_class = RegistrationSerializer
    filterset_class = RegistrationFilter
    permission_classes = [permissions.IsAuthenticated]

    def perform_create(self, serializer):
        profile = serializer.validated_data["profile"]
        if not ManagerProfile.objects.restrict(self.request.user, CHANGE).filter(
            pk=profile.pk
        ).exists():
            raise Http404
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
        return Response(RegistrationSerializer(registration).data, status=status.HTTP_200_OK)
