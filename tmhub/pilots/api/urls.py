"""The pilots API (mounted under /api/v1/ by tmhub/api_urls.py)."""

from rest_framework.routers import SimpleRouter

from tmhub.pilots.api.views import PilotViewSet

router = SimpleRouter()
router.register("pilots", PilotViewSet, basename="pilot")
urlpatterns = router.urls
