"""The My work API (mounted under /api/v1/ by tmhub/api_urls.py)."""

from django.urls import path

from tmhub.mywork.api.views import MyItemsView

urlpatterns = [
    path("my/items/", MyItemsView.as_view(), name="my-items"),
]
