"""Top-level URL map: the web UI under language-neutral paths, the API under /api/."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from tmhub.core.notification_views import set_language

urlpatterns = [
    path("", include("tmhub.core.urls")),
    path("accounts/", include("tmhub.accounts.urls")),
    path("orgs/", include("tmhub.orgs.urls")),
    path("talent/", include("tmhub.talent.urls")),
    path("training/", include("tmhub.training.urls")),
    path("certificates/", include("tmhub.training.public_urls")),
    path("transfer/", include("tmhub.transfer.urls")),
    path("matching/", include("tmhub.matching.urls")),
    path("network/", include("tmhub.network.urls")),
    path("pilots/", include("tmhub.pilots.urls")),
    path("districts/", include("tmhub.districts.urls")),
    path("evaluation/", include("tmhub.evaluation.urls")),
    path("insights/", include("tmhub.insights.urls")),
    path("my/", include("tmhub.mywork.urls")),
    # The language switch also saves a signed-in person's preferred language (notifications).
    path("i18n/setlang/", set_language, name="set_language"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("tmhub.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its start-up script as a file (no inline script: the CSP).
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]
