from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PilotsConfig(AppConfig):
    """Policies, metrics and subscriptions are discovered by core when Django starts
    (tmhub.core.apps.DISCOVERED_MODULES): nothing to wire here."""

    name = "tmhub.pilots"
    label = "pilots"
    verbose_name = _("Funded-project pilots")
