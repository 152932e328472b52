"""The case library's pages (issue 17 item 5), under /evaluation/cases/ in the evaluation
namespace (tmhub.evaluation.urls adds them): the public library, then the staff pages."""

from django.urls import path

from tmhub.evaluation.views import cases as c

urlpatterns: list = [
    path("cases/", c.CaseListView.as_view(), name="case-list"),
    path("cases/<int:pk>/", c.case_detail, name="case-detail"),
    path("cases/manage/", c.CaseManageListView.as_view(), name="case-manage-list"),
    path("cases/manage/new/", c.case_create, name="case-create"),
    path("cases/manage/<int:pk>/", c.case_manage_detail, name="case-manage-detail"),
    path("cases/manage/<int:pk>/edit/", c.case_edit, name="case-edit"),
    path("cases/manage/<int:pk>/refresh/", c.case_refresh, name="case-refresh"),
    path("cases/manage/<int:pk>/step/<str:target>/", c.case_step, name="case-step"),
    path("cases/manage/<int:pk>/consents/new/", c.case_consent, name="case-consent"),
    path("cases/consents/<int:pk>/evidence/", c.consent_evidence,
         name="case-consent-evidence"),
]
