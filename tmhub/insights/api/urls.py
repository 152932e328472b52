"""The insights API (mounted under /api/v1/ by tmhub/api_urls.py)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from tmhub.insights.api.views import (
    AnnualReportView,
    MeetingViewSet,
    PlanViewSet,
    SupportPolicyViewSet,
    TaskReportViewSet,
)

router = SimpleRouter()
router.register("plans", PlanViewSet, basename="insights-plan")
router.register("conference-meetings", MeetingViewSet, basename="insights-meeting")
router.register("support-policies", SupportPolicyViewSet, basename="insights-policy")
router.register("task-reports", TaskReportViewSet, basename="insights-task-report")

urlpatterns = [*router.urls,
               path("reports/annual/", AnnualReportView.as_view(), name="insights-annual-report")]
