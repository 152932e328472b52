"""The network pages (mounted at /network/ in tmhub/urls.py)."""

from django.urls import path

from tmhub.network import views, views_collaborations, views_financing, views_needs

app_name = "network"

urlpatterns = [
    path("", views.DirectoryView.as_view(), name="home"),
    path("providers/<int:pk>/", views.provider_detail, name="provider-detail"),
    path("services/", views.ServiceListView.as_view(), name="service-list"),
    path("services/new/", views.service_create, name="service-create"),
    path("services/<int:pk>/", views.service_detail, name="service-detail"),
    path("services/<int:pk>/edit/", views.service_edit, name="service-edit"),
    path("services/<int:pk>/step/<slug:target>/", views.service_step, name="service-step"),
    path("needs/", views_needs.NeedListView.as_view(), name="need-list"),
    path("needs/new/", views_needs.need_create, name="need-create"),
    path("needs/<int:pk>/", views_needs.need_detail, name="need-detail"),
    path("needs/<int:pk>/edit/", views_needs.need_edit, name="need-edit"),
    path("needs/<int:pk>/introduce/", views_needs.need_introduce, name="need-introduce"),
    path("needs/<int:pk>/step/<slug:target>/", views_needs.need_step, name="need-step"),
    path("introductions/", views_needs.IntroductionListView.as_view(),
         name="introduction-list"),
    path("introductions/<int:pk>/", views_needs.introduction_detail,
         name="introduction-detail"),
    path("introductions/<int:pk>/step/<slug:target>/", views_needs.introduction_step,
         name="introduction-step"),
    path("introductions/<int:introduction_pk>/collaboration/",
         views_collaborations.collaboration_create, name="collaboration-create"),
    path("collaborations/", views_collaborations.CollaborationListView.as_view(),
         name="collaboration-list"),
    path("collaborations/<int:pk>/", views_collaborations.collaboration_detail,
         name="collaboration-detail"),
    path("collaborations/<int:pk>/edit/", views_collaborations.collaboration_edit,
         name="collaboration-edit"),
    path("collaborations/<int:pk>/step/<slug:target>/", views_collaborations.collaboration_step,
         name="collaboration-step"),
    path("collaborations/<int:pk>/rate/", views_collaborations.collaboration_rate,
         name="collaboration-rate"),
    path("collaborations/<int:pk>/documents/", views_collaborations.document_add,
         name="collaboration-document-add"),
    path("documents/<int:pk>/", views_collaborations.document_download,
         name="collaboration-document"),
    path("financing/", views_financing.FinancingListView.as_view(), name="financing-list"),
    path("financing/new/", views_financing.financing_create, name="financing-create"),
    path("financing/<int:pk>/", views_financing.financing_detail, name="financing-detail"),
    path("financing/<int:pk>/step/<slug:target>/", views_financing.financing_step,
         name="financing-step"),
    path("financing/<int:pk>/reverse/", views_financing.financing_reverse,
         name="financing-reverse"),
    path("projects/<int:pk>/", views_financing.project_network, name="project"),
    path("coverage/", views.coverage, name="coverage"),
]
