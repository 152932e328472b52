from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    """The match indexes follow the records through ``subscriptions.py`` (imported by core
    when Django starts): nothing to wire here."""

    name = "tmhub.matching"
    label = "matching"
    verbose_name = _("Matching")
