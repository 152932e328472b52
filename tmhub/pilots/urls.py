"""The pilots pages (mounted at /pilots/ in tmhub/urls.py)."""

from django.urls import path

from tmhub.pilots import views
from tmhub.pilots.views import programmes

app_name = "pilots"

urlpatterns = [
    path("", views.PilotListView.as_view(), name="home"),
    path("new/", views.pilot_create, name="create"),
    path("<int:pk>/", views.pilot_detail, name="detail"),
    path("<int:pk>/kpis/", views.kpi_add, name="kpi-add"),
    path("<int:pk>/contracts/", views.contract_link, name="contract-link"),
    path("<int:pk>/assign/", views.assign, name="assign"),
    path("<int:pk>/step/", views.pilot_step, name="step"),
    path("<int:pk>/stage-due/", views.stage_due, name="stage-due"),
    path("<int:pk>/reports/new/", views.report_create, name="report-create"),
    path("kpis/<int:pk>/report/", views.kpi_report, name="kpi-report"),
    path("assignments/<int:pk>/end/", views.assignment_end, name="assignment-end"),
    path("reports/<int:pk>/", views.report_detail, name="report"),
    path("reports/<int:pk>/step/", views.report_step, name="report-step"),
    path("programmes/", programmes.ProgrammeListView.as_view(), name="programmes"),
    path("programmes/new/", programmes.programme_create, name="programme-create"),
    path("programmes/<int:pk>/", programmes.programme_detail, name="programme"),
    path("programmes/<int:pk>/officers/", programmes.officer_add, name="officer-add"),
    path("programmes/<int:pk>/officers/remove/", programmes.officer_remove,
         name="officer-remove"),
]
