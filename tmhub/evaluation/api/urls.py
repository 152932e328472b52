"""The evaluation API (mounted under /api/v1/ by tmhub/api_urls.py)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from tmhub.evaluation.api.views import TitleEligibilityView
from tmhub.evaluation.api.views_cases import TransferCaseViewSet
from tmhub.evaluation.api.views_ratings import (
    IndicatorSystemViewSet,
    RatingRoundViewSet,
    RatingViewSet,
)
from tmhub.evaluation.api.views_round import (
    TitleApplicationViewSet,
    TitlePanelViewSet,
    TitleReviewViewSet,
    TitleVerificationView,
)

router = SimpleRouter()
router.register("title-applications", TitleApplicationViewSet, basename="title-application")
router.register("title-panels", TitlePanelViewSet, basename="title-panel")
router.register("title-reviews", TitleReviewViewSet, basename="title-review")
router.register("indicator-systems", IndicatorSystemViewSet, basename="indicator-system")
router.register("rating-rounds", RatingRoundViewSet, basename="rating-round")
router.register("ratings", RatingViewSet, basename="rating")
router.register("cases", TransferCaseViewSet, basename="case")

urlpatterns: list = [
    path("title-eligibility/", TitleEligibilityView.as_view(), name="evaluation-title-eligibility"),
    path("title-certificates/verify/<str:number>/", TitleVerificationView.as_view(),
         name="evaluation-title-verify"),
    *router.urls,
]
