"""Network endpoints: the public directory, with the pages' filters and scopes."""

from rest_framework import permissions, viewsets

from tmhub.core.api.viewsets import RestrictedViewSetMixin
from tmhub.network.api.serializers import ProviderSerializer
from tmhub.network.filters import DirectoryFilter
from tmhub.network.views import DirectoryView


class ProviderViewSet(RestrictedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Providers with at least one public service (`?service=&field=&district=&financing=`,
    codes), each with its public services."""

    serializer_class = ProviderSerializer
    filterset_class = DirectoryFilter
    permission_classes = [permissions.AllowAny]

    def base_queryset(self):
        return DirectoryView.base_queryset(None)


# ---------------------------------------------------------------- needs, collaborations, money
from django.http import Http404  # noqa: E402
from drf_spectacular.utils import extend_schema  # noqa: E402
from rest_framework import mixins, status  # noqa: E402
from rest_framework.decorators import action  # noqa: E402
from rest_framework.generics import get_object_or_404  # noqa: E402
from rest_framework.response import Response  # noqa: E402

from tmhub.core.access import VIEW  # noqa: E402
from tmhub.core.api.serializers import TransitionSerializer  # noqa: E402
from tmhub.network import collaborations as collaboration_services  # noqa: E402
from tmhub.network import financing as financing_services  # noqa: E402
from tmhub.network import needs as need_services  # noqa: E402
from tmhub.network.api.serializers import (  # noqa: E402
    CollaborationSerializer,
    FinancingSerializer,
    IntroduceSerializer,
    IntroductionSerializer,
    RateSerializer,
    RatingSerializer,
    ServiceNeedSerializer,
)
from tmhub.network.filters import (  # noqa: E402
    CollaborationFilter,
    FinancingFilter,
    NeedFilter,
)
from tmhub.network.models import Collaboration, Financing, ServiceNeed  # noqa: E402
from tmhub.orgs.models import Organization  # noqa: E402


def _visible(model, user, pk):
    return get_object_or_404(model.objects.restrict(user, VIEW), pk=pk)


def _project(user, pk):
    from tmhub.transfer.models import Project

    if pk is None:
        return None
    return _visible(Project, user, pk)


class ServiceNeedViewSet(RestrictedViewSetMixin, mixins.CreateModelMixin,
                         viewsets.ReadOnlyModelViewSet):
    """Service needs the user may see (their projects', or addressed to their provider);
    POST posts one for a project the user works on; `introduce` introduces a provider."""

    serializer_class = ServiceNeedSerializer
    filterset_class = NeedFilter
    permission_classes = [permissions.IsAuthenticated]

    def base_queryset(self):
        return ServiceNeed.objects.select_related("service_type", "field", "district")

    def get_queryset(self):
        return self.base_queryset().restrict(self.request.user, VIEW)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        project = _project(self.request.user, data.pop("project_id"))
        serializer.instance = need_services.post_need(actor=self.request.user, project=project,
                                                      **data)

    @extend_schema(request=IntroduceSerializer, responses=IntroductionSerializer)
    @action(detail=True, methods=["post"])
    def introduce(self, request, pk=None):
        need = _visible(ServiceNeed, request.user, self.kwargs["pk"])
        payload = IntroduceSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        provider = Organization.objects.filter(pk=payload.validated_data["provider"]).first()
        if provider is None:
            raise Http404
        introduction = need_services.introduce(need, actor=request.user, provider=provider,
                                               message=payload.validated_data["message"])
        return Response(IntroductionSerializer(introduction).data,
                        status=status.HTTP_201_CREATED)


class CollaborationViewSet(RestrictedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Collaborations of the user's projects or provider, with the ratings the user may
    read; `rate` gives the user's side's rating (1–5 on each criterion, a comment)."""

    serializer_class = CollaborationSerializer
    filterset_class = CollaborationFilter
    permission_classes = [permissions.IsAuthenticated]

    def base_queryset(self):
        return Collaboration.objects.prefetch_related("managers")

    @extend_schema(request=RateSerializer, responses=RatingSerializer)
    @action(detail=True, methods=["post"])
    def rate(self, request, pk=None):
        collaboration = _visible(Collaboration, request.user, self.kwargs["pk"])
        payload = RateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        rating = collaboration_services.rate(collaboration, actor=request.user,
                                             scores=payload.validated_data["scores"],
                                             comment=payload.validated_data["comment"])
        return Response(RatingSerializer(rating).data, status=status.HTTP_201_CREATED)


class FinancingViewSet(RestrictedViewSetMixin, mixins.CreateModelMixin,
                       viewsets.ReadOnlyModelViewSet):
    """Financing rounds the user may see; POST records one (amounts in fen, positive, not
    in the future)."""

    serializer_class = FinancingSerializer
    filterset_class = FinancingFilter
    permission_classes = [permissions.IsAuthenticated]

    def base_queryset(self):
        return Financing.objects.select_related("district", "field")

    def get_queryset(self):
        return self.base_queryset().restrict(self.request.user, VIEW)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        project = _project(self.request.user, data.pop("project_id", None))
        company_id = data.pop("company_id", None)
        company = (get_object_or_404(Organization, pk=company_id)
                   if company_id is not None else None)
        serializer.instance = financing_services.record_financing(
            actor=self.request.user, project=project, company=company, **data)

    @extend_schema(request=TransitionSerializer, responses=FinancingSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """Approve (`approved`) or return (`returned`, with a reason) a pending round, as on
        its page: a second person with the approver's role; who recorded it gets 400
        `same_person_approval`."""
        financing = _visible(Financing, request.user, self.kwargs["pk"])
        payload = TransitionSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        financing_services.step(financing, payload.validated_data["target"],
                                actor=request.user, reason=payload.validated_data["reason"])
        financing.refresh_from_db()
        return Response(FinancingSerializer(financing).data)
