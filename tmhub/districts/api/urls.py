"""The districts API (mounted under /api/v1/ by tmhub/api_urls.py)."""

from rest_framework.routers import SimpleRouter

from tmhub.districts.api.views import (
    CommissionerPostViewSet,
    LandingViewSet,
    LiaisonAgreementViewSet,
    MatchEventViewSet,
)

router = SimpleRouter()
router.register("liaison-agreements", LiaisonAgreementViewSet, basename="districts-agreement")
router.register("commissioner-posts", CommissionerPostViewSet, basename="districts-post")
router.register("events", MatchEventViewSet, basename="districts-event")
router.register("landings", LandingViewSet, basename="districts-landing")
urlpatterns = router.urls
