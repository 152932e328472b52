from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "tmhub.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        # django-axes reports lockouts only through its signal: log and audit each one.
        from axes.signals import user_locked_out

        from tmhub.accounts.lockouts import on_user_locked_out

        user_locked_out.connect(on_user_locked_out, dispatch_uid="tmhub.accounts.locked_out")
        # The idle-session clock starts at sign-in (any sign-in: pages, admin, tests).
        from django.contrib.auth.signals import user_logged_in

        from tmhub.accounts.middleware import start_idle_clock

        user_logged_in.connect(start_idle_clock, dispatch_uid="tmhub.accounts.idle_clock")
