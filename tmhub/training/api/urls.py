from django.urls import path
from rest_framework.routers import SimpleRouter

from tmhub.training.api.views import (
    CertificateVerificationView,
    CertificateViewSet,
    CohortViewSet,
    CourseViewSet,
    EnrolmentViewSet,
)

router = SimpleRouter()
router.register("courses", CourseViewSet, basename="training-course")
router.register("cohorts", CohortViewSet, basename="training-cohort")
router.register("enrolments", EnrolmentViewSet, basename="training-enrolment")
router.register("certificates", CertificateViewSet, basename="training-certificate")
urlpatterns = [
    path("certificates/verify/<str:number>/", CertificateVerificationView.as_view(),
         name="training-certificate-verify"),
    *router.urls,
]
