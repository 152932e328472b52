from rest_framework.routers import SimpleRouter

from tmhub.talent.api.credentials import CredentialViewSet
from tmhub.talent.api.views import ManagerViewSet, RegistrationViewSet

router = SimpleRouter()
router.register("managers", ManagerViewSet, basename="manager")
router.register("registrations", RegistrationViewSet, basename="registration")
router.register("credentials", CredentialViewSet, basename="credential")
urlpatterns = router.urls
