from django.urls import path

from tmhub.matching.api import views

urlpatterns = [
    path("matches/achievements-for-demand/<int:demand_pk>/", views.AchievementsForDemand.as_view(),
         name="match-achievements-for-demand"),
    path("matches/demands-for-achievement/<int:achievement_pk>/",
         views.DemandsForAchievement.as_view(), name="match-demands-for-achievement"),
    path("matches/managers-for-project/<int:project_pk>/", views.ManagersForProject.as_view(),
         name="match-managers-for-project"),
    path("matches/providers-for-need/", views.ProvidersForNeed.as_view(),
         name="match-providers-for-need"),
]
