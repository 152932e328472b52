from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TalentConfig(AppConfig):
    name = "tmhub.talent"
    label = "talent"
    verbose_name = _("Talent")

    def ready(self):
        from tmhub.core.tabular.importing import register
        from tmhub.talent.imports import ManagerImport

        register(ManagerImport())
