from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DistrictsConfig(AppConfig):
    """Policies, metrics and subscriptions are discovered by core when Django starts
    (tmhub.core.apps.DISCOVERED_MODULES): nothing to wire here."""

    name = "tmhub.districts"
    label = "districts"
    verbose_name = _("Districts")
