"""The title round's API (issue 16 item 7): /api/v1/title-applications/ with its transition
actions, /api/v1/title-panels/, /api/v1/title-reviews/ (a reviewer's own) and the public
verification of an approved title. The same services and policies as the pages: a record
outside the caller's scope is 404."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from tmhub.core import policies
from tmhub.core.access import VIEW, get_scope
from tmhub.core.api.serializers import TransitionSerializer
from tmhub.core.api.viewsets import RestrictedViewSetMixin
from tmhub.evaluation.api.serializers import (
    TitleApplicationSerializer,
    TitleAssignSerializer,
    TitleConflictSerializer,
    TitlePanelAddMemberSerializer,
    TitlePanelMemberSerializer,
    TitlePanelSerializer,
    TitleRatingAttachSerializer,
    TitleReturnSerializer,
    TitleReviewSerializer,
    TitleRevokeSerializer,
    TitleScoresSerializer,
    TitleVerificationSerializer,
    TitleVoteSerializer,
)
from tmhub.evaluation.filters import ApplicationFilter, PanelFilter, ReviewFilter
from tmhub.evaluation.models import (
    ReviewAssignment,
    TitleApplication,
    TitleExpert,
    TitlePanel,
)
from tmhub.evaluation.policies import is_bureau
from tmhub.evaluation.services import applications as services
from tmhub.evaluation.services import panels as panel_services
from tmhub.evaluation.services import results as result_services

WRITABLE = ("level", "direction", "education", "years_since_education", "current_title",
            "years_in_current_title", "summary")


class _Visible:
    def visible_object(self):
        """The record if the caller may see it (the services then decide who may act)."""
        try:
            return self.base_queryset().restrict(self.request.user, VIEW).get(
                pk=int(self.kwargs["pk"]))
        except (self.base_queryset().model.DoesNotExist, ValueError) as exc:
            raise Http404 from exc


class TitleApplicationViewSet(_Visible, RestrictedViewSetMixin, mixins.CreateModelMixin,
                              mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Title applications the caller may see (their own, their staff's once submitted, the
    endorsed ones for the bureau, the assigned ones for a reviewer). POST creates the caller's
    draft; PATCH changes a draft or a returned application; steps: `transition`
    (`{target, reason}`), `return` (per-field comments), `vote` (the panel's tally), `assign`
    (a reviewer of the panel), `revoke` (the bureau revokes an approved title: `{reason}`)."""

    serializer_class = TitleApplicationSerializer
    filterset_class = ApplicationFilter
    permission_classes = [permissions.IsAuthenticated]
    # DELETE: only the `rating-evidence` action answers it (there is no destroy).
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def base_queryset(self):
        return TitleApplication.objects.select_related(
            "applicant", "institution", "level", "direction", "current_title", "round",
            "rating_evidence__rating"
        ).prefetch_related("works")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.create_application(
            actor=self.request.user, round=data.pop("round"),
            **{k: v for k, v in data.items() if k in WRITABLE})

    def perform_update(self, serializer):
        data = {k: v for k, v in serializer.validated_data.items() if k in WRITABLE}
        serializer.instance = services.update_application(serializer.instance,
                                                          actor=self.request.user, **data)

    def _answer(self, application):
        application = self.base_queryset().get(pk=application.pk)
        return Response(self.get_serializer(application).data)

    @extend_schema(request=TransitionSerializer, responses=TitleApplicationSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        application = self.visible_object()
        payload = TransitionSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        application = services.step_application(
            application, payload.validated_data["target"], actor=request.user,
            reason=payload.validated_data["reason"])
        return self._answer(application)

    @extend_schema(request=TitleReturnSerializer, responses=TitleApplicationSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_for_changes(self, request, pk=None):
        application = self.visible_object()
        if not policies.allows(request.user, "return", application):
            raise Http404
        payload = TitleReturnSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        application = services.return_application(
            application, actor=request.user, comments=payload.validated_data["comments"],
            reason=payload.validated_data["reason"])
        return self._answer(application)

    @extend_schema(request=TitleVoteSerializer, responses=TitleApplicationSerializer)
    @action(detail=True, methods=["post"])
    def vote(self, request, pk=None):
        application = self.visible_object()
        if not policies.allows(request.user, "run_round", application):
            raise Http404
        payload = TitleVoteSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        application = services.record_vote(application, actor=request.user,
                                            **payload.validated_data)
        return self._answer(application)

    @extend_schema(request=TitleRevokeSerializer, responses=TitleApplicationSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        application = self.visible_object()
        if not policies.allows(request.user, "revoke", application):
            raise Http404
        payload = TitleRevokeSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        application = result_services.revoke_title(
            application, actor=request.user, reason=payload.validated_data["reason"])
        return self._answer(application)

    @extend_schema(methods=["post"], request=TitleRatingAttachSerializer,
                   responses=TitleApplicationSerializer)
    @extend_schema(methods=["delete"], request=None, responses=TitleApplicationSerializer)
    @action(detail=True, methods=["post", "delete"], url_path="rating-evidence")
    def rating_evidence(self, request, pk=None):
        """Cite (POST) or stop citing (DELETE) the applicant's latest published rating; the
        same service and policy as the page (anyone but the applicant of an editable
        application: 404)."""
        from tmhub.evaluation.services import rating_use

        application = self.visible_object()
        if not policies.allows(request.user, "change", application):
            raise Http404
        if request.method == "DELETE":
            rating_use.detach_rating(application, actor=request.user)
        else:
            payload = TitleRatingAttachSerializer(data=request.data)
            payload.is_valid(raise_exception=True)
            rating_use.attach_rating(application, actor=request.user,
                                     rating_id=payload.validated_data["rating"])
        return self._answer(application)

    @extend_schema(request=TitleAssignSerializer, responses={201: TitleReviewSerializer})
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        application = self.visible_object()
        if not policies.allows(request.user, "run_round", application):
            raise Http404
        payload = TitleAssignSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        expert = TitleExpert.objects.filter(pk=payload.validated_data["expert"]).first()
        if expert is None:
            raise Http404
        review = panel_services.assign_reviewer(application, actor=request.user,
                                                expert=expert)
        return Response(TitleReviewSerializer(review, context={"request": request}).data,
                        status=status.HTTP_201_CREATED)


class TitlePanelViewSet(_Visible, RestrictedViewSetMixin, mixins.CreateModelMixin,
                        viewsets.ReadOnlyModelViewSet):
    """Review panels (the bureau's; a member reads the panels they sit on). POST forms one
    (the bureau); `members` adds an expert of the pool."""

    serializer_class = TitlePanelSerializer
    filterset_class = PanelFilter
    permission_classes = [permissions.IsAuthenticated]

    def base_queryset(self):
        return TitlePanel.objects.select_related("round", "level", "direction") \
            .prefetch_related("memberships__expert__institution")

    def perform_create(self, serializer):
        serializer.instance = panel_services.create_panel(actor=self.request.user,
                                                          **serializer.validated_data)

    @extend_schema(request=TitlePanelAddMemberSerializer,
                   responses={201: TitlePanelMemberSerializer})
    @action(detail=True, methods=["post"])
    def members(self, request, pk=None):
        panel = self.visible_object()
        if not policies.allows(request.user, "manage", panel):
            raise Http404
        payload = TitlePanelAddMemberSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        expert = TitleExpert.objects.filter(pk=payload.validated_data["expert"]).first()
        if expert is None:
            raise Http404
        member = panel_services.add_member(panel, actor=request.user, expert=expert,
                                           is_chair=payload.validated_data["is_chair"])
        return Response(TitlePanelMemberSerializer(member).data,
                        status=status.HTTP_201_CREATED)


class TitleReviewViewSet(_Visible, RestrictedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """A reviewer's own reviews (the bureau's and the city's: every review); `scores` submits
    or corrects the scores during the panel review, `conflict` declares a conflict of interest
    (the reviewer is recused). Another reviewer's review opens after the vote, with its total
    only."""

    serializer_class = TitleReviewSerializer
    filterset_class = ReviewFilter
    permission_classes = [permissions.IsAuthenticated]

    def base_queryset(self):
        return ReviewAssignment.objects.select_related(
            "application__level", "application__direction", "application__applicant",
            "expert")

    def get_queryset(self):
        queryset = super().get_queryset()
        scope = get_scope(self.request.user)
        if self.action == "list" and not (is_bureau(scope) or scope.is_municipal):
            queryset = queryset.filter(expert__user_id=self.request.user.pk)
        return queryset

    @extend_schema(request=TitleScoresSerializer, responses=TitleReviewSerializer)
    @action(detail=True, methods=["post"])
    def scores(self, request, pk=None):
        review = self.visible_object()
        if review.expert.user_id != request.user.pk:
            raise Http404
        payload = TitleScoresSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        review = panel_services.submit_scores(review, actor=request.user,
                                              scores=payload.validated_data["scores"],
                                              comment=payload.validated_data["comment"])
        return Response(self.get_serializer(review).data)

    @extend_schema(request=TitleConflictSerializer, responses=TitleReviewSerializer)
    @action(detail=True, methods=["post"])
    def conflict(self, request, pk=None):
        review = self.visible_object()
        if review.expert.user_id != request.user.pk:
            raise Http404
        payload = TitleConflictSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        panel_services.declare_conflict(review.application, actor=request.user,
                                        expert=review.expert,
                                        reason=payload.validated_data["reason"])
        review.refresh_from_db()
        return Response(self.get_serializer(review).data)


class TitleVerificationView(APIView):
    """Public: is this qualification number a title approved on the platform (404 unknown)?"""

    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []

    @extend_schema(responses={200: TitleVerificationSerializer,
                              404: TitleVerificationSerializer})
    def get(self, request, number):
        application = result_services.find_by_number(number)
        if application is None:
            return Response({"number": result_services.normalise_number(number)[:40],
                             "result": "unknown"}, status=status.HTTP_404_NOT_FOUND)
        found = result_services.verification(application)
        return Response(TitleVerificationSerializer(found).data)
