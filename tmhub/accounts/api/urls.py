from django.urls import path

from tmhub.accounts.api import views

urlpatterns = [
    path("auth/token/", views.TokenView.as_view(), name="api-token"),
    path("me/", views.me, name="api-me"),
]
