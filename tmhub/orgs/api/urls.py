from rest_framework.routers import SimpleRouter

from tmhub.orgs.api.views import OrganizationViewSet, RegistrationViewSet

router = SimpleRouter()
router.register("organizations", OrganizationViewSet, basename="organization")
router.register("institution-registrations", RegistrationViewSet,
                basename="institution-registration")
urlpatterns = router.urls
