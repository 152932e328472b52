from django.urls import path
from rest_framework.routers import SimpleRouter

from tmhub.accounts.api import views

router = SimpleRouter()
router.register("auth/tokens", views.ApiTokenViewSet, basename="api-tokens")

urlpatterns = [
    path("auth/token/", views.TokenView.as_view(), name="api-token"),
    path("me/", views.me, name="api-me"),
    *router.urls,
]
