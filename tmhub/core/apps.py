from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _

# The modules an app writes to join the platform; core imports them from every installed app
# when Django starts, so a new app has nothing to wire (ARCHITECTURE "Layout").
DISCOVERED_MODULES = ("policies", "metrics", "subscriptions", "work_items")


class CoreConfig(AppConfig):
    name = "tmhub.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from tmhub.core import lookups, operations, record_policies  # noqa: F401 (registers)

        lookups.install()  # out-of-range integers never reach the database
        operations.connect_celery()
        autodiscover_modules(*DISCOVERED_MODULES)
