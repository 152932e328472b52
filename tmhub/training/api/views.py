"""Training endpoints: the same scopes as the pages, every write through the services."""

from django.db.models import Count, Q
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from tmhub.core import policies
from tmhub.core.access import VIEW
from tmhub.core.api.viewsets import RestrictedViewSetMixin
from tmhub.training import services
from tmhub.training.api.serializers import (
    CertificateSerializer,
    CohortSerializer,
    CourseSerializer,
    EnrolmentSerializer,
    EnrolRequestSerializer,
    ReasonSerializer,
    RevocationSerializer,
    VerificationSerializer,
)
from tmhub.training.choices import RevocationStatus
from tmhub.training.filters import CertificateFilter, CohortFilter, CourseFilter, EnrolmentFilter
from tmhub.training.models import Certificate, Cohort, Course, Enrolment
from tmhub.training.models.cohorts import SEATED
from tmhub.training.services.certificates import find_by_number, normalise_number


class CourseViewSet(RestrictedViewSetMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin,
                    viewsets.ReadOnlyModelViewSet):
    """Published courses for everyone; providers add and edit their own."""

    queryset = Course.objects.select_related("programme__provider")
    serializer_class = CourseSerializer
    filterset_class = CourseFilter
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]

    def perform_create(self, serializer):
        # The programme field admits only programmes the caller may change (the policy).
        data = dict(serializer.validated_data)
        programme = data.pop("programme")
        serializer.instance = services.create_course(actor=self.request.user,
                                                     programme=programme, **data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("programme", None)
        serializer.instance = services.update_course(serializer.instance,
                                                     actor=self.request.user, **data)


class CohortViewSet(RestrictedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Cohorts open or running, and providers' own drafts; `enrol` asks for a place."""

    queryset = Cohort.objects.select_related("programme__provider").annotate(
        seats_counted=Count("enrolments", filter=Q(enrolments__status__in=SEATED)))
    serializer_class = CohortSerializer
    filterset_class = CohortFilter
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]

    @extend_schema(request=EnrolRequestSerializer, responses={201: EnrolmentSerializer})
    @action(detail=True, methods=["post"])
    def enrol(self, request, pk=None):
        cohort = self._visible(pk)
        payload = EnrolRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        enrolment = services.request_enrolment(
            cohort, actor=request.user, motivation=payload.validated_data["motivation"])
        return Response(EnrolmentSerializer(enrolment).data, status=status.HTTP_201_CREATED)

    def _visible(self, pk):
        try:
            return Cohort.objects.restrict(self.request.user, VIEW).get(pk=pk)
        except (Cohort.DoesNotExist, ValueError):
            raise NotFound


class EnrolmentViewSet(RestrictedViewSetMixin, mixins.CreateModelMixin,
                       viewsets.ReadOnlyModelViewSet):
    """Enrolments in the user's scope; create enrols yourself (or, for an institution
    administrator, one of the institution's managers); approve / reject / withdraw."""

    queryset = Enrolment.objects.select_related("trainee", "cohort")
    serializer_class = EnrolmentSerializer
    filterset_class = EnrolmentFilter
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        # Actions decide permission in the workflow; seeing the enrolment is enough to ask.
        return self.base_queryset().restrict(self.request.user, VIEW)

    def perform_create(self, serializer):
        # The cohort field admits only cohorts the caller sees; the service decides the rest.
        data = serializer.validated_data
        serializer.instance = services.request_enrolment(
            data["cohort"], actor=self.request.user,
            trainee=data.get("trainee") or self.request.user,
            motivation=data.get("motivation", ""))

    def _act(self, request, func, **kwargs):
        enrolment = self.get_object()
        payload = ReasonSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        if func is not services.approve_enrolment:
            kwargs["reason"] = payload.validated_data["reason"]
        enrolment = func(enrolment, actor=request.user, **kwargs)
        return Response(EnrolmentSerializer(enrolment).data)

    @extend_schema(request=ReasonSerializer, responses=EnrolmentSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._act(request, services.approve_enrolment)

    @extend_schema(request=ReasonSerializer, responses=EnrolmentSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._act(request, services.reject_enrolment)

    @extend_schema(request=ReasonSerializer, responses=EnrolmentSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        return self._act(request, services.withdraw_enrolment)


class CertificateViewSet(RestrictedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Certificates in the user's scope; providers revoke with a reason."""

    queryset = Certificate.objects.all()
    serializer_class = CertificateSerializer
    filterset_class = CertificateFilter
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        return self.base_queryset().restrict(self.request.user, VIEW)

    @extend_schema(request=ReasonSerializer, responses={201: RevocationSerializer})
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        """Ask for the revocation; the certificate stays valid until another administrator
        approves it (`approve-revocation`)."""
        payload = ReasonSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        revocation = services.request_revocation(self.get_object(), actor=request.user,
                                                 reason=payload.validated_data["reason"])
        return Response(RevocationSerializer(revocation).data, status=status.HTTP_201_CREATED)

    def _pending_revocation(self):
        revocation = services.open_revocation(self.get_object())
        if revocation is None or not policies.allows(self.request.user, VIEW, revocation):
            raise NotFound
        return revocation

    @extend_schema(request=None, responses=CertificateSerializer)
    @action(detail=True, methods=["post"], url_path="approve-revocation")
    def approve_revocation(self, request, pk=None):
        """Approve the pending revocation (not by the person who asked: four eyes)."""
        certificate = services.decide_revocation(
            self._pending_revocation(), RevocationStatus.APPROVED, actor=request.user)
        return Response(CertificateSerializer(certificate).data)

    @extend_schema(request=ReasonSerializer, responses=CertificateSerializer)
    @action(detail=True, methods=["post"], url_path="decline-revocation")
    def decline_revocation(self, request, pk=None):
        revocation = self._pending_revocation()
        payload = ReasonSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        certificate = services.decide_revocation(
            revocation, RevocationStatus.DECLINED, actor=request.user,
            reason=payload.validated_data["reason"])
        return Response(CertificateSerializer(certificate).data)


class CertificateVerificationView(APIView):
    """Public: is this certificate number valid, revoked or unknown (404)?"""

    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []

    @extend_schema(responses={200: VerificationSerializer, 404: VerificationSerializer})
    def get(self, request, number):
        certificate = find_by_number(number)
        number = normalise_number(number)
        if certificate is None:
            return Response({"number": number[:40], "result": "unknown"},
                            status=status.HTTP_404_NOT_FOUND)
        return Response(VerificationSerializer({
            "number": certificate.number, "result": certificate.status,
            "holder_name": certificate.holder_name, "level": certificate.level,
        }).data)
