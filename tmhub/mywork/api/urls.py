"""The My work API (mounted under /api/v1/ by tmhub/api_urls.py)."""

from django.urls import path

from tmhub.mywork.api.views import IPDeadlinesView, MyItemsView, ReceivablesView

urlpatterns = [
    path("my/items/", MyItemsView.as_view(), name="my-items"),
    path("ip-deadlines/", IPDeadlinesView.as_view(), name="ip-deadlines"),
    path("receivables/", ReceivablesView.as_view(), name="receivables"),
]
