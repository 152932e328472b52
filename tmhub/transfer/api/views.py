"""Transfer endpoints: reads restricted like the UI, every write through transfer.services."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from tmhub.core import policies
from tmhub.core.access import VIEW, get_scope
from tmhub.core.api.pagination import CachedResultPagination
from tmhub.core.api.viewsets import RestrictedViewSetMixin
from tmhub.transfer import services
from tmhub.transfer.api.evidence import ProjectEvidenceActions
from tmhub.transfer.api.money import MONEY_PREFETCH, ContractMoneyActions, money_schema
from tmhub.transfer.api.search import TOKEN_SEARCH_BACKENDS
from tmhub.transfer.api.serializers import (
    AchievementSerializer,
    ActivitySerializer,
    ContractSerializer,
    DemandSerializer,
    ProjectSerializer,
    ReasonSerializer,
    RewardSplitSerializer,
    TransitionSerializer,
)
from tmhub.transfer.filters import (
    AchievementFilter,
    ContractFilter,
    DemandFilter,
    ProjectFilter,
    SplitFilter,
)
from tmhub.transfer.models import Achievement, Contract, Demand, Project, RewardSplit
from tmhub.transfer.rewards_engine import Person, Shares


class TransferViewSet(RestrictedViewSetMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin,
                      viewsets.ReadOnlyModelViewSet):
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def visible_object(self):
        """The record if the caller may see it (workflow steps then decide who may act)."""
        try:
            return self.base_queryset().restrict(self.request.user, VIEW).get(
                pk=self.kwargs["pk"])
        except (self.queryset.model.DoesNotExist, ValueError) as exc:
            raise Http404 from exc


class AchievementViewSet(TransferViewSet):
    """Achievements: published ones for everyone, confidential disclosures for insiders."""

    queryset = Achievement.objects.select_related("owner", "field", "discipline") \
        .prefetch_related("inventors", "ip_records")
    serializer_class = AchievementSerializer
    filterset_class = AchievementFilter
    filter_backends = TOKEN_SEARCH_BACKENDS
    pagination_class = CachedResultPagination  # the same searches again and again
    search_fields = ["title", "abstract", "keywords"]
    ordering_fields = ["published_at", "updated_at", "trl"]

    def base_queryset(self):
        # Whether the caller is an insider of each row, in the list's own query: the
        # serializer then shows inventors and terms without a query per row.
        return policies.policy_for(Achievement).with_internal(
            self.queryset.all(), get_scope(self.request.user))

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        inventors = data.pop("inventors", None)
        serializer.instance = services.create_achievement(
            actor=self.request.user, owner=data.pop("owner"), inventors=inventors, **data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("owner", None)
        inventors = data.pop("inventors", None)
        serializer.instance = services.update_achievement(
            serializer.instance, actor=self.request.user, inventors=inventors, **data)

    @extend_schema(request=None, responses=AchievementSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        achievement = services.publish_achievement(self.visible_object(), actor=request.user)
        return Response(self.get_serializer(achievement).data)

    @extend_schema(request=ReasonSerializer, responses=AchievementSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        payload = ReasonSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        achievement = services.withdraw_achievement(
            self.visible_object(), actor=request.user, reason=payload.validated_data["reason"])
        return Response(self.get_serializer(achievement).data)


class DemandViewSet(TransferViewSet):
    queryset = Demand.objects.select_related("organization", "field", "district")
    serializer_class = DemandSerializer
    filterset_class = DemandFilter
    filter_backends = TOKEN_SEARCH_BACKENDS
    pagination_class = CachedResultPagination  # the same searches again and again
    search_fields = ["title", "problem", "keywords"]

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.create_demand(
            actor=self.request.user, organization=data.pop("organization"), **data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("organization", None)
        serializer.instance = services.update_demand(serializer.instance,
                                                     actor=self.request.user, **data)

    @extend_schema(request=None, responses=DemandSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        demand = services.publish_demand(self.visible_object(), actor=request.user)
        return Response(self.get_serializer(demand).data)

    @extend_schema(request=ReasonSerializer, responses=DemandSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        payload = ReasonSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        demand = services.close_demand(self.visible_object(), actor=request.user,
                                       reason=payload.validated_data["reason"])
        return Response(self.get_serializer(demand).data)


class ProjectViewSet(ProjectEvidenceActions, TransferViewSet):
    """Projects with a `transition` (stage move), an `activities` and an `evidence` action."""

    queryset = Project.objects.select_related("institution").prefetch_related(
        "assignments__user", "achievements", "demands", "partners")
    serializer_class = ProjectSerializer
    filterset_class = ProjectFilter
    search_fields = ["title", "description"]

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("version", None)
        serializer.instance = services.create_project(
            actor=self.request.user, institution=data.pop("institution"), **data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("institution", None)
        version = data.pop("version", None)
        serializer.instance = services.update_project(
            serializer.instance, actor=self.request.user, expected_version=version, **data)

    @extend_schema(request=TransitionSerializer, responses=ProjectSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        payload = TransitionSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        project = services.move_project(
            self.visible_object(), payload.validated_data["target"], actor=request.user,
            reason=payload.validated_data["reason"],
            expected_version=payload.validated_data["version"],
            override=payload.validated_data["override"])
        return Response(self.get_serializer(project).data)

    @extend_schema(methods=["GET"], responses=ActivitySerializer(many=True),
                   description="The project's activities, newest first (at most 500).")
    @extend_schema(methods=["POST"], request=ActivitySerializer,
                   responses={201: ActivitySerializer})
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def activities(self, request, pk=None):
        project = self.visible_object()
        if request.method == "GET":
            rows = project.activities.all()[:500]
            return Response(ActivitySerializer(rows, many=True).data)
        payload = ActivitySerializer(data=request.data, context={"project": project})
        payload.is_valid(raise_exception=True)
        if not policies.allows(request.user, "record_activity", project):
            raise _forbidden()
        activity = services.record_activity(project, actor=request.user,
                                            **payload.validated_data)
        return Response(ActivitySerializer(activity).data, status=201)


def _forbidden():
    return ValidationError(_("You are not allowed to take this step."),
                           code="transition_forbidden")


@money_schema(ContractSerializer)
class ContractViewSet(ContractMoneyActions, TransferViewSet):
    """Contracts; receipts and costs are recorded and reversed through its actions
    (`tmhub.transfer.api.money`), never edited or deleted."""

    queryset = Contract.objects.select_related("institution", "project").prefetch_related(
        "parties__organization", *MONEY_PREFETCH)
    serializer_class = ContractSerializer
    filterset_class = ContractFilter
    search_fields = ["title", "number", "registration_number"]

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        parties = [(p["organization"], p["role"]) for p in data.pop("party_list", [])]
        serializer.instance = services.create_contract(
            actor=self.request.user, institution=data.pop("institution"),
            project=data.pop("project", None), parties=parties, **data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        party_list = data.pop("party_list", None)
        parties = None if party_list is None else [(p["organization"], p["role"])
                                                   for p in party_list]
        for name in ("institution", "project"):
            data.pop(name, None)
        serializer.instance = services.update_contract(serializer.instance,
                                                       actor=self.request.user, parties=parties,
                                                       **data)


class RewardSplitViewSet(TransferViewSet):
    """Reward splits: create a draft from a contract, approve to freeze it."""

    queryset = RewardSplit.objects.select_related("institution", "contract").prefetch_related(
        "allocations")
    serializer_class = RewardSplitSerializer
    filterset_class = SplitFilter
    http_method_names = ["get", "post", "head", "options"]

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        contract = data["contract"]  # restricted to contracts the caller may change
        shares = None
        if any(k in data for k in ("team_share", "office_share", "institution_share")):
            shares = Shares(data.get("team_share"), data.get("office_share"),
                            data.get("institution_share"))
        people = [Person(a["name"], a["contribution"]) for a in data["allocations"]]
        serializer.instance = services.create_split(
            actor=self.request.user, institution=contract.institution, contract=contract,
            transfer_mode=data.get("transfer_mode"), income_date=data["income_date"],
            amount_fen=data["amount_fen"], people=people, shares=shares,
            profit_year=data.get("profit_year"))

    @extend_schema(request=None, responses=RewardSplitSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        split = services.approve_split(self.visible_object(), actor=request.user)
        return Response(self.get_serializer(split).data)
