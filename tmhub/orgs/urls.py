from django.urls import path

from tmhub.orgs import change_request_views, views

app_name = "orgs"

urlpatterns = [
    path("", views.OrganizationListView.as_view(), name="organization-list"),
    path("new/", views.organization_create, name="organization-create"),
    path("<int:pk>/", views.organization_detail, name="organization-detail"),
    path("<int:pk>/edit/", views.organization_edit, name="organization-edit"),
    path("<int:org_pk>/register/", views.registration_create, name="registration-create"),
    path("<int:org_pk>/identity-change/", change_request_views.identity_change_create,
         name="identity-change-create"),
    path("identity-changes/", change_request_views.identity_change_list,
         name="identity-change-list"),
    path("identity-changes/<int:pk>/", change_request_views.identity_change_detail,
         name="identity-change-detail"),
    path("identity-changes/<int:pk>/to/<slug:target>/",
         change_request_views.identity_change_transition, name="identity-change-transition"),
    path("registrations/", views.RegistrationListView.as_view(), name="registration-list"),
    path("registrations/<int:pk>/", views.registration_detail, name="registration-detail"),
    path("registrations/<int:pk>/edit/", views.registration_edit, name="registration-edit"),
    path("registrations/<int:pk>/to/<slug:target>/", views.registration_transition,
         name="registration-transition"),
]
