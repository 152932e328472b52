"""The roles of SPEC §1, one enum for every app: a membership gives a user one role, scoped by
organisation, district or department. Code names roles through `Role`, never as raw strings."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    MUNICIPAL_ADMIN = "municipal_admin", _("Municipal administrator")
    DEPARTMENT_OFFICER = "department_officer", _("Department officer")
    DISTRICT_OFFICER = "district_officer", _("District officer")
    INSTITUTION_ADMIN = "institution_admin", _("Institution administrator")
    MANAGER = "manager", _("Technology manager")
    ENTERPRISE = "enterprise", _("Enterprise user")
    SERVICE_PROVIDER = "service_provider", _("Service-provider user")
    REVIEWER = "reviewer", _("Reviewer / expert")


# Roles whose scope is an organisation, a district or a department respectively.
ORG_ROLES = {Role.INSTITUTION_ADMIN, Role.MANAGER, Role.ENTERPRISE, Role.SERVICE_PROVIDER}

# Roles an institution administrator may give to people of their own institution.
INSTITUTION_GRANTABLE_ROLES = {Role.INSTITUTION_ADMIN, Role.MANAGER}
