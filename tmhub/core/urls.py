from django.urls import path

from tmhub.core import health, notification_views, search_views, views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("notifications/", notification_views.notification_list, name="notifications"),
    path("notifications/read/", notification_views.notification_mark_read,
         name="notifications-read"),
    path("notifications/preferences/", notification_views.notification_preferences,
         name="notification-preferences"),
    path("my-work-badge/", views.my_work_badge, name="my-work-badge"),
    path("imports/", views.import_list, name="import-list"),
    path("imports/<int:pk>/", views.import_detail, name="import-detail"),
    path("imports/<int:pk>/commit/", views.import_commit, name="import-commit"),
    path("imports/new/<slug:kind>/", views.import_new, name="import-new"),
    path("imports/template/<slug:kind>/", views.import_template, name="import-template"),
    # JSON lookups of the searchable selects (tmhub.core.widgets.RemoteSelect)
    path("lookup/disciplines/", search_views.disciplines, name="lookup-disciplines"),
    path("lookup/organizations/", search_views.organizations, name="lookup-organizations"),
    path("lookup/managers/", search_views.managers, name="lookup-managers"),
]
