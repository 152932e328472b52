from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PilotsConfig(AppConfig):
    """Policies, metrics and subscriptions are discovered by core when Django starts
    (tmhub.core.apps.DISCOVERED_MODULES); the imports are registered here."""

    name = "tmhub.pilots"
    label = "pilots"
    verbose_name = _("Funded-project pilots")

    def ready(self):
        from tmhub.core.tabular.importing import register
        from tmhub.pilots.imports import PilotImport, PilotKpiImport

        register(PilotImport())
        register(PilotKpiImport())
