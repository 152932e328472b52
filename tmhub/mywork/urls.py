"""The My work pages (mounted at /my/ in tmhub/urls.py)."""

from django.urls import path

from tmhub.mywork import views

app_name = "mywork"

urlpatterns = [
    path("", views.home, name="home"),
]
