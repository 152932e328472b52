from django.urls import path

from tmhub.matching import views

app_name = "matching"

urlpatterns = [
    path("demands/<int:demand_pk>/achievements/", views.achievements_for_demand,
         name="achievements-for-demand"),
    path("achievements/<int:achievement_pk>/demands/", views.demands_for_achievement,
         name="demands-for-achievement"),
    path("projects/<int:project_pk>/managers/", views.managers_for_project,
         name="managers-for-project"),
    path("providers/", views.providers_for_need, name="providers-for-need"),
    path("demands/<int:demand_pk>/achievements/<int:achievement_pk>/introduce/",
         views.request_introduction, name="request-introduction"),
]
