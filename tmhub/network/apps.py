from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    """Policies, metrics and subscriptions are discovered by core when Django starts
    (tmhub.core.apps.DISCOVERED_MODULES); the import of services is registered here."""

    name = "tmhub.network"
    label = "network"
    verbose_name = _("Resource network")

    def ready(self):
        from tmhub.core.tabular.importing import register
        from tmhub.network.imports import ProviderServiceImport

        register(ProviderServiceImport())
