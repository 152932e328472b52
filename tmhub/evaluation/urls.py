"""The evaluation pages (mounted at /evaluation/ in tmhub/urls.py)."""

from django.urls import path

from tmhub.evaluation.views import titles

app_name = "evaluation"

urlpatterns: list = [
    path("", titles.home, name="home"),
]
