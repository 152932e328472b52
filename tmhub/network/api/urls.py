"""The network API (mounted under /api/v1/ by tmhub/api_urls.py)."""

from rest_framework.routers import SimpleRouter

from tmhub.network.api.views import ProviderViewSet

router = SimpleRouter()
router.register("providers", ProviderViewSet, basename="network-provider")
urlpatterns = [*router.urls]
