"""/api/v1/: one router, each app registering its viewsets in its own api/urls.py."""

from django.urls import include, path

urlpatterns = [
    path("", include("tmhub.accounts.api.urls")),
    path("", include("tmhub.orgs.api.urls")),
    path("", include("tmhub.talent.api.urls")),
    path("", include("tmhub.training.api.urls")),
    path("", include("tmhub.transfer.api.urls")),
    path("", include("tmhub.matching.api.urls")),
    path("", include("tmhub.network.api.urls")),
    path("", include("tmhub.pilots.api.urls")),
    path("", include("tmhub.districts.api.urls")),
    path("", include("tmhub.evaluation.api.urls")),
    path("", include("tmhub.insights.api.urls")),
    path("", include("tmhub.mywork.api.urls")),
]
