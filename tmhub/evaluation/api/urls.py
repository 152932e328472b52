"""The evaluation API (mounted under /api/v1/ by tmhub/api_urls.py)."""

from django.urls import path

from tmhub.evaluation.api.views import TitleEligibilityView

urlpatterns: list = [
    path("title-eligibility/", TitleEligibilityView.as_view(), name="evaluation-title-eligibility"),
]
