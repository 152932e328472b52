"""The public certificate verification URL, mounted at /certificates/ by the project urls:
path("certificates/", include("tmhub.training.public_urls"))."""

from django.urls import path

from tmhub.training.views.certificates import certificate_verify

app_name = "certificates"

urlpatterns = [
    # <path:…>: a number with "/" gets the "no such certificate" page, not a bare 404.
    path("verify/<path:number>/", certificate_verify, name="verify"),
]
