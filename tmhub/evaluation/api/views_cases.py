"""The case library's API (issue 17 item 5): /api/v1/cases/. Published cases are public
(without the figures they withhold); drafts and cases under review are read by their editors
(the owner institution's administrators, the project's managers, the drafter) and the city.
POST drafts a case from a project; PATCH edits a draft or returned case; `transition`
(`{target, reason}`) takes a workflow step; `refresh` reads the records again; `consents`
records a party's consent. The same services and policies as the pages."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from tmhub.core import policies
from tmhub.core.access import VIEW
from tmhub.core.api.viewsets import RestrictedViewSetMixin
from tmhub.core.forms_errors import field_error
from tmhub.evaluation.api.serializers_cases import (
    CaseConsentRequestSerializer,
    CaseConsentSerializer,
    CaseDraftRequestSerializer,
    CaseNarrativeSerializer,
    CaseTransitionRequestSerializer,
    TransferCaseDetailSerializer,
    TransferCaseSerializer,
)
from tmhub.evaluation.api.views_round import _Visible
from tmhub.evaluation.filters_cases import CaseManageFilter
from tmhub.evaluation.models import TransferCase
from tmhub.evaluation.services import cases as services


class TransferCaseViewSet(_Visible, RestrictedViewSetMixin, mixins.CreateModelMixin,
                          viewsets.ReadOnlyModelViewSet):
    """Typical cases the caller may read: the published ones for everyone, their own drafts
    and reviews for the editors and the city."""

    filterset_class = CaseManageFilter
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def base_queryset(self):
        return TransferCase.objects.select_related("institution", "field").order_by(
            "-published_at", "-updated_at", "-id")

    def get_queryset(self):
        # Reads and the steps alike start from what the caller may see; the services decide
        # who may act (a refused step answers 404, as a missing case).
        return self.base_queryset().restrict(self.request.user, VIEW)

    def get_serializer_class(self):
        if self.action == "create":
            return CaseDraftRequestSerializer
        if self.action == "partial_update":
            return CaseNarrativeSerializer
        return TransferCaseSerializer if self.action == "list" else TransferCaseDetailSerializer

    def _answer(self, case, code=status.HTTP_200_OK):
        case = self.base_queryset().get(pk=case.pk)
        return Response(TransferCaseDetailSerializer(case, context=self.get_serializer_context())
                        .data, status=code)

    @extend_schema(request=CaseDraftRequestSerializer,
                   responses={201: TransferCaseDetailSerializer})
    def create(self, request, *args, **kwargs):
        from tmhub.transfer.models import Project

        payload = CaseDraftRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        project = Project.objects.restrict(request.user, VIEW).filter(
            pk=data.pop("project")).first()
        if project is None:
            raise field_error("project", _("No such project."), "project_unknown")
        case = services.draft_case(actor=request.user, project=project, **data)
        return self._answer(case, status.HTTP_201_CREATED)

    @extend_schema(request=CaseNarrativeSerializer, responses=TransferCaseDetailSerializer)
    def partial_update(self, request, *args, **kwargs):
        case = self.visible_object()
        if not policies.allows(request.user, "edit", case):
            raise Http404
        payload = CaseNarrativeSerializer(case, data=request.data, partial=True)
        payload.is_valid(raise_exception=True)
        return self._answer(services.update_case(case, actor=request.user,
                                                 **payload.validated_data))

    @extend_schema(request=CaseTransitionRequestSerializer,
                   responses=TransferCaseDetailSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        case = self.visible_object()
        if not policies.allows(request.user, "see_withheld", case):
            raise Http404
        payload = CaseTransitionRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        return self._answer(services.step_case(case, payload.validated_data["target"],
                                               actor=request.user,
                                               reason=payload.validated_data["reason"]))

    @extend_schema(request=None, responses=TransferCaseDetailSerializer)
    @action(detail=True, methods=["post"])
    def refresh(self, request, pk=None):
        case = self.visible_object()
        if not policies.allows(request.user, "edit", case):
            raise Http404
        return self._answer(services.refresh_facts(case, actor=request.user))

    @extend_schema(request=CaseConsentRequestSerializer,
                   responses={201: CaseConsentSerializer})
    @action(detail=True, methods=["post"])
    def consents(self, request, pk=None):
        from tmhub.orgs.models import Organization

        case = self.visible_object()
        if not policies.allows(request.user, "record_consent", case):
            raise Http404
        payload = CaseConsentRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        consent = services.record_consent(
            case, actor=request.user, party=Organization.objects.filter(pk=data["party"]).first(),
            consented_by=data["consented_by"], consented_on=data["consented_on"],
            note=data["note"])
        return Response(CaseConsentSerializer(consent).data, status=status.HTTP_201_CREATED)
