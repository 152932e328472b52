"""The public certificate verification URL, mounted at /certificates/ by the project urls:
path("certificates/", include("tmhub.training.public_urls"))."""

from django.urls import path

from tmhub.training.views.certificates import certificate_verify

app_name = "certificates"

urlpatterns = [
    path("verify/<str:number>/", certificate_verify, name="verify"),
]
