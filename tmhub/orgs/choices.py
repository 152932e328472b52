"""Choices of the organisation registry."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RegistrationStatus(models.TextChoices):
    """技术转移机构登记: draft → submitted → approved | returned | rejected."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for changes")
    APPROVED = "approved", _("Registered")
    REJECTED = "rejected", _("Rejected")


OPEN_REGISTRATION_STATUSES = (
    RegistrationStatus.DRAFT, RegistrationStatus.SUBMITTED, RegistrationStatus.RETURNED,
    RegistrationStatus.APPROVED,
)

# An application is edited only while the institution holds it.
EDITABLE_REGISTRATION_STATUSES = (RegistrationStatus.DRAFT, RegistrationStatus.RETURNED)


class RegistrationEvent(models.TextChoices):
    """Typed workflow events of institution registration."""

    SUBMITTED = "orgs.registration.submitted", _("Registration submitted")
    APPROVED = "orgs.registration.approved", _("Registration approved")
    RETURNED = "orgs.registration.returned", _("Registration returned")
    REJECTED = "orgs.registration.rejected", _("Registration rejected")
