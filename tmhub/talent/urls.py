from django.urls import path

from tmhub.talent import views, views_credentials, views_work

app_name = "talent"

urlpatterns = [
    path("", views.DirectoryView.as_view(), name="directory"),
    path("join/", views.signup, name="signup"),
    path("me/", views.my_profile, name="my-profile"),
    path("managers/<int:pk>/", views.manager_detail, name="manager-detail"),
    path("managers/<int:pk>/edit/", views.manager_edit, name="manager-edit"),
    path("managers/<int:pk>/photo/", views.manager_photo, name="manager-photo"),
    path("managers/<int:pk>/reveal-id/", views.manager_reveal_id, name="manager-reveal-id"),
    path("managers/<int:pk>/register/", views.registration_start, name="registration-start"),
    path("institutions/", views_work.institution_directory, name="institution-directory"),
    path("people/", views_work.PeopleListView.as_view(), name="people-list"),
    path("registrations/", views_work.RegistrationListView.as_view(),
         name="registration-list"),
    path("registrations/<int:pk>/", views_work.registration_detail,
         name="registration-detail"),
    path("registrations/<int:pk>/to/<slug:target>/", views_work.registration_transition,
         name="registration-transition"),
    path("registrations/<int:pk>/documents/", views_work.registration_document_add,
         name="registration-document-add"),
    path("documents/<int:pk>/", views_work.registration_document, name="registration-document"),
    path("documents/<int:pk>/remove/", views_work.registration_document_remove,
         name="registration-document-remove"),
    path("review/", views_work.ReviewQueueView.as_view(), name="review-queue"),
    path("review/approve/", views_work.bulk_approve, name="bulk-approve"),
    path("filings/", views_work.FilingListView.as_view(), name="filing-list"),
    path("filings/open/", views_work.filing_open, name="filing-open"),
    path("filings/<int:pk>/", views_work.filing_detail, name="filing-detail"),
    # External training certificates (the level follows verified certificates)
    path("managers/<int:pk>/certificates/add/", views_credentials.credential_add,
         name="credential-add"),
    path("certificates/", views_credentials.CredentialListView.as_view(),
         name="credential-list"),
    path("certificates/<int:pk>/", views_credentials.credential_detail,
         name="credential-detail"),
    path("certificates/<int:pk>/to/<slug:target>/", views_credentials.credential_transition,
         name="credential-transition"),
    path("certificates/<int:pk>/evidence/", views_credentials.credential_evidence,
         name="credential-evidence"),
]
