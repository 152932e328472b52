"""The My work pages (mounted at /my/ in tmhub/urls.py)."""

from django.urls import path

from tmhub.mywork import views, views_deadlines

app_name = "mywork"

urlpatterns = [
    path("", views.home, name="home"),
    path("patents/", views_deadlines.patents_home, name="patents-home"),
    path("patents/<int:org_pk>/", views_deadlines.patents_portfolio, name="patents"),
    path("patents/ip/<int:pk>/pay/", views_deadlines.fee_pay, name="fee-pay"),
    path("receivables/", views_deadlines.receivables_view, name="receivables"),
]
