from rest_framework.routers import SimpleRouter

from tmhub.orgs.api.views import (
    IdentityChangeRequestViewSet,
    OrganizationViewSet,
    RegistrationViewSet,
)

router = SimpleRouter()
router.register("organizations", OrganizationViewSet, basename="organization")
router.register("institution-registrations", RegistrationViewSet,
                basename="institution-registration")
router.register("identity-change-requests", IdentityChangeRequestViewSet,
                basename="identity-change-request")
urlpatterns = router.urls
