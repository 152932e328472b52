"""The network pages (mounted at /network/ in tmhub/urls.py)."""

from django.urls import path

from tmhub.network import views

app_name = "network"

urlpatterns = [
    path("", views.DirectoryView.as_view(), name="home"),
    path("providers/<int:pk>/", views.provider_detail, name="provider-detail"),
    path("services/", views.ServiceListView.as_view(), name="service-list"),
    path("services/new/", views.service_create, name="service-create"),
    path("services/<int:pk>/", views.service_detail, name="service-detail"),
    path("services/<int:pk>/edit/", views.service_edit, name="service-edit"),
    path("services/<int:pk>/step/<slug:target>/", views.service_step, name="service-step"),
]
