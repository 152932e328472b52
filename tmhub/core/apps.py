from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "tmhub.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from tmhub.core import lookups

        lookups.install()  # out-of-range integers never reach the database
