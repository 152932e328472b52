"""The oversight endpoints: plans (tasks nested) and progress reports, read in the caller's
scope (tmhub.insights.policies)."""

import datetime

from django.db.models import Prefetch
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import permissions, serializers, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from tmhub.core.api.viewsets import RestrictedViewSetMixin
from tmhub.insights.api.serializers import (
    MeetingSerializer,
    PlanSerializer,
    SupportPolicySerializer,
    TaskReportSerializer,
)
from tmhub.insights.filters import PolicyFilter
from tmhub.insights.models import (
    Meeting,
    Plan,
    PlanTask,
    SupportPolicy,
    TaskDepartment,
    TaskReport,
)


class PlanViewSet(RestrictedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Plans with their targets (and the platform's figure for each) and their key tasks and
    guarantee measures, each with the departments the plan names, in its order."""

    queryset = Plan.objects.prefetch_related(
        "targets__plan",
        Prefetch("tasks", queryset=PlanTask.objects.order_by("kind", "number").prefetch_related(
            Prefetch("departments", queryset=TaskDepartment.objects.order_by("position")))))
    serializer_class = PlanSerializer
    permission_classes = [permissions.IsAuthenticated]


class TaskReportViewSet(RestrictedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Progress reports the caller's department filed, or that reach it as the lead."""

    queryset = TaskReport.objects.select_related("task")
    serializer_class = TaskReportSerializer
    permission_classes = [permissions.IsAuthenticated]


class SupportPolicyViewSet(RestrictedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """The policy library: published city and district support policies (and, for the city and
    a district's officers, their drafts), filtered like the library page (`q`, `level`,
    `district` by code, `year`)."""

    queryset = SupportPolicy.objects.select_related("district").prefetch_related(
        "reward_rules", "title_rules")
    serializer_class = SupportPolicySerializer
    permission_classes = [permissions.AllowAny]
    filterset_class = PolicyFilter


class MeetingViewSet(RestrictedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Meetings of the joint conference with their agenda (decisions) and follow-up actions
    (owner department, due day, done), for the conference's members; `?plan=<id>`."""

    queryset = Meeting.objects.prefetch_related("agenda__task", "actions")
    serializer_class = MeetingSerializer
    permission_classes = [permissions.IsAuthenticated]
    filterset_fields = ["plan"]


_FIGURES = inline_serializer("AnnualReportFigure", many=True, fields={
    "key": serializers.CharField(), "label": serializers.CharField(),
    "value": serializers.FloatField(allow_null=True), "unit": serializers.CharField(),
    "section": serializers.CharField(), "note": serializers.CharField()})


class AnnualReportView(APIView):
    """Every figure of the annual statistical report (national format and AUTM key metrics)
    for `year` as the records stood at the end of `as_of` (default today), in the caller's
    scope; the joint conference's members only (others 404). The same report downloads as
    /insights/reports/annual.xlsx and .pdf with the same parameters."""

    permission_classes = [permissions.IsAuthenticated]
    not_found_for_others = True

    @extend_schema(
        parameters=[OpenApiParameter("year", OpenApiTypes.INT),
                    OpenApiParameter("as_of", OpenApiTypes.DATE)],
        responses=inline_serializer("AnnualReport", {
            "year": serializers.IntegerField(), "as_of": serializers.DateField(),
            "figures": _FIGURES}))
    def get(self, request):
        from tmhub.core.access import get_scope
        from tmhub.insights import annual
        from tmhub.insights.policies import is_conference_member

        scope = get_scope(request.user)
        if not is_conference_member(scope):
            raise Http404
        today = timezone.localdate()
        year = request.query_params.get("year") or str(today.year - 1)
        as_of = request.query_params.get("as_of") or today.isoformat()
        errors = {}
        if not (year.isdigit() and 2000 <= int(year) <= today.year):
            errors["year"] = [_("A year from 2000 to %(year)s.") % {"year": today.year}]
        try:
            as_of = datetime.date.fromisoformat(as_of)
        except ValueError:
            errors["as_of"] = [_("A date as YYYY-MM-DD.")]
        else:
            if as_of > today:
                errors["as_of"] = [_("Not after today.")]
        if errors:
            raise serializers.ValidationError(errors)
        year = int(year)
        return Response(annual.build(year, as_of, scope).as_dict())
