"""The evaluation pages (mounted at /evaluation/ in tmhub/urls.py)."""

from django.urls import path

from tmhub.evaluation.urls_cases import urlpatterns as case_urlpatterns
from tmhub.evaluation.urls_ratings import urlpatterns as rating_urlpatterns
from tmhub.evaluation.urls_spotlight import urlpatterns as spotlight_urlpatterns
from tmhub.evaluation.views import applications, panels, results, titles, works

app_name = "evaluation"

urlpatterns: list = [
    path("", titles.home, name="home"),
    path("applications/", applications.ApplicationListView.as_view(),
         name="application-list"),
    path("applications/new/", applications.application_create, name="application-create"),
    path("applications/<int:pk>/", applications.application_detail,
         name="application-detail"),
    path("applications/<int:pk>/edit/", applications.application_edit,
         name="application-edit"),
    path("applications/<int:pk>/step/<str:target>/", applications.application_step,
         name="application-step"),
    path("applications/<int:pk>/return/", applications.application_return,
         name="application-return"),
    path("applications/<int:pk>/vote/", applications.application_vote,
         name="application-vote"),
    path("applications/<int:pk>/objections/new/", applications.objection_create,
         name="objection-create"),
    path("objections/<int:pk>/resolve/", applications.objection_resolve,
         name="objection-resolve"),
    path("applications/<int:pk>/revoke/", applications.application_revoke,
         name="application-revoke"),
    path("applications/<int:pk>/works/new/", works.work_add, name="work-add"),
    path("applications/<int:pk>/dossier.pdf", works.application_dossier,
         name="application-dossier"),
    path("works/<int:pk>/remove/", works.work_remove, name="work-remove"),
    path("works/<int:pk>/evidence/", works.work_evidence, name="work-evidence"),
    path("applications/<int:pk>/assign/", panels.application_assign,
         name="application-assign"),
    path("applications/<int:pk>/conflicts/new/", panels.application_conflict,
         name="application-conflict"),
    path("experts/", panels.ExpertListView.as_view(), name="expert-list"),
    path("experts/new/", panels.expert_create, name="expert-create"),
    path("panels/", panels.PanelListView.as_view(), name="panel-list"),
    path("panels/new/", panels.panel_create, name="panel-create"),
    path("panels/<int:pk>/", panels.panel_detail, name="panel-detail"),
    path("panel-members/<int:pk>/remove/", panels.member_remove, name="member-remove"),
    path("reviews/", panels.ReviewListView.as_view(), name="review-list"),
    path("reviews/<int:pk>/", panels.review_detail, name="review-detail"),
    path("reviews/<int:pk>/conflict/", panels.review_conflict, name="review-conflict"),
    path("notices/", results.notice_list, name="notice-list"),
    path("verify/", results.title_lookup, name="title-lookup"),
    path("verify/<path:number>/", results.title_verify, name="title-verify"),
    path("pass-rates/", results.pass_rates, name="pass-rates"),
    path("rounds/new/", applications.round_create, name="round-create"),
    *rating_urlpatterns,
    *case_urlpatterns,
    *spotlight_urlpatterns,
]
