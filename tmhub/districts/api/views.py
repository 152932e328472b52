"""Districts endpoints (issue 15 item 10): the same scopes as the pages."""

from django.db.models import Count, Q
from rest_framework import viewsets

from tmhub.core.api.viewsets import RestrictedViewSetMixin
from tmhub.districts.api.serializers import (
    CommissionerPostSerializer,
    LandingSerializer,
    LiaisonAgreementSerializer,
    MatchEventSerializer,
)
from tmhub.districts.filters import AgreementFilter, EventFilter, LandingFilter, PostFilter
from tmhub.districts.models import CommissionerPost, Landing, LiaisonAgreement, MatchEvent


class LiaisonAgreementViewSet(RestrictedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Liaison agreements of the caller's district or institution (the city: all)."""

    queryset = LiaisonAgreement.objects.select_related("district", "institution")
    serializer_class = LiaisonAgreementSerializer
    filterset_class = AgreementFilter


class CommissionerPostViewSet(RestrictedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Published vacancies and filled posts for everyone; drafts for their district."""

    queryset = CommissionerPost.objects.select_related("district", "holder")
    serializer_class = CommissionerPostSerializer
    filterset_class = PostFilter


class MatchEventViewSet(RestrictedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Published events for everyone, with their registrations and attendance counted."""

    queryset = MatchEvent.objects.select_related("district").annotate(
        registered=Count("registrations", distinct=True),
        attended_count=Count("registrations", filter=Q(registrations__attended=True),
                             distinct=True)).order_by("-held_on", "-id")
    serializer_class = MatchEventSerializer
    filterset_class = EventFilter


class LandingViewSet(RestrictedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Landings of the caller's district, or credited to the calling manager."""

    queryset = Landing.objects.select_related("district").prefetch_related("managers")
    serializer_class = LandingSerializer
    filterset_class = LandingFilter
