"""The My work pages (mounted at /my/ in tmhub/urls.py)."""

from django.urls import path

from tmhub.mywork import views, views_deadlines, views_reminders, views_royalties

app_name = "mywork"

urlpatterns = [
    path("", views.home, name="home"),
    path("patents/", views_deadlines.patents_home, name="patents-home"),
    path("patents/<int:org_pk>/", views_deadlines.patents_portfolio, name="patents"),
    path("patents/ip/<int:pk>/pay/", views_deadlines.fee_pay, name="fee-pay"),
    path("patents/fees/<int:pk>/reverse/", views_deadlines.fee_reverse, name="fee-reverse"),
    path("patents/ip/<int:pk>/status/", views_deadlines.ip_status, name="ip-status"),
    path("royalties/", views_royalties.royalty_list, name="royalties"),
    path("royalties/<int:pk>/", views_royalties.royalty_contract, name="royalty-contract"),
    path("royalties/reports/<int:pk>/reverse/", views_royalties.royalty_reverse,
         name="royalty-reverse"),
    path("receivables/", views_deadlines.receivables_view, name="receivables"),
    path("settings/", views_reminders.settings_view, name="settings"),
    path("settings/calendar/", views_reminders.calendar_reset, name="calendar-reset"),
    path("calendar/<str:key>.ics", views_reminders.calendar_feed, name="calendar"),
]
