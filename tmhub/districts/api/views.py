"""Districts endpoints (issue 15 item 10): the same scopes as the pages, and the same writes —
each create and step calls the service the page's form calls, so the policies (a district's
officers for their own district, the city for all), the checks (a landing's credit code, a
contract landed from another district) and the audit are the same."""

from django.db.models import Count, Q
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from tmhub.core import policies
from tmhub.core.access import VIEW, get_restricted_or_404
from tmhub.core.api.viewsets import RestrictedViewSetMixin
from tmhub.districts import services
from tmhub.districts.api.serializers import (
    ApplicationInputSerializer,
    AppointInputSerializer,
    CommissionerPostInputSerializer,
    CommissionerPostSerializer,
    FollowUpSerializer,
    LandingInputSerializer,
    LandingSerializer,
    LiaisonAgreementInputSerializer,
    LiaisonAgreementSerializer,
    MatchEventInputSerializer,
    MatchEventSerializer,
)
from tmhub.districts.filters import AgreementFilter, EventFilter, LandingFilter, PostFilter
from tmhub.districts.models import (
    CommissionerApplication,
    CommissionerPost,
    EventFollowUp,
    Landing,
    LiaisonAgreement,
    MatchEvent,
)


class _CreateThroughService(RestrictedViewSetMixin, mixins.CreateModelMixin,
                            viewsets.ReadOnlyModelViewSet):
    """POST validates `input_serializer_class`, calls `create_with(actor=, **data)` and answers
    the created record in the read shape (201)."""

    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    input_serializer_class = None

    def get_serializer_class(self):
        if self.action == "create":
            return self.input_serializer_class
        return self.serializer_class

    def create_with(self, **data):  # pragma: no cover - every subclass defines it
        raise NotImplementedError

    def respond(self, obj, code=status.HTTP_200_OK):
        obj = self.base_queryset().filter(pk=obj.pk).first() or obj
        return Response(self.serializer_class(obj, context=self.get_serializer_context()).data,
                        status=code)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        obj = self.create_with(actor=request.user, **serializer.validated_data)
        return self.respond(obj, status.HTTP_201_CREATED)


class LiaisonAgreementViewSet(_CreateThroughService):
    """Liaison agreements of the caller's district or institution (the city: all); a
    district's officers record their district's."""

    queryset = LiaisonAgreement.objects.select_related("district", "institution")
    serializer_class = LiaisonAgreementSerializer
    input_serializer_class = LiaisonAgreementInputSerializer
    filterset_class = AgreementFilter

    def create_with(self, **data):
        return services.create_agreement(**data)


class CommissionerPostViewSet(_CreateThroughService):
    """Published vacancies and filled posts for everyone; drafts for their district, which
    creates posts, publishes vacancies and appoints; registered managers apply."""

    queryset = CommissionerPost.objects.select_related("district", "holder")
    serializer_class = CommissionerPostSerializer
    input_serializer_class = CommissionerPostInputSerializer
    filterset_class = PostFilter

    def create_with(self, **data):
        return services.create_post(**data)

    def _post(self, pk):
        return get_restricted_or_404(CommissionerPost, self.request.user, VIEW, pk=pk)

    @extend_schema(request=None, responses=CommissionerPostSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        post = self._post(pk)
        policies.require(request.user, "publish", post)
        return self.respond(services.publish_vacancy(post, actor=request.user))

    @extend_schema(request=ApplicationInputSerializer, responses=CommissionerPostSerializer)
    @action(detail=True, methods=["post"], url_path="apply")
    def apply(self, request, pk=None):
        post = self._post(pk)
        policies.require(request.user, "apply", post)
        serializer = ApplicationInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.apply_for_post(post, actor=request.user, **serializer.validated_data)
        return self.respond(post, status.HTTP_201_CREATED)

    @extend_schema(request=AppointInputSerializer, responses=CommissionerPostSerializer)
    @action(detail=True, methods=["post"])
    def appoint(self, request, pk=None):
        post = self._post(pk)
        policies.require(request.user, "appoint", post)
        serializer = AppointInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        application = get_restricted_or_404(
            CommissionerApplication.objects.filter(post=post), request.user, VIEW,
            pk=data.pop("application"))
        return self.respond(services.appoint(application, actor=request.user, **data))


class MatchEventViewSet(_CreateThroughService):
    """Published events for everyone, with registrations, attendance, follow-ups and the
    landings traced back to them counted; a district's officers record events and, after
    them, the introductions made there (`follow-ups`)."""

    queryset = MatchEvent.objects.select_related("district").annotate(
        registered=Count("registrations", distinct=True),
        attended_count=Count("registrations", filter=Q(registrations__attended=True),
                             distinct=True),
        follow_ups_count=Count("follow_ups", distinct=True),
        landings_count=Count("landings", distinct=True)).order_by("-held_on", "-id")
    serializer_class = MatchEventSerializer
    input_serializer_class = MatchEventInputSerializer
    filterset_class = EventFilter

    def create_with(self, **data):
        return services.create_event(**data)

    @extend_schema(methods=["get"], request=None, responses=FollowUpSerializer(many=True))
    @extend_schema(methods=["post"], request=FollowUpSerializer, responses=FollowUpSerializer)
    @action(detail=True, methods=["get", "post"], url_path="follow-ups",
            serializer_class=FollowUpSerializer)
    def follow_ups(self, request, pk=None):
        event = get_restricted_or_404(MatchEvent, request.user, VIEW, pk=pk)
        policies.require(request.user, "manage", event)
        context = {**self.get_serializer_context(), "event": event}
        if request.method == "GET":
            rows = (EventFollowUp.objects.restrict(request.user).filter(event=event)
                    .select_related("first__person", "second__person"))
            return Response(FollowUpSerializer(rows, many=True, context=context).data)
        serializer = FollowUpSerializer(data=request.data, context=context)
        serializer.is_valid(raise_exception=True)
        follow_up = services.record_follow_up(event, actor=request.user,
                                              **serializer.validated_data)
        return Response(FollowUpSerializer(follow_up, context=context).data,
                        status=status.HTTP_201_CREATED)


class LandingViewSet(_CreateThroughService):
    """Landings of the caller's district, or credited to the calling manager; a district's
    officers record their district's (a company's credit code is checked, a contract must
    have landed in the district)."""

    queryset = Landing.objects.select_related("district").prefetch_related("managers")
    serializer_class = LandingSerializer
    input_serializer_class = LandingInputSerializer
    filterset_class = LandingFilter

    def create_with(self, **data):
        return services.record_landing(**data)
