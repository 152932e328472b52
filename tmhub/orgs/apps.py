from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "tmhub.orgs"
    label = "orgs"
    verbose_name = _("Organisations")

    def ready(self):
        from tmhub.core.tabular.importing import register
        from tmhub.orgs.imports import OrganizationImport

        register(OrganizationImport())
