"""The oversight endpoints: plans (tasks nested) and progress reports, read in the caller's
scope (tmhub.insights.policies)."""

from django.db.models import Prefetch
from rest_framework import permissions, viewsets

from tmhub.core.api.viewsets import RestrictedViewSetMixin
from tmhub.insights.api.serializers import PlanSerializer, TaskReportSerializer
from tmhub.insights.models import Plan, PlanTask, TaskDepartment, TaskReport


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
