"""The oversight endpoints: plans (tasks nested) and progress reports, read in the caller's
scope (tmhub.insights.policies)."""

from django.db.models import Prefetch
from rest_framework import permissions, viewsets

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
