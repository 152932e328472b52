from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TransferConfig(AppConfig):
    name = "tmhub.transfer"
    label = "transfer"
    verbose_name = _("Transfer")

    def ready(self):
        # The annual filing (talent app) pre-fills a manager's figures from these sources, so
        # nobody retypes what the transfer records already hold. Talent may not be installed.
        try:
            from tmhub.talent.filing_sources import register_filing_source
        except ImportError:
            return
        from tmhub.transfer import selectors

        for key, label, func in selectors.FILING_SOURCES:
            register_filing_source(key, label, func)
