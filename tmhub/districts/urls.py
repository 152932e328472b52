"""The districts pages (mounted at /districts/ in tmhub/urls.py)."""

from django.urls import path

from tmhub.districts import views, views_chain

app_name = "districts"

urlpatterns = [
    path("", views.home, name="home"),
    path("agreements/", views.AgreementList.as_view(), name="agreement_list"),
    path("agreements/new/", views.agreement_create, name="agreement_create"),
    path("agreements/<int:pk>/", views.agreement_detail, name="agreement_detail"),
    path("agreements/<int:pk>/renew/", views.agreement_renew, name="agreement_renew"),
    path("posts/", views.PostList.as_view(), name="post_list"),
    path("posts/new/", views.post_create, name="post_create"),
    path("posts/<int:pk>/", views.post_detail, name="post_detail"),
    path("posts/<int:pk>/publish/", views.post_publish, name="post_publish"),
    path("posts/<int:pk>/apply/", views.post_apply, name="post_apply"),
    path("posts/<int:pk>/appoint/", views.post_appoint, name="post_appoint"),
    path("events/", views.EventList.as_view(), name="event_list"),
    path("events/new/", views.event_create, name="event_create"),
    path("events/<int:pk>/", views.event_detail, name="event_detail"),
    path("events/<int:pk>/register/", views.event_register, name="event_register"),
    path("events/<int:pk>/attendance/", views.event_attendance, name="event_attendance"),
    path("events/<int:pk>/follow-ups/", views.event_follow_up, name="event_follow_up"),
    path("landings/", views.LandingList.as_view(), name="landing_list"),
    path("landings/new/", views.landing_create, name="landing_create"),
    path("landings/<int:pk>/", views.landing_detail, name="landing_detail"),
    path("<str:code>/", views.district_detail, name="district_detail"),
    path("<str:code>/chain/<slug:step>/", views_chain.DistrictChainList.as_view(), name="chain"),
]
