"""Organisation and registration endpoints; writes go through orgs.services."""

from django.http import Http404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from tmhub.core import policies
from tmhub.core.access import VIEW
from tmhub.core.api.serializers import TransitionSerializer
from tmhub.core.api.viewsets import RestrictedViewSetMixin
from tmhub.orgs import services
from tmhub.orgs.api.serializers import (
    IdentityChangeRequestSerializer,
    InstitutionRegistrationSerializer,
    OrganizationSerializer,
)
from tmhub.orgs.change_requests import IdentityChangeRequest
from tmhub.orgs.filters import OrganizationApiFilter, RegistrationFilter
from tmhub.orgs.models import InstitutionRegistration, Organization


class OrganizationViewSet(RestrictedViewSetMixin, mixins.CreateModelMixin,
                          mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """The organisation registry. Anyone may read; administrators create; scoped roles edit."""

    queryset = Organization.objects.select_related("district").prefetch_related("fields")
    serializer_class = OrganizationSerializer
    filterset_class = OrganizationApiFilter
    # The FilterSet ranks `search`/`q` and sorts (`ordering`: name by pinyin); DRF's own
    # OrderingFilter and SearchFilter would read the same parameters and undo it.
    filter_backends = [DjangoFilterBackend]
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]

    def perform_create(self, serializer):
        if not policies.allows(self.request.user, "create", Organization):
            raise PermissionDenied
        data = dict(serializer.validated_data)
        fields = data.pop("fields", [])
        serializer.instance = services.create_organization(
            actor=self.request.user, fields=fields, **data
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        fields = data.pop("fields", None)
        serializer.instance = services.update_organization(
            serializer.instance, actor=self.request.user, fields=fields, **data
        )


class RegistrationViewSet(RestrictedViewSetMixin, mixins.CreateModelMixin,
                          mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Technology-transfer institution registrations with a `transition` action."""

    queryset = InstitutionRegistration.objects.select_related("organization")
    serializer_class = InstitutionRegistrationSerializer
    filterset_class = RegistrationFilter
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        organization = data.pop("organization")  # already one the caller may register
        serializer.instance = services.create_registration(
            actor=self.request.user, organization=organization, **data
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("organization", None)
        serializer.instance = services.update_registration(
            serializer.instance, actor=self.request.user, **data
        )

    @extend_schema(request=TransitionSerializer, responses=InstitutionRegistrationSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        # Visible (view scope) is enough to try; the workflow decides who may take the step.
        registration = self.get_view_object()
        payload = TransitionSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        registration = services.transition_registration(
            registration, payload.validated_data["target"], actor=request.user,
            reason=payload.validated_data["reason"], expected_status=registration.status,
        )
        return Response(InstitutionRegistrationSerializer(registration).data,
                        status=status.HTTP_200_OK)

    def get_view_object(self):
        queryset = InstitutionRegistration.objects.restrict(self.request.user)
        try:
            return queryset.get(pk=self.kwargs["pk"])
        except (InstitutionRegistration.DoesNotExist, ValueError) as exc:
            raise Http404 from exc


class IdentityChangeRequestViewSet(RestrictedViewSetMixin, mixins.CreateModelMixin,
                                   viewsets.ReadOnlyModelViewSet):
    """Requests to change an organisation's identity, reviewed by the city (`transition`:
    approved, rejected with a reason, withdrawn)."""

    queryset = IdentityChangeRequest.objects.select_related("organization")
    serializer_class = IdentityChangeRequestSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        # Nobody edits a request; whoever reads it may ask for a step, the workflow decides.
        return self.queryset.restrict(self.request.user, VIEW)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        organization = data.pop("organization")  # one whose record the caller edits
        data.setdefault("reason", "")
        serializer.instance = services.request_identity_change(
            organization, actor=self.request.user, **data
        )

    @extend_schema(request=TransitionSerializer, responses=IdentityChangeRequestSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        change_request = self.get_object()
        payload = TransitionSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        change_request = services.decide_identity_change(
            change_request, payload.validated_data["target"], actor=request.user,
            reason=payload.validated_data["reason"], expected_status=change_request.status,
        )
        return Response(IdentityChangeRequestSerializer(change_request).data)
