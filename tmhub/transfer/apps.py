from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TransferConfig(AppConfig):
    """The transfer chain. Its policies, metrics and subscriptions are found by core when
    Django starts (tmhub.core.apps.DISCOVERED_MODULES): nothing to wire here."""

    name = "tmhub.transfer"
    label = "transfer"
    verbose_name = _("Transfer")
