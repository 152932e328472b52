from rest_framework.routers import SimpleRouter

from tmhub.talent.api.views import ManagerViewSet, RegistrationViewSet

router = SimpleRouter()
router.register("managers", ManagerViewSet, basename="manager")
router.register("registrations", RegistrationViewSet, basename="registration")
urlpatterns = router.urls
