from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "tmhub.matching"
    label = "matching"
    verbose_name = _("Matching")

    def ready(self):
        # The transfer services call these after each commit touching an achievement or demand.
        from tmhub.matching import indexing
        from tmhub.transfer import hooks

        for handlers, handler in ((hooks.ACHIEVEMENT_CHANGED, indexing.achievement_changed),
                                  (hooks.DEMAND_CHANGED, indexing.demand_changed)):
            if handler not in handlers:
                handlers.append(handler)
