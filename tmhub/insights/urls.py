"""The insights pages (mounted at /insights/ in tmhub/urls.py)."""

from django.urls import path

from tmhub.insights import (
    views,
    views_annual,
    views_conference,
    views_dashboard,
    views_policies,
)

app_name = "insights"

urlpatterns: list = [
    path("", views.home, name="home"),
    path("plans/new/", views.plan_create, name="plan-create"),
    path("plans/<int:pk>/", views.plan_detail, name="plan-detail"),
    path("plans/<int:pk>/targets/new/", views.target_create, name="target-create"),
    path("tasks/<int:pk>/", views.task_detail, name="task-detail"),
    path("tasks/<int:pk>/reports/new/", views.report_create, name="report-create"),
    path("reports/<int:pk>/", views.report_detail, name="report-detail"),
    path("reports/<int:pk>/edit/", views.report_edit, name="report-edit"),
    path("reports/<int:pk>/submit/", views.report_submit, name="report-submit"),
    path("reports/<int:pk>/review/", views.report_review, name="report-review"),
    path("plans/<int:pk>/dashboard/", views_dashboard.plan_dashboard, name="dashboard"),
    path("plans/<int:pk>/dashboard/<slug:chart>.xlsx", views_dashboard.dashboard_export,
         name="dashboard-export"),
    path("plans/<int:pk>/dashboard/<slug:chart>/", views_dashboard.dashboard_drill,
         name="dashboard-drill"),
    path("reports/annual/", views_annual.annual_report, name="annual-report"),
    path("reports/annual.xlsx", views_annual.annual_xlsx, name="annual-xlsx"),
    path("reports/annual.pdf", views_annual.annual_pdf, name="annual-pdf"),
    path("plans/<int:pk>/conference/", views_conference.conference, name="conference"),
    path("plans/<int:pk>/meetings/new/", views_conference.meeting_create,
         name="meeting-create"),
    path("meetings/<int:pk>/", views_conference.meeting_detail, name="meeting-detail"),
    path("meetings/<int:pk>/agenda/", views_conference.agenda_add, name="agenda-add"),
    path("meetings/<int:pk>/actions/", views_conference.action_add, name="action-add"),
    path("actions/<int:pk>/done/", views_conference.action_complete, name="action-complete"),
    path("policies/", views_policies.PolicyListView.as_view(), name="policy-list"),
    path("policies/new/", views_policies.policy_create, name="policy-create"),
    path("policies/<int:pk>/", views_policies.policy_detail, name="policy-detail"),
    path("policies/<int:pk>/edit/", views_policies.policy_edit, name="policy-edit"),
    path("policies/<int:pk>/publish/", views_policies.policy_publish, name="policy-publish"),
    path("policies/<int:pk>/withdraw/", views_policies.policy_withdraw,
         name="policy-withdraw"),
    path("policies/district/<str:code>/", views_policies.DistrictPolicyListView.as_view(),
         name="policy-district"),
]
