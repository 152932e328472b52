"""The network API (mounted under /api/v1/ by tmhub/api_urls.py)."""

from rest_framework.routers import SimpleRouter

from tmhub.network.api.views import (
    CollaborationViewSet,
    FinancingViewSet,
    ProviderViewSet,
    ServiceNeedViewSet,
)

router = SimpleRouter()
router.register("providers", ProviderViewSet, basename="network-provider")
router.register("service-needs", ServiceNeedViewSet, basename="network-need")
router.register("collaborations", CollaborationViewSet, basename="network-collaboration")
router.register("financings", FinancingViewSet, basename="network-financing")
urlpatterns = [*router.urls]
