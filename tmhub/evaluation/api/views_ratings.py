"""The social-evaluation API (issue 17 item 5): /api/v1/indicator-systems/ (published ones
for everyone; drafts, edits, publishing and new versions for the city),
/api/v1/rating-rounds/ (the city; actions open, compute, publish) and /api/v1/ratings/
(scoped: a manager their own, institution administrators theirs, the city all; with the
explanation of every indicator and the subject's objection). The same services and policies
as the pages: a record outside the caller's scope is 404."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from tmhub.core import policies
from tmhub.core.access import CHANGE
from tmhub.core.api.viewsets import RestrictedViewSetMixin
from tmhub.evaluation.api.serializers_ratings import (
    IndicatorSerializer,
    IndicatorSystemSerializer,
    IndicatorWriteSerializer,
    ObjectionRequestSerializer,
    ObjectionResolveRequestSerializer,
    RatingObjectionSerializer,
    RatingReviewSerializer,
    RatingRoundSerializer,
    ReviewAssignRequestSerializer,
    ReviewScoreRequestSerializer,
    RoundStepReasonSerializer,
    SubjectRatingDetailSerializer,
    SubjectRatingSerializer,
)
from tmhub.evaluation.api.views_round import _Visible
from tmhub.evaluation.filters_ratings import (
    IndicatorSystemFilter,
    RatingFilter,
    RatingRoundFilter,
)
from tmhub.evaluation.models import (
    Indicator,
    IndicatorSystem,
    Rating,
    RatingObjection,
    RatingReview,
    RatingRound,
)
from tmhub.evaluation.rating_choices import RatingObjectionStatus, RoundStatus
from tmhub.evaluation.services import indicators as system_services
from tmhub.evaluation.services import ratings as services


class IndicatorSystemViewSet(_Visible, RestrictedViewSetMixin, mixins.CreateModelMixin,
                             viewsets.ReadOnlyModelViewSet):
    """Indicator systems with their tree. POST creates a draft (the city); `indicators` adds
    a node to a draft; `publish` checks the weights and freezes it; `new-version` copies it
    into a draft."""

    serializer_class = IndicatorSystemSerializer
    filterset_class = IndicatorSystemFilter
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    http_method_names = ["get", "post", "head", "options"]

    def base_queryset(self):
        return IndicatorSystem.objects.prefetch_related("indicators__parent")

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = system_services.create_system(
            actor=self.request.user, code=data["code"], name_zh=data["name_zh"],
            name_en=data.get("name_en", ""), subject_kind=data["subject_kind"],
            basis=data.get("basis", ""), levels=data.get("levels") or [])

    def _answer(self, system, code=status.HTTP_200_OK):
        system = self.base_queryset().get(pk=system.pk)
        return Response(self.get_serializer(system).data, status=code)

    @extend_schema(request=None, responses=IndicatorSystemSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        system = self.visible_object()
        if not policies.allows(request.user, "publish", system):
            raise Http404
        return self._answer(system_services.publish_system(system, actor=request.user))

    @extend_schema(request=None, responses={201: IndicatorSystemSerializer})
    @action(detail=True, methods=["post"], url_path="new-version")
    def new_version(self, request, pk=None):
        system = self.visible_object()
        if not policies.allows(request.user, "copy", system):
            raise Http404
        return self._answer(system_services.new_version(system, actor=request.user),
                            status.HTTP_201_CREATED)

    @extend_schema(request=IndicatorWriteSerializer, responses={201: IndicatorSerializer})
    @action(detail=True, methods=["post"])
    def indicators(self, request, pk=None):
        system = self.visible_object()
        if not policies.allows(request.user, "change", system):
            raise Http404
        payload = IndicatorWriteSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        parent_code = data.pop("parent")
        parent = None
        if parent_code:
            parent = Indicator.objects.filter(system=system, code=parent_code).first()
            if parent is None:
                from tmhub.core.forms_errors import field_error

                raise field_error("parent", _("An indicator sits under a dimension of the same "
                                              "system."), "parent_invalid")
        made = system_services.add_indicator(system, actor=request.user, parent=parent, **data)
        return Response(IndicatorSerializer(made).data, status=status.HTTP_201_CREATED)


class RatingRoundViewSet(_Visible, RestrictedViewSetMixin, mixins.CreateModelMixin,
                         viewsets.ReadOnlyModelViewSet):
    """Rating rounds: the city, an accredited organisation's staff (`organization`) or an
    institution's administrators (an internal round: `organization` their institution,
    `purpose`) create a round and take its steps — `open`, `compute` (queues the job; poll
    the round's progress), `publish` (an organisation's round: `submit`, then the city's
    `approve` or `return`); the city may `suspend` any round and `resume` it. `reviews`
    lists the caller's reviews of the round (the runner and the city: all), `assign` asks an
    expert to score an indicator, `score` enters the caller's score of one review."""

    serializer_class = RatingRoundSerializer
    filterset_class = RatingRoundFilter
    permission_classes = [permissions.IsAuthenticated]
    http_method_names = ["get", "post", "head", "options"]

    def base_queryset(self):
        return RatingRound.objects.all()

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.create_round(
            actor=self.request.user, name=data["name"], period_start=data["period_start"],
            period_end=data["period_end"], manager_system=data.get("manager_system"),
            institution_system=data.get("institution_system"),
            objection_days=data.get("objection_days", 15),
            organization=data.get("organization"), purpose=data.get("purpose", ""),
            subject_filter=data.get("subject_filter") or {})

    def _step(self, target):
        round_ = self.visible_object()
        user = self.request.user
        if not (policies.allows(user, "run", round_) or policies.allows(user, "oversee", round_)):
            raise Http404
        payload = RoundStepReasonSerializer(data=self.request.data)
        payload.is_valid(raise_exception=True)
        round_ = services.step_round(round_, target, actor=user,
                                     reason=payload.validated_data["reason"])
        round_.refresh_from_db()
        return Response(self.get_serializer(round_).data)

    @extend_schema(request=RoundStepReasonSerializer, responses=RatingRoundSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._step(RoundStatus.AWAITING_APPROVAL)

    @extend_schema(request=RoundStepReasonSerializer, responses=RatingRoundSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        round_ = self.visible_object()
        if round_.status != RoundStatus.AWAITING_APPROVAL:
            raise Http404
        return self._step(RoundStatus.PUBLISHED)

    @extend_schema(request=RoundStepReasonSerializer, responses=RatingRoundSerializer)
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_round(self, request, pk=None):
        return self._step(RoundStatus.COMPUTED)

    @extend_schema(request=RoundStepReasonSerializer, responses=RatingRoundSerializer)
    @action(detail=True, methods=["post"])
    def suspend(self, request, pk=None):
        return self._step(RoundStatus.SUSPENDED)

    @extend_schema(request=RoundStepReasonSerializer, responses=RatingRoundSerializer)
    @action(detail=True, methods=["post"])
    def resume(self, request, pk=None):
        round_ = self.visible_object()
        if round_.status != RoundStatus.SUSPENDED:
            raise Http404
        return self._step(RoundStatus.OPEN)

    @extend_schema(request=None, responses=RatingReviewSerializer(many=True))
    @action(detail=True, methods=["get"])
    def reviews(self, request, pk=None):
        round_ = self.visible_object()
        rows = (RatingReview.objects.restrict(request.user).filter(round=round_)
                .select_related("indicator", "manager__manager_profile", "institution"))
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(RatingReviewSerializer(page, many=True).data)

    @extend_schema(request=ReviewAssignRequestSerializer, responses={201: None})
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        from tmhub.accounts.models import User

        round_ = self.visible_object()
        if not policies.allows(request.user, "run", round_):
            raise Http404
        payload = ReviewAssignRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        indicator = services.scored_indicators(round_).filter(pk=data["indicator"]).first()
        reviewer = User.objects.filter(pk=data["reviewer"], is_active=True).first()
        if indicator is None or reviewer is None:
            from tmhub.core.forms_errors import field_error

            raise field_error("indicator" if indicator is None else "reviewer",
                              _("Choose a scored indicator of this round and an active "
                                "expert."), "assignment_invalid")
        made = services.assign_reviewer(round_, actor=request.user, indicator=indicator,
                                        reviewer=reviewer, subject_ids=data["subjects"])
        return Response({"reviews": made}, status=status.HTTP_201_CREATED)

    @extend_schema(request=ReviewScoreRequestSerializer, responses=RatingReviewSerializer)
    @action(detail=True, methods=["post"])
    def score(self, request, pk=None):
        round_ = self.visible_object()
        mine = RatingReview.objects.restrict(request.user, CHANGE).filter(round=round_)
        if not mine.exists():  # nothing of theirs to score here
            raise Http404
        payload = ReviewScoreRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        review = mine.filter(pk=data["review"]).first()
        if review is None or not policies.allows(request.user, "score", review):
            raise Http404
        review = services.enter_score(review, actor=request.user, score=data["score"],
                                      comment=data["comment"])
        return Response(RatingReviewSerializer(review).data)

    @extend_schema(request=None, responses=RatingRoundSerializer)
    @action(detail=True, methods=["post"], url_path="open", url_name="open")
    def open_round(self, request, pk=None):
        return self._step(RoundStatus.OPEN)

    @extend_schema(request=None, responses=RatingRoundSerializer)
    @action(detail=True, methods=["post"])
    def compute(self, request, pk=None):
        return self._step(RoundStatus.COMPUTING)

    @extend_schema(request=None, responses=RatingRoundSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        return self._step(RoundStatus.PUBLISHED)


class RatingViewSet(_Visible, RestrictedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Ratings in the caller's scope; the detail explains every indicator. `objections`
    (POST `{text}`): the rated subject objects within the round's window; `resolve` (POST
    `{objection, decision, resolution}`): the city upholds (the subject is rated again) or
    rejects it with a reason."""

    filterset_class = RatingFilter
    permission_classes = [permissions.IsAuthenticated]
    http_method_names = ["get", "post", "head", "options"]

    def base_queryset(self):
        return Rating.objects.select_related(
            "round", "system", "manager__manager_profile", "institution").prefetch_related(
            "objections")

    def get_serializer_class(self):
        return SubjectRatingDetailSerializer if self.action != "list" else SubjectRatingSerializer

    @extend_schema(request=ObjectionRequestSerializer, responses={201: RatingObjectionSerializer})
    @action(detail=True, methods=["post"])
    def objections(self, request, pk=None):
        rating = self.visible_object()
        if not policies.allows(request.user, "object", rating):
            raise Http404
        payload = ObjectionRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        objection = services.file_objection(rating, actor=request.user,
                                            text=payload.validated_data["text"])
        return Response(RatingObjectionSerializer(objection).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(request=ObjectionResolveRequestSerializer,
                   responses=RatingObjectionSerializer)
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        rating = self.visible_object()
        open_ones = [o for o in RatingObjection.objects.restrict(request.user).filter(
            rating=rating, status=RatingObjectionStatus.OPEN)
            if policies.allows(request.user, "resolve", o)]
        if not open_ones:
            raise Http404
        payload = ObjectionResolveRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        objection = next((o for o in open_ones if o.pk == data["objection"]), None)
        if objection is None or not policies.allows(request.user, "resolve", objection):
            raise Http404
        objection = services.resolve_objection(objection, actor=request.user,
                                               upheld=data["decision"] == "upheld",
                                               resolution=data["resolution"])
        return Response(RatingObjectionSerializer(objection).data)
