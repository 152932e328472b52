from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from tmhub.accounts import personal_data_views, two_factor_views, views

app_name = "accounts"

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("me/", views.profile, name="profile"),
    path("two-factor/", two_factor_views.two_factor_setup, name="two-factor-setup"),
    path("two-factor/verify/", two_factor_views.two_factor_verify, name="two-factor-verify"),
    path("two-factor/recovery-codes/", two_factor_views.recovery_codes_renew,
         name="two-factor-recovery-codes"),
    path("people/<int:pk>/two-factor/reset/", two_factor_views.two_factor_reset,
         name="two-factor-reset"),
    path("me/tokens/", views.token_list, name="token-list"),
    path("me/data/", personal_data_views.my_data, name="my-data"),
    path("personal-data/log/", personal_data_views.access_log, name="personal-data-log"),
    path("people/<int:pk>/anonymise/", personal_data_views.anonymise, name="anonymise"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token-revoke"),
    path("lockouts/", views.lockout_list, name="lockout-list"),
    path("lockouts/unlock/", views.lockout_unlock, name="lockout-unlock"),
    path("people/", views.user_list, name="user-list"),
    path("people/new/", views.user_create, name="user-create"),
    path("people/<int:pk>/", views.user_detail, name="user-detail"),
    path("roles/<int:pk>/revoke/", views.membership_revoke, name="membership-revoke"),
    path(
        "password/change/",
        views.PasswordChangeView.as_view(
            success_url=reverse_lazy("accounts:password_change_done")
        ),
        name="password_change",
    ),
    path("password/change/done/", auth_views.PasswordChangeDoneView.as_view(),
         name="password_change_done"),
    path(
        "password/reset/",
        views.PasswordResetView.as_view(
            success_url=reverse_lazy("accounts:password_reset_done"),
            email_template_name="registration/password_reset_email.txt",
        ),
        name="password_reset",
    ),
    path("password/reset/done/", auth_views.PasswordResetDoneView.as_view(),
         name="password_reset_done"),
    path(
        "password/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(
            success_url=reverse_lazy("accounts:password_reset_complete")
        ),
        name="password_reset_confirm",
    ),
    path("password/reset/complete/", auth_views.PasswordResetCompleteView.as_view(),
         name="password_reset_complete"),
]
