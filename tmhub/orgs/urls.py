from django.urls import path

from tmhub.orgs import views

app_name = "orgs"

urlpatterns = [
    path("", views.OrganizationListView.as_view(), name="organization-list"),
    path("new/", views.organization_create, name="organization-create"),
    path("<int:pk>/", views.organization_detail, name="organization-detail"),
    path("<int:pk>/edit/", views.organization_edit, name="organization-edit"),
    path("<int:org_pk>/register/", views.registration_create, name="registration-create"),
    path("registrations/", views.RegistrationListView.as_view(), name="registration-list"),
    path("registrations/<int:pk>/", views.registration_detail, name="registration-detail"),
    path("registrations/<int:pk>/edit/", views.registration_edit, name="registration-edit"),
    path("registrations/<int:pk>/to/<slug:target>/", views.registration_transition,
         name="registration-transition"),
]
